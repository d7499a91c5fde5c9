package org.learninganalytics.db.gamification;

/**
 * An achievement of the catalogue (a row of achievements).
 *
 * @param id   stable id, e.g. {@code first-course}
 * @param tier one of beginner, intermediate, advanced, elite
 */
public record Achievement(String id, String name, String description, String icon, String tier, AchievementCriteria criteria) {
}
