package org.learninganalytics.db.gamification;

import java.time.Instant;

/**
 * An achievement a user earned, with the catalogue's texts (its criteria are in
 * {@link Achievements#catalogue()}).
 *
 * @param id       the achievement's id, e.g. {@code first-course}
 * @param tier     one of beginner, intermediate, advanced, elite
 * @param earnedAt when the award that earned it happened
 */
public record EarnedAchievement(String id, String name, String description, String icon, String tier, Instant earnedAt) {
}
