package org.learninganalytics.db.gamification;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * What one award changed. For a replayed idempotency key this is the original award's
 * result with {@code replayed == true}, and nothing was written again.
 */
public record AwardResult(UUID userId, String activityType, int points, int totalPoints, int level, int previousLevel,
                          int currentStreak, int longestStreak, List<String> newAchievements, Instant awardedAt,
                          boolean replayed) {

    public AwardResult {
        newAchievements = List.copyOf(newAchievements);
    }

    public boolean leveledUp() {
        return level > previousLevel;
    }
}
