package org.learninganalytics.db.gamification;

import static org.learninganalytics.db.generated.Tables.USER_POINTS;

import java.util.Optional;
import java.util.UUID;

import org.jooq.JSONB;
import org.learninganalytics.db.generated.Routines;
import org.learninganalytics.db.internal.Transactions;
import org.learninganalytics.db.tenancy.Principal;

/** Points read as the caller: their own, their trainees', their organization's (org admin). Thread-safe. */
public final class Points {

    private final Transactions transactions;
    private final Principal principal;

    public Points(Transactions transactions, Principal principal) {
        this.transactions = transactions;
        this.principal = principal;
    }

    /**
     * Reports an activity of the caller's own, for activity types whose rule allows
     * self-reporting; the points come from the rule. {@code idempotencyKey} is scoped to the
     * caller: reporting it again returns the first result.
     *
     * @throws AwardRejectedException when refused (capped, not self-reportable...); nothing is written
     */
    public AwardResult reportActivity(String activityType, String idempotencyKey, String metadataJson) {
        return Awards.call(work -> transactions.asUser(principal, work), ctx -> Routines.awardOwnActivity(ctx.configuration(),
                activityType, idempotencyKey, metadataJson == null ? null : JSONB.valueOf(metadataJson)));
    }

    /** The user's totals, or empty when they have none or the caller may not see them. */
    public Optional<PointsSummary> summary(UUID userId) {
        return transactions.asUser(principal, ctx -> ctx
                .selectFrom(USER_POINTS)
                .where(USER_POINTS.USER_ID.eq(userId))
                .fetchOptional(r -> new PointsSummary(r.getUserId(), r.getTotalPoints(), r.getCurrentLevel(),
                        r.getCurrentStreak(), r.getLongestStreak())));
    }
}
