package org.learninganalytics.db.analytics;

import java.time.Duration;

/**
 * What a bulk recompute did.
 *
 * @param learners how many learners it computed for
 * @param rows     the rows it appended (six per learner)
 * @param took     how long it took
 */
public record RecomputeResult(int learners, long rows, Duration took) {
}
