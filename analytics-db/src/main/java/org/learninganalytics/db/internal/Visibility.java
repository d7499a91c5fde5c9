package org.learninganalytics.db.internal;

import static org.learninganalytics.db.generated.Tables.USERS;

import java.util.UUID;

import org.jooq.DSLContext;

/**
 * Whether the caller of a user unit may see a user, for reads that must tell "visible, but
 * nothing to show" from "not visible or not there" (an HTTP 404). Ask it only when a read of
 * the user's rows came back empty: each RLS policy a query touches computes the caller's
 * visible users once, milliseconds for an org admin of a large organization. Not API.
 */
public final class Visibility {

    private Visibility() {
    }

    /** Whether the users row of {@code userId} is visible to the unit's caller (RLS decides, as for every per-user table). */
    public static boolean canSee(DSLContext ctx, UUID userId) {
        return ctx.fetchExists(USERS, USERS.ID.eq(userId));
    }
}
