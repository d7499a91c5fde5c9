package org.learninganalytics.db;

import javax.sql.DataSource;

import org.learninganalytics.db.analytics.AnalyticsRecompute;
import org.learninganalytics.db.analytics.AnalyticsTtls;
import org.learninganalytics.db.aggregates.AggregateRefresh;
import org.learninganalytics.db.gamification.Gamification;
import org.learninganalytics.db.ingestion.Ingestion;
import org.learninganalytics.db.internal.Shutdowns;
import org.learninganalytics.db.internal.Services;
import org.learninganalytics.db.internal.Transactions;
import org.learninganalytics.db.jobs.Jobs;
import org.learninganalytics.db.leaderboard.LeaderboardRefresh;
import org.learninganalytics.db.lifecycle.Lifecycle;
import org.learninganalytics.db.predictions.PredictionRefresh;
import org.learninganalytics.db.privacy.Privacy;

/**
 * The explicit service path ({@link AnalyticsDb#system()}): work the service does on its own
 * behalf, not a user's, grouped by feature. Thread-safe.
 */
public final class SystemSession {

    private final Ingestion ingestion;
    private final Gamification gamification;
    private final LeaderboardRefresh leaderboards;
    private final AnalyticsRecompute analytics;
    private final AggregateRefresh aggregates;
    private final PredictionRefresh predictions;
    private final Privacy privacy;
    private final Lifecycle lifecycle;
    private final Jobs jobs;

    SystemSession(Transactions transactions, AnalyticsTtls analyticsTtls, DataSource servicePool, Shutdowns shutdowns) {
        this.ingestion = Services.create(Ingestion.class, transactions);
        this.gamification = Services.create(Gamification.class, transactions);
        this.leaderboards = Services.create(LeaderboardRefresh.class, transactions);
        this.analytics = Services.create(AnalyticsRecompute.class, transactions, analyticsTtls);
        this.aggregates = Services.create(AggregateRefresh.class, transactions);
        this.predictions = Services.create(PredictionRefresh.class, transactions);
        this.privacy = Services.create(Privacy.class, transactions);
        this.lifecycle = Services.create(Lifecycle.class, transactions);
        this.jobs = Services.create(Jobs.class, transactions, servicePool, this, shutdowns); // last: its jobs use the services above
    }

    /** Idempotent bulk upserts of learning data owned by other microservices. */
    public Ingestion ingestion() {
        return ingestion;
    }

    /** Awards from other services, gamification rules and ledger replay. */
    public Gamification gamification() {
        return gamification;
    }

    /** Refreshes the leaderboard views (a job: schedule it, e.g. hourly). */
    public LeaderboardRefresh leaderboards() {
        return leaderboards;
    }

    /** Bulk recompute of the learner analytics: an organization, or the learners with new events (a job). */
    public AnalyticsRecompute analytics() {
        return analytics;
    }

    /** Refreshes and publishes the peer comparison and skill demand aggregates (a job: schedule it, e.g. daily). */
    public AggregateRefresh aggregates() {
        return aggregates;
    }

    /** Computes predictions anew (a job), where each learner allows them. */
    public PredictionRefresh predictions() {
        return predictions;
    }

    /** A learner's right to be forgotten (erase) and of access (export). */
    public Privacy privacy() {
        return privacy;
    }

    /** Monthly partitions made ahead, the seed's retention rules, and the partitions for operators (jobs). */
    public Lifecycle lifecycle() {
        return lifecycle;
    }

    /**
     * The named jobs (view refreshes, recompute, ...): their status, running one now, and the
     * scheduler that runs them with one runner across instances.
     */
    public Jobs jobs() {
        return jobs;
    }
}
