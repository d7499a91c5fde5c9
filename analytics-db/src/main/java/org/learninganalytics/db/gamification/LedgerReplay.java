package org.learninganalytics.db.gamification;

import static org.learninganalytics.db.generated.Tables.REPLAY_USER_POINTS;

import java.util.List;
import java.util.UUID;

import org.learninganalytics.db.internal.Transactions;

/**
 * Recomputes user_points (totals, levels, streaks) from the ledger — for when a rule such as
 * the level curve changes, or totals are suspected wrong. Service path. Thread-safe.
 */
public final class LedgerReplay {

    private final Transactions transactions;

    LedgerReplay(Transactions transactions) {
        this.transactions = transactions;
    }

    /** The differences a replay would fix, for one user or everyone (null); writes nothing. */
    public List<PointsDifference> dryRun(UUID userIdOrNull) {
        return run(userIdOrNull, false);
    }

    /** Fixes the differences and returns them; awards to the same users wait meanwhile. */
    public List<PointsDifference> apply(UUID userIdOrNull) {
        return run(userIdOrNull, true);
    }

    private List<PointsDifference> run(UUID userIdOrNull, boolean apply) {
        return transactions.asService(ctx -> ctx.selectFrom(REPLAY_USER_POINTS.call(userIdOrNull, apply)).fetch(r ->
                new PointsDifference(r.getUserId(), r.getStoredTotal(), r.getReplayedTotal(), r.getStoredLevel(), r.getReplayedLevel(),
                        r.getStoredCurrentStreak(), r.getReplayedCurrentStreak(), r.getStoredLongestStreak(), r.getReplayedLongestStreak())));
    }
}
