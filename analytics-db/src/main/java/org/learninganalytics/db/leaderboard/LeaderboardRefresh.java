package org.learninganalytics.db.leaderboard;

import java.time.Duration;

import org.learninganalytics.db.generated.Routines;
import org.learninganalytics.db.internal.Transactions;

/**
 * Refreshes the weekly and monthly views (service path), concurrently: readers keep reading
 * the previous contents meanwhile. Scheduling (e.g. hourly) is the caller's. Thread-safe.
 */
public final class LeaderboardRefresh {

    private final Transactions transactions;

    LeaderboardRefresh(Transactions transactions) {
        this.transactions = transactions;
    }

    /**
     * Refreshes the weekly view, then the monthly one, each in its own transaction: the
     * weekly board shows its new contents without waiting for the larger monthly view.
     *
     * @return how long both took
     */
    public Duration refresh() {
        return refresh(Board.WEEKLY).plus(refresh(Board.MONTHLY));
    }

    /**
     * Refreshes one board's view and records when.
     *
     * @return how long it took
     * @throws InvalidLeaderboardRequestException for the all-time board, which is live and has no view
     */
    public Duration refresh(Board board) {
        if (board == Board.ALL_TIME) {
            throw new InvalidLeaderboardRequestException("the all-time board is live: it has no view to refresh", null);
        }
        long started = System.nanoTime();
        transactions.asService(ctx -> {
            Routines.refreshLeaderboard(ctx.configuration(), board.sqlName());
            return null;
        });
        return Duration.ofNanos(System.nanoTime() - started);
    }
}
