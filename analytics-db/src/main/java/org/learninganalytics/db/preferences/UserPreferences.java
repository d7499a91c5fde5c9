package org.learninganalytics.db.preferences;

import java.util.UUID;

/** A user's preferences; defaults apply until the user changes something. */
public record UserPreferences(UUID userId, LeaderboardPrivacy leaderboardPrivacy) {
}
