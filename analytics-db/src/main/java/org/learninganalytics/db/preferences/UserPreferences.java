package org.learninganalytics.db.preferences;

import java.time.ZoneId;
import java.util.UUID;

/**
 * A user's preferences; defaults apply until the user changes something.
 *
 * @param timeZone                   the zone in which the user's days, and so caps and streaks, are counted (default UTC)
 * @param predictiveAnalyticsEnabled a JSON object of switches per prediction, as text (default
 *                                   {@value Preferences#DEFAULT_PREDICTIVE_ANALYTICS})
 * @param notificationPreferences    a JSON object, or null when never set
 */
public record UserPreferences(UUID userId, LeaderboardPrivacy leaderboardPrivacy, ZoneId timeZone, String predictiveAnalyticsEnabled,
                              String notificationPreferences) {
}
