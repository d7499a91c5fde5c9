package org.learninganalytics.db.lifecycle;

/**
 * The rows of the seed's "Data Retention Policy", each with how it is enforced here.
 */
public enum RetentionRule {
    /** Predictions calculated more than 48 hours ago are deleted. */
    PREDICTIVE_CACHE("Predictive Cache", "48 hours"),
    /**
     * Learning events: every monthly partition lying entirely before now - 90 days is dropped
     * (never row by row), so an event is kept at least 90 days and at most 90 days plus a month.
     */
    USER_ACTIVITY_LOGS("User Activity Logs", "90 days"),
    /**
     * Learner analytics served by the cache: nothing is removed, the cached read never serves a
     * result calculated more than 7 days ago and no TTL may be longer; reported with 0 removed.
     */
    PERSONAL_ANALYTICS_HOT("Personal Analytics (hot)", "7 days"),
    /** Learner analytics history: monthly partitions lying entirely before now - 7 years are dropped. */
    PERSONAL_ANALYTICS_WARM("Personal Analytics (warm)", "7 years"),
    /** Published aggregates: skill-demand months ended and peer cells unchecked for 7 years are deleted. */
    AGGREGATED_ANALYTICS("Aggregated Analytics", "7 years"),
    /** The points ledger is kept forever; partitions older than 1 year move to the archive schema. */
    POINT_TRANSACTIONS_ARCHIVE("Point Transactions", "archived after 1 year"),
    /**
     * Not a row of the seed's table: award idempotency keys older than 90 days are deleted, and
     * awards dated before the oldest kept key are refused from then on (see R__220).
     */
    AWARD_IDEMPOTENCY_KEYS("Award idempotency keys (not in the seed)", "90 days");

    private final String seedName;
    private final String limit;

    RetentionRule(String seedName, String limit) {
        this.seedName = seedName;
        this.limit = limit;
    }

    /** The row's "Data Type" in the seed's table (the keys' rule says it is not one). */
    public String seedName() {
        return seedName;
    }

    /** The seed's limit, as the seed words it. */
    public String limit() {
        return limit;
    }
}
