package org.learninganalytics.db.ingestion;

import java.util.Set;
import java.util.UUID;

import org.learninganalytics.db.tenancy.Role;

/**
 * A user as the identity service knows it. {@code id} is the JWT subject. {@code roles} is
 * the complete set: ingestion makes user_roles match it (granted_at of kept roles stays).
 *
 * @param organizationId the tenant, or null for platform-level accounts
 */
public record User(UUID id, String email, String fullName, String avatarUrl, UUID organizationId, Set<Role> roles) {

    public User {
        roles = roles == null ? null : Set.copyOf(roles);
    }
}
