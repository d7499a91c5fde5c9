package org.learninganalytics.db.aggregates;

import java.time.Duration;

import org.learninganalytics.db.generated.Routines;
import org.learninganalytics.db.internal.Transactions;

/**
 * Refreshes and publishes the peer comparison and skill demand aggregates (service path):
 * the views are refreshed concurrently, so readers keep reading the published figures
 * meanwhile. Scheduling (e.g. daily) is the caller's. Thread-safe.
 */
public final class AggregateRefresh {

    private final Transactions transactions;

    AggregateRefresh(Transactions transactions) {
        this.transactions = transactions;
    }

    /** Refreshes peer comparison, then skill demand, each in its own transaction; returns how long both took. */
    public Duration refresh() {
        return refreshPeerComparison().plus(refreshSkillDemand());
    }

    /** Refreshes and publishes peer comparison; returns how long it took. */
    public Duration refreshPeerComparison() {
        return refresh("peer_comparison");
    }

    /** Refreshes and publishes skill demand; returns how long it took. */
    public Duration refreshSkillDemand() {
        return refresh("skill_demand");
    }

    private Duration refresh(String aggregate) {
        long started = System.nanoTime();
        transactions.asService(ctx -> {
            Routines.refreshAggregate(ctx.configuration(), aggregate);
            return null;
        });
        return Duration.ofNanos(System.nanoTime() - started);
    }
}
