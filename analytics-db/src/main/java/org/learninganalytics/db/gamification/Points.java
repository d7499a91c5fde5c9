package org.learninganalytics.db.gamification;

import static org.learninganalytics.db.generated.Tables.USER_POINTS;
import static org.learninganalytics.db.generated.Tables.USER_PREFERENCES;

import java.util.Optional;
import java.util.UUID;

import org.jooq.Field;
import org.learninganalytics.db.generated.Routines;
import org.learninganalytics.db.internal.Transactions;
import org.learninganalytics.db.tenancy.Principal;

/** Points read as the caller: their own, their trainees', their organization's (org admin). Thread-safe. */
public final class Points {

    /** Text longer than this is refused before it is sent; the database's own bound (4 kB as jsonb text) decides the rest. */
    private static final int MAX_METADATA_TEXT = 16 * 1024;

    private final Transactions transactions;
    private final Principal principal;

    Points(Transactions transactions, Principal principal) {
        this.transactions = transactions;
        this.principal = principal;
    }

    /**
     * Reports an activity of the caller's own, for activity types whose rule allows
     * self-reporting; the points come from the rule. {@code idempotencyKey} is scoped to the
     * caller: reporting it again returns the first result.
     *
     * @param metadataJson a JSON object of at most 4 kB and 4 levels of nesting, or null
     * @throws AwardRejectedException when refused (capped, not self-reportable, metadata too large...); nothing is written
     */
    public AwardResult reportActivity(String activityType, String idempotencyKey, String metadataJson) {
        if (metadataJson != null && metadataJson.length() > MAX_METADATA_TEXT) { // not worth sending: the database allows 4 kB
            throw new AwardRejectedException(AwardRejectedException.Reason.INVALID,
                    "metadata must be a JSON object of at most 4096 bytes and 4 levels of nesting", null);
        }
        return transactions.asUser(principal,
                ctx -> AwardCalls.awardOwnActivity(ctx, activityType, idempotencyKey, metadataJson), Awards::rejection);
    }

    /**
     * The user's totals, or empty when they have none or the caller may not see them. The
     * current streak is 0 once a whole day in the user's time zone has passed without activity.
     */
    public Optional<PointsSummary> summary(UUID userId) {
        Field<Integer> currentStreak = Routines.currentStreakToday(USER_POINTS.CURRENT_STREAK, USER_POINTS.LAST_ACTIVITY_DATE,
                USER_PREFERENCES.TIME_ZONE);
        return transactions.asUser(principal, ctx -> ctx
                .select(USER_POINTS.USER_ID, USER_POINTS.TOTAL_POINTS, USER_POINTS.CURRENT_LEVEL, currentStreak, USER_POINTS.LONGEST_STREAK)
                .from(USER_POINTS)
                .leftJoin(USER_PREFERENCES).on(USER_PREFERENCES.USER_ID.eq(USER_POINTS.USER_ID))
                .where(USER_POINTS.USER_ID.eq(userId))
                .fetchOptional(r -> new PointsSummary(r.value1(), r.value2(), r.value3(), r.value4(), r.value5())));
    }
}
