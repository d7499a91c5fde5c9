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

    public LeaderboardRefresh(Transactions transactions) {
        this.transactions = transactions;
    }

    /** @return how long the refresh took */
    public Duration refresh() {
        long started = System.nanoTime();
        transactions.asService(ctx -> {
            Routines.refreshLeaderboards(ctx.configuration());
            return null;
        });
        return Duration.ofNanos(System.nanoTime() - started);
    }
}
