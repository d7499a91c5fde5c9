package org.learninganalytics.db.tenancy;

import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * The caller of a unit of work, as authenticated upstream (e.g. from a verified JWT).
 * {@code userId} is what row-level security keys on; the database checks roles again in
 * user_roles, so a principal claiming more than it has gains nothing.
 *
 * @param organizationId the caller's tenant, or null for platform-level accounts
 */
public record Principal(UUID userId, UUID organizationId, Set<Role> roles) {

    public Principal {
        Objects.requireNonNull(userId, "userId");
        roles = roles == null ? Set.of() : Set.copyOf(roles);
    }

    public boolean has(Role role) {
        return roles.contains(role);
    }
}
