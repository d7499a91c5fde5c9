package org.learninganalytics.db.analytics;

import java.time.Duration;

/** The six learner analytics of ANALYTICS.md, each with its default time to live. */
public enum AnalyticType {
    /** Learning pace against the courses' expected length, with trend and status. */
    VELOCITY("velocity", Duration.ofHours(6)),
    /** Skills the active courses require above the learner's mastery. */
    SKILL_GAPS("skill_gaps", Duration.ofHours(12)),
    /** Recency, sessions and session length as one score, with weekly trend. */
    ENGAGEMENT("engagement", Duration.ofHours(1)),
    /** Skills mastered and in progress, with their distribution. */
    MASTERY("mastery", Duration.ofHours(12)),
    /** Assessment scores, pass rate and trend over 12 weeks. */
    PERFORMANCE("performance", Duration.ofHours(6)),
    /** Which content types were followed by the best assessment scores. */
    CONTENT_EFFECTIVENESS("content_effectiveness", Duration.ofHours(24));

    private final String sqlName;
    private final Duration defaultTtl;

    AnalyticType(String sqlName, Duration defaultTtl) {
        this.sqlName = sqlName;
        this.defaultTtl = defaultTtl;
    }

    /** How long a computed result is served before it is computed again, unless configured otherwise. */
    public Duration defaultTtl() {
        return defaultTtl;
    }

    String sqlName() {
        return sqlName;
    }

    static AnalyticType fromSqlName(String name) {
        for (AnalyticType type : values()) {
            if (type.sqlName.equals(name)) return type;
        }
        throw new IllegalStateException("unknown analytic type from the database: " + name);
    }
}
