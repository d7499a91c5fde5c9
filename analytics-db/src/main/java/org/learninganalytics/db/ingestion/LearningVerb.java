package org.learninganalytics.db.ingestion;

import java.util.Locale;

/**
 * What a learner did (ANALYTICS.md "Learning events"): the xAPI ADL verbs the analytics use.
 * Only {@link #PASSED} and {@link #FAILED} events with a score count as assessments.
 */
public enum LearningVerb {
    INITIALIZED, TERMINATED, EXPERIENCED, ATTEMPTED, ANSWERED, PROGRESSED, COMPLETED, PASSED, FAILED, MASTERED;

    /** The word stored in learning_events.verb and ending the ADL verb IRI. */
    public String sqlName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The verb of {@code word} ({@code "passed"}), or null when there is none. */
    public static LearningVerb fromSqlName(String word) {
        for (LearningVerb verb : values()) {
            if (verb.sqlName().equals(word)) return verb;
        }
        return null;
    }
}
