package org.learninganalytics.http.auth;

import java.time.Instant;
import java.util.UUID;

/** TEMPORARY STUB until the auth branch lands. */
public sealed interface VerifiedToken permits VerifiedToken.UserToken, VerifiedToken.ServiceToken {
    Instant expiresAt();

    record UserToken(UUID userId, Instant expiresAt) implements VerifiedToken {
    }

    record ServiceToken(String subject, Instant expiresAt) implements VerifiedToken {
    }
}
