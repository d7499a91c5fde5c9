package org.learninganalytics.db.analytics;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * One stored result of an analytic for a learner: a row of the cache's history.
 *
 * @param id           the row (rows are never overwritten: a new calculation is a new row)
 * @param status       {@link Status#INSUFFICIENT_DATA} when the learner lacks the data it needs
 * @param missing      for insufficient data, what is missing (e.g. {@code enrollments}, {@code assessments}); else empty
 * @param calculatedAt the calculation time T
 * @param expiresAt    from this instant on, a read computes a new result
 * @param windowStart  start of the inputs' window (inclusive), null for analytics of current state (skill gaps, mastery)
 * @param windowEnd    end of the inputs' window (exclusive) = T
 * @param resultJson   the result as the API shows it: a JSON object, camelCase (ANALYTICS.md's fields and their inputs;
 *                     for insufficient data {@code {"missing": [...]}})
 */
public record LearnerAnalytic(AnalyticType type, UUID userId, UUID id, Status status, List<String> missing, Instant calculatedAt,
                              Instant expiresAt, Instant windowStart, Instant windowEnd, String resultJson) {

    /** Whether the learner had the data the analytic needs. */
    public enum Status {
        OK, INSUFFICIENT_DATA
    }

    public LearnerAnalytic {
        missing = List.copyOf(missing);
    }

    /** Whether the result is still served at {@code now}. */
    public boolean isFreshAt(Instant now) {
        return now.isBefore(expiresAt);
    }
}
