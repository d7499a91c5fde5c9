package org.learninganalytics.db.preferences;

import java.util.Locale;

/** How a user appears on leaderboards (user_preferences.leaderboard_privacy). */
public enum LeaderboardPrivacy {
    /** Shown with their name. */
    PUBLIC,
    /** Shown under a stable pseudonym, without name or id. */
    ANONYMOUS,
    /** Left off leaderboards. */
    HIDDEN;

    public String sqlName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static LeaderboardPrivacy fromSqlName(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
