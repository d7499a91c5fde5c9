package org.learninganalytics.db.leaderboard;

import java.time.Duration;

import org.learninganalytics.db.generated.Routines;
import org.learninganalytics.db.internal.Transactions;

/**
 * Refreshes the weekly and monthly boards (service path): adds what was awarded since the
 * last refresh, or rebuilds a board from the ledger in a new week or month. Readers keep
 * reading the previous contents meanwhile. Scheduling (e.g. hourly) is the caller's. Thread-safe.
 */
public final class LeaderboardRefresh {

    private final Transactions transactions;

    LeaderboardRefresh(Transactions transactions) {
        this.transactions = transactions;
    }

    /**
     * Refreshes both boards, in one transaction.
     *
     * @return how long it took
     */
    public Duration refresh() {
        return refresh(Board.WEEKLY);
    }

    /**
     * Refreshes the boards and records when. Both boards take the awards since the last refresh
     * together (one transaction and one snapshot), whichever is named, so either refreshes both.
     *
     * @return how long it took
     * @throws InvalidLeaderboardRequestException for the all-time board, which is live and has nothing to refresh
     */
    public Duration refresh(Board board) {
        if (board == Board.ALL_TIME) {
            throw new InvalidLeaderboardRequestException("the all-time board is live: it has nothing to refresh", null);
        }
        long started = System.nanoTime();
        transactions.asService(ctx -> {
            Routines.refreshLeaderboard(ctx.configuration(), board.sqlName());
            return null;
        });
        return Duration.ofNanos(System.nanoTime() - started);
    }
}
