package org.learninganalytics.db.tenancy;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;
import java.util.UUID;

/**
 * Who the caller is, as the database has it (users, user_roles, organizations).
 *
 * @param fullName         null when the identity service did not give one
 * @param avatarUrl        null when there is none
 * @param organizationId   the caller's tenant, or null for platform-level accounts
 * @param organizationName null without an organization
 * @param roles            in the order of {@link Role}
 */
public record UserProfile(UUID userId, String fullName, String email, String avatarUrl, UUID organizationId, String organizationName,
                          Set<Role> roles) {

    public UserProfile {
        roles = roles == null || roles.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(roles));
    }
}
