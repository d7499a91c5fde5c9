package org.learninganalytics.db;

import javax.sql.DataSource;

import org.learninganalytics.db.gamification.Awards;
import org.learninganalytics.db.gamification.GamificationRules;
import org.learninganalytics.db.gamification.LedgerReplay;
import org.learninganalytics.db.leaderboard.LeaderboardRefresh;
import org.learninganalytics.db.ingestion.Ingestion;
import org.learninganalytics.db.internal.Transactions;

/**
 * The explicit service path ({@link AnalyticsDb#system()}): work the service does on its own
 * behalf, not a user's. Thread-safe.
 */
public final class SystemSession {

    private final Ingestion ingestion;
    private final Awards awards;
    private final LeaderboardRefresh leaderboards;
    private final LedgerReplay ledgerReplay;
    private final GamificationRules gamificationRules;

    SystemSession(Transactions transactions, DataSource dataSource) {
        this.ingestion = new Ingestion(transactions);
        this.awards = new Awards(transactions);
        this.leaderboards = new LeaderboardRefresh(transactions);
        this.ledgerReplay = new LedgerReplay(transactions);
        this.gamificationRules = new GamificationRules(transactions);
    }

    /** Points and caps per activity type, the level curve and the achievement catalogue. */
    public GamificationRules gamificationRules() {
        return gamificationRules;
    }

    /** Recomputes totals, levels and streaks from the ledger, with a dry run. */
    public LedgerReplay ledgerReplay() {
        return ledgerReplay;
    }

    /** Refreshes the leaderboard views (a job: schedule it, e.g. hourly). */
    public LeaderboardRefresh leaderboards() {
        return leaderboards;
    }

    /** Awards points for activity reported by other services. */
    public Awards awards() {
        return awards;
    }

    /** Idempotent bulk upserts of learning data owned by other microservices. */
    public Ingestion ingestion() {
        return ingestion;
    }
}
