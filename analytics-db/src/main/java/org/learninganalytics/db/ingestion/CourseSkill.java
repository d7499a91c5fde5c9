package org.learninganalytics.db.ingestion;

import java.math.BigDecimal;

/**
 * A skill a course teaches and the mastery level (0 to 100, exclusive of 0) a learner of the
 * course is expected to reach (ANALYTICS.md "Skill gaps"). Keyed by course and skill.
 *
 * @param requiredLevel null means the default of 80
 */
public record CourseSkill(java.util.UUID courseId, String skillId, BigDecimal requiredLevel) {

    /** The required level of a mapping that does not say (the column's default). */
    public static final BigDecimal DEFAULT_REQUIRED_LEVEL = BigDecimal.valueOf(80);

    /** {@link #requiredLevel()}, or the default when it is null. */
    public BigDecimal requiredLevelOrDefault() {
        return requiredLevel == null ? DEFAULT_REQUIRED_LEVEL : requiredLevel;
    }
}
