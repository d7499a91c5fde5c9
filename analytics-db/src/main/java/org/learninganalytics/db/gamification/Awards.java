package org.learninganalytics.db.gamification;

import java.util.Objects;

import org.jooq.exception.DataAccessException;
import org.learninganalytics.db.internal.SqlErrors;
import org.learninganalytics.db.internal.Transactions;

/**
 * Awards points on the service path, for activity reported by other services. Each award is
 * one transaction through the database function award_points(): idempotent per key, capped
 * per activity rule, and atomic over ledger, daily activity, totals, streak, level and
 * achievements. Thread-safe.
 */
public final class Awards {

    private final Transactions transactions;

    Awards(Transactions transactions) {
        this.transactions = transactions;
    }

    /**
     * @throws AwardRejectedException when the award is refused (nothing is written)
     */
    public AwardResult award(Award award) {
        Objects.requireNonNull(award, "award");
        return AwardCalls.awardPoints(transactions, award);
    }

    /** The database's refusals of an award as {@link AwardRejectedException}; null for other errors. */
    static AwardRejectedException rejection(DataAccessException e) {
        String state = e.sqlState();
        String message = SqlErrors.serverMessage(e);
        AwardRejectedException.Reason reason = switch (String.valueOf(state)) {
            case "LA001" -> AwardRejectedException.Reason.KEY_REUSED;
            case "LA002" -> AwardRejectedException.Reason.CAPPED;
            case "LA003" -> AwardRejectedException.Reason.UNKNOWN_ACTIVITY;
            case "LA004" -> AwardRejectedException.Reason.NOT_SELF_REPORTABLE;
            case "22023", "22P02", "23503", "23514" -> AwardRejectedException.Reason.INVALID;
            default -> null;
        };
        if (reason == null) return null;
        if ("23503".equals(state)) message = "unknown user";
        if ("22P02".equals(state)) message = "metadata is not valid JSON";
        if ("23514".equals(state)) message = "the award breaks a rule of the data (" + message + ")";
        return new AwardRejectedException(reason, message, e);
    }
}
