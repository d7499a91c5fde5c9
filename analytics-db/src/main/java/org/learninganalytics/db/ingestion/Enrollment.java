package org.learninganalytics.db.ingestion;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

/**
 * A learner's enrollment in a course, keyed by (userId, courseId).
 *
 * @param progressPercent 0 to 100, two decimals are kept
 * @param completedAt     null while in progress; not before {@code enrolledAt}
 */
public record Enrollment(UUID userId, UUID courseId, Instant enrolledAt, Instant completedAt, BigDecimal progressPercent) {
}
