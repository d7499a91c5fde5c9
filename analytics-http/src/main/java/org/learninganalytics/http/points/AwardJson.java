package org.learninganalytics.http.points;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.learninganalytics.db.gamification.AwardResult;

/** What one award changed, as POST /v1/me/activities and POST /v1/awards answer it. */
public record AwardJson(UUID userId, String activityType, int points, int totalPoints, int level, int previousLevel,
                        boolean leveledUp, int currentStreak, int longestStreak, List<String> newAchievements,
                        Instant awardedAt, boolean replayed) {

    public static AwardJson of(AwardResult r) {
        return new AwardJson(r.userId(), r.activityType(), r.points(), r.totalPoints(), r.level(), r.previousLevel(),
                r.leveledUp(), r.currentStreak(), r.longestStreak(), r.newAchievements(), r.awardedAt(), r.replayed());
    }
}
