package org.learninganalytics.db.preferences;

/**
 * Changes to the caller's preferences for {@link Preferences#update}: what is null stays as it
 * is. Notification preferences can also be cleared, which {@code clearNotificationPreferences}
 * says. Build with {@link #none()} and the {@code with...} methods:
 * <pre>{@code
 * preferences.update(PreferenceChanges.none().withTimeZone("Europe/Berlin").withNotificationPreferences(null));
 * }</pre>
 *
 * @param leaderboardPrivacy          the new privacy, or null to keep it
 * @param timeZone                    an IANA region name or UTC, or null to keep it
 * @param predictiveAnalyticsEnabled  a JSON object of at most 1 kB and 2 levels, or null to keep it (it cannot be cleared)
 * @param notificationPreferences     a JSON object of at most 4 kB and 4 levels, or null to keep (or clear) them
 * @param clearNotificationPreferences whether to clear the notification preferences (then {@code notificationPreferences} is null)
 */
public record PreferenceChanges(LeaderboardPrivacy leaderboardPrivacy, String timeZone, String predictiveAnalyticsEnabled,
                                String notificationPreferences, boolean clearNotificationPreferences) {

    /**
     * @throws InvalidPreferenceException when notification preferences are both given and cleared
     */
    public PreferenceChanges {
        if (clearNotificationPreferences && notificationPreferences != null) {
            throw new InvalidPreferenceException(InvalidPreferenceException.Reason.INVALID,
                    "notification preferences cannot be both given and cleared", null);
        }
    }

    /** No change at all. */
    public static PreferenceChanges none() {
        return new PreferenceChanges(null, null, null, null, false);
    }

    /** Whether the notification preferences change (are given or cleared). */
    public boolean changesNotificationPreferences() {
        return notificationPreferences != null || clearNotificationPreferences;
    }

    public PreferenceChanges withLeaderboardPrivacy(LeaderboardPrivacy privacy) {
        return new PreferenceChanges(privacy, timeZone, predictiveAnalyticsEnabled, notificationPreferences, clearNotificationPreferences);
    }

    public PreferenceChanges withTimeZone(String zoneName) {
        return new PreferenceChanges(leaderboardPrivacy, zoneName, predictiveAnalyticsEnabled, notificationPreferences,
                clearNotificationPreferences);
    }

    public PreferenceChanges withPredictiveAnalyticsEnabled(String json) {
        return new PreferenceChanges(leaderboardPrivacy, timeZone, json, notificationPreferences, clearNotificationPreferences);
    }

    /** Sets the notification preferences to {@code json}, or clears them when it is null. */
    public PreferenceChanges withNotificationPreferences(String json) {
        return new PreferenceChanges(leaderboardPrivacy, timeZone, predictiveAnalyticsEnabled, json, json == null);
    }
}
