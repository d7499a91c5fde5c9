package org.learninganalytics.db.aggregates;

import java.math.BigDecimal;

/**
 * Published demand of a skill in one month, in one organization or platform-wide.
 *
 * @param learnersAssessed learners with at least one scored assessment of the skill that month (at least 10)
 * @param meanMastery      mean over them of their latest score that month, 0-100 (0.1)
 * @param growthPercent    {@code (n - n_prev) / n_prev x 100} against the previous calendar month (0.1), or null
 *                         when that month is not published (no learners, or fewer than 10)
 */
public record SkillDemandFigures(int learnersAssessed, BigDecimal meanMastery, BigDecimal growthPercent) {
}
