package org.learninganalytics.db.gamification;

import java.util.UUID;

/** A user's running totals from user_points. */
public record PointsSummary(UUID userId, int totalPoints, int level, int currentStreak, int longestStreak) {
}
