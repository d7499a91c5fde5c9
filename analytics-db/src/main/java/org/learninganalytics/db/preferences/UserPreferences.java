package org.learninganalytics.db.preferences;

import java.time.ZoneId;
import java.util.UUID;

/**
 * A user's preferences; defaults apply until the user changes something.
 *
 * @param timeZone the zone in which the user's days, and so streaks, are counted (default UTC)
 */
public record UserPreferences(UUID userId, LeaderboardPrivacy leaderboardPrivacy, ZoneId timeZone) {
}
