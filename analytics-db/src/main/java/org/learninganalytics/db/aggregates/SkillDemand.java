package org.learninganalytics.db.aggregates;

import java.time.YearMonth;

/**
 * Demand of one skill in one UTC month: the caller's organization's figures and the
 * platform-wide ones; either is null when not published (fewer than 10 learners).
 */
public record SkillDemand(String skillId, String skillName, YearMonth month, SkillDemandFigures organization,
                          SkillDemandFigures platform) {
}
