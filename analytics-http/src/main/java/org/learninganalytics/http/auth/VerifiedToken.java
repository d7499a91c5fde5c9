package org.learninganalytics.http.auth;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * A bearer token whose signature, lifetime, issuer and audience were checked: either a
 * {@link UserToken} (a user, by id) or a {@link ServiceToken} (the service). It says who is
 * calling, nothing more: the user's organization and roles come from the database.
 */
public sealed interface VerifiedToken permits VerifiedToken.UserToken, VerifiedToken.ServiceToken {

    /** When the token stops being accepted (its {@code exp} claim, before the leeway). */
    Instant expiresAt();

    /** A user's token: {@code userId} is its {@code sub} claim. */
    record UserToken(UUID userId, Instant expiresAt) implements VerifiedToken {

        public UserToken {
            Objects.requireNonNull(userId, "userId");
            Objects.requireNonNull(expiresAt, "expiresAt");
        }
    }

    /**
     * The service's token: its {@code role} claim is the configured service role. It has no
     * "me"; {@code subject} is its {@code sub} claim, any text, or {@code null} when absent
     * (Supabase's service key has none). For logs only, never to pick a user.
     */
    record ServiceToken(String subject, Instant expiresAt) implements VerifiedToken {

        public ServiceToken {
            Objects.requireNonNull(expiresAt, "expiresAt");
        }
    }
}
