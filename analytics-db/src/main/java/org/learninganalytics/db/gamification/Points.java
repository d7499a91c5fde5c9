package org.learninganalytics.db.gamification;

import static org.learninganalytics.db.generated.Tables.POINT_TRANSACTIONS;
import static org.learninganalytics.db.generated.Tables.USER_POINTS;
import static org.learninganalytics.db.generated.Tables.USER_PREFERENCES;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.jooq.Condition;
import org.jooq.Field;
import org.jooq.impl.DSL;
import org.learninganalytics.db.generated.Routines;
import org.learninganalytics.db.internal.Cursors;
import org.learninganalytics.db.internal.Transactions;
import org.learninganalytics.db.internal.Visibility;
import org.learninganalytics.db.tenancy.Principal;

/** Points read as the caller: their own, their trainees', their organization's (org admin). Thread-safe. */
public final class Points {

    /** The largest page of the ledger, as of every list of the API. */
    public static final int MAX_PAGE = 500;

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
     * The user's totals, or empty when the user does not exist or the caller may not see them
     * (the two are not told apart); a visible user without points yet has zero points at
     * level 1. The current streak is 0 once a whole day in the user's time zone has passed
     * without activity.
     */
    public Optional<PointsSummary> summary(UUID userId) {
        Field<Integer> currentStreak = Routines.currentStreakToday(USER_POINTS.CURRENT_STREAK, USER_POINTS.LAST_ACTIVITY_DATE,
                USER_PREFERENCES.TIME_ZONE);
        return transactions.asUser(principal, ctx -> ctx
                .select(USER_POINTS.USER_ID, USER_POINTS.TOTAL_POINTS, USER_POINTS.CURRENT_LEVEL, currentStreak, USER_POINTS.LONGEST_STREAK)
                .from(USER_POINTS)
                .leftJoin(USER_PREFERENCES).on(USER_PREFERENCES.USER_ID.eq(USER_POINTS.USER_ID))
                .where(USER_POINTS.USER_ID.eq(userId))
                .fetchOptional(r -> new PointsSummary(r.value1(), r.value2(), r.value3(), r.value4(), r.value5()))
                .or(() -> Visibility.canSee(ctx, userId) ? Optional.of(new PointsSummary(userId, 0, 1, 0, 0)) : Optional.empty()));
    }

    /**
     * The user's ledger, newest first, {@code limit} entries after {@code cursor} (from a
     * previous page), or the newest when it is null. Keyset pagination on (time, id): stable
     * while new awards arrive (they land before the first page), deterministic for entries
     * of the same instant.
     *
     * @param limit 1 to {@value #MAX_PAGE}
     * @return empty when the user does not exist or the caller may not see them (the two are
     *         not told apart); a visible user without (further) entries has an empty page
     * @throws InvalidPointsRequestException for a limit out of range or a malformed cursor
     */
    public Optional<PointTransactionPage> transactions(UUID userId, int limit, String cursor) {
        if (limit < 1 || limit > MAX_PAGE) throw new InvalidPointsRequestException("limit must be between 1 and " + MAX_PAGE, null);
        Cursors.TimeAndId after = cursor == null ? null : decode(cursor);
        Condition afterCursor = after == null ? DSL.noCondition()
                : DSL.row(POINT_TRANSACTIONS.TIMESTAMP, POINT_TRANSACTIONS.ID).lt(after.at(), after.id());
        return transactions.asUser(principal, ctx -> {
            // A range scan of idx_point_transactions_user_time (user_id, "timestamp" DESC, id DESC;
            // V018) from the cursor on, reading the page and one more entry: is there a next page?
            List<PointTransaction> entries = ctx
                    .select(POINT_TRANSACTIONS.ID, POINT_TRANSACTIONS.ACTIVITY_TYPE, POINT_TRANSACTIONS.POINTS, POINT_TRANSACTIONS.METADATA,
                            POINT_TRANSACTIONS.TIMESTAMP)
                    .from(POINT_TRANSACTIONS)
                    .where(POINT_TRANSACTIONS.USER_ID.eq(userId)).and(afterCursor)
                    .orderBy(POINT_TRANSACTIONS.TIMESTAMP.desc(), POINT_TRANSACTIONS.ID.desc())
                    .limit(limit + 1)
                    .fetch(r -> new PointTransaction(r.value1(), r.value2(), r.value3(), r.value4() == null ? null : r.value4().data(),
                            r.value5()));
            if (entries.isEmpty()) {
                return Visibility.canSee(ctx, userId) ? Optional.of(new PointTransactionPage(List.of(), null)) : Optional.empty();
            }
            if (entries.size() <= limit) return Optional.of(new PointTransactionPage(entries, null));
            PointTransaction last = entries.get(limit - 1);
            return Optional.of(new PointTransactionPage(entries.subList(0, limit), new Cursors.TimeAndId(last.occurredAt(), last.id()).encode()));
        });
    }

    private static Cursors.TimeAndId decode(String cursor) {
        try {
            return Cursors.TimeAndId.decode(cursor);
        } catch (IllegalArgumentException e) { // not Base64, not numbers, out of range
            throw new InvalidPointsRequestException("malformed cursor", e);
        }
    }
}
