package org.learninganalytics.db.ingestion;

import java.util.UUID;

/**
 * A course as the course service knows it; {@code trainerId} decides who trains it.
 *
 * @param expectedWeeks the course's expected length in weeks, 1 to 520; null means the default
 *                      of {@value #DEFAULT_EXPECTED_WEEKS} (ANALYTICS.md "Velocity": the target
 *                      pace is {@code 100 / expectedWeeks} % per week)
 */
public record Course(UUID id, String name, String description, UUID organizationId, UUID trainerId, Integer expectedWeeks) {

    /** What a course without an expected length is taken to last (the column's default). */
    public static final int DEFAULT_EXPECTED_WEEKS = 12;

    /** A course of the default length. */
    public Course(UUID id, String name, String description, UUID organizationId, UUID trainerId) {
        this(id, name, description, organizationId, trainerId, null);
    }

    /** {@link #expectedWeeks()}, or the default when it is null. */
    public int expectedWeeksOrDefault() {
        return expectedWeeks == null ? DEFAULT_EXPECTED_WEEKS : expectedWeeks;
    }
}
