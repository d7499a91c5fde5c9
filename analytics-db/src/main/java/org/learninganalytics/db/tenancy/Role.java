package org.learninganalytics.db.tenancy;

import java.util.Locale;

/** What a user may see, from the seed's user_roles.role values. */
public enum Role {
    /** Sees their own data. */
    LEARNER,
    /** Also sees the learners enrolled in the courses they train. */
    TRAINER,
    /** Sees everyone in their organization. */
    ORG_ADMIN,
    /** Sees everything. */
    PLATFORM_ADMIN;

    /** The value stored in user_roles.role (and used in JWT claims). */
    public String sqlName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @throws IllegalArgumentException for a value that is not a role */
    public static Role fromSqlName(String value) {
        for (Role role : values()) {
            if (role.sqlName().equals(value)) return role;
        }
        throw new IllegalArgumentException("unknown role: " + value);
    }
}
