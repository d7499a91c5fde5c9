package org.learninganalytics.http.auth;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/** A user's token: {@code userId} is its {@code sub} claim. */
public record UserToken(UUID userId, Instant expiresAt) implements VerifiedToken {

    public UserToken {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }
}
