package org.learninganalytics.db.gamification;

import java.util.UUID;

/**
 * A user whose stored totals differ from what the ledger says. The stored values are null
 * when the user had no user_points row at all.
 */
public record PointsDifference(UUID userId,
                               Integer storedTotal, int replayedTotal,
                               Integer storedLevel, int replayedLevel,
                               Integer storedCurrentStreak, int replayedCurrentStreak,
                               Integer storedLongestStreak, int replayedLongestStreak) {
}
