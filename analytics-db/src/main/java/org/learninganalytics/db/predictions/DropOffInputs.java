package org.learninganalytics.db.predictions;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;

import org.jooq.Record;

/**
 * What the drop-off risk model reads about one learner at the calculation time T.
 *
 * @param firstEnrolledAt    the learner's earliest enrollment at or before T, or null without any
 * @param activeDays         local days with at least one learning event in the 90 days before T
 * @param lastActive         the latest learning event or daily activity at or before T, or null
 * @param daysSinceActive    whole local days from the last activity to T, or null without any
 * @param sessionsLast14     sessions in [T - 14 d, T)
 * @param sessionsPrevious14 sessions in [T - 28 d, T - 14 d)
 * @param activeEnrollments  enrollments active at T
 * @param currentPace        mean 28-day pace of the active enrollments (% per week), or null without any
 * @param targetPace         mean of 100 / expected_weeks over the active enrollments, or null without any
 * @param passed             passed assessments with a score in [T - 28 d, T)
 * @param failed             failed assessments with a score in [T - 28 d, T)
 */
public record DropOffInputs(Instant firstEnrolledAt, int activeDays, Instant lastActive, Integer daysSinceActive, int sessionsLast14,
                            int sessionsPrevious14, int activeEnrollments, BigDecimal currentPace, BigDecimal targetPace, int passed,
                            int failed) {

    /** The inputs in a row of {@code analytics.prediction_drop_off_inputs(users, T)}. */
    public static DropOffInputs of(Record r) {
        OffsetDateTime firstEnrolled = r.get("first_enrolled_at", OffsetDateTime.class);
        OffsetDateTime lastActive = r.get("last_active", OffsetDateTime.class);
        return new DropOffInputs(firstEnrolled == null ? null : firstEnrolled.toInstant(), r.get("active_days", Integer.class),
                lastActive == null ? null : lastActive.toInstant(), r.get("days_since_active", Integer.class),
                r.get("sessions_last_14", Integer.class), r.get("sessions_previous_14", Integer.class),
                r.get("active_enrollments", Integer.class), r.get("current_pace", BigDecimal.class), r.get("target_pace", BigDecimal.class),
                r.get("passed", Integer.class), r.get("failed", Integer.class));
    }
}
