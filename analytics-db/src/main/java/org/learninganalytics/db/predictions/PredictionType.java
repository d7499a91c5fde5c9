package org.learninganalytics.db.predictions;

/** The three predictions, with the word the cache stores and the learner's switch that allows each. */
public enum PredictionType {
    DROP_OFF_RISK("drop_off_risk", "dropOffRisk"),
    FORECAST("forecast", "forecasting"),
    RECOMMENDATIONS("recommendations", "recommendations");

    private final String sqlName;
    private final String switchName;

    PredictionType(String sqlName, String switchName) {
        this.sqlName = sqlName;
        this.switchName = switchName;
    }

    /** predictive_analytics_cache.analytics_type. */
    public String sqlName() {
        return sqlName;
    }

    /** The member of the learner's {@code predictiveAnalyticsEnabled} preference that switches it. */
    public String switchName() {
        return switchName;
    }
}
