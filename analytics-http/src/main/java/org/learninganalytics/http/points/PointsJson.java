package org.learninganalytics.http.points;

import java.util.UUID;

import org.learninganalytics.db.gamification.PointsSummary;

/** A user's points: total, level and streaks. */
public record PointsJson(UUID userId, int totalPoints, int level, int currentStreak, int longestStreak) {

    public static PointsJson of(PointsSummary s) {
        return new PointsJson(s.userId(), s.totalPoints(), s.level(), s.currentStreak(), s.longestStreak());
    }
}
