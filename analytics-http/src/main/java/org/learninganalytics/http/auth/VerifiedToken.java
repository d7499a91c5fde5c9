package org.learninganalytics.http.auth;

import java.time.Instant;

/**
 * A bearer token whose signature, lifetime, issuer and audience were checked: either a
 * {@link UserToken} (a user, by id) or a {@link ServiceToken} (the service). It says who is
 * calling, nothing more: the user's organization and roles come from the database.
 */
public sealed interface VerifiedToken permits UserToken, ServiceToken {

    /** When the token stops being accepted (its {@code exp} claim, before the leeway). */
    Instant expiresAt();
}
