package org.learninganalytics.http.auth;

import java.time.Instant;
import java.util.Objects;

/**
 * The service's token: its {@code role} claim is the configured service role. It has no
 * "me"; {@code subject} is its {@code sub} claim, any text, or {@code null} when absent
 * (Supabase's service key has none). Use it for logs only, never to pick a user.
 */
public record ServiceToken(String subject, Instant expiresAt) implements VerifiedToken {

    public ServiceToken {
        Objects.requireNonNull(expiresAt, "expiresAt");
    }
}
