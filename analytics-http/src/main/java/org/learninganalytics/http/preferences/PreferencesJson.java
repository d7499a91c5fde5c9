package org.learninganalytics.http.preferences;


import org.learninganalytics.db.preferences.LeaderboardPrivacy;
import org.learninganalytics.db.preferences.UserPreferences;
import org.learninganalytics.http.internal.Json;

import com.fasterxml.jackson.databind.JsonNode;

/** A user's preferences; the two JSON columns travel as JSON objects. */
public record PreferencesJson(LeaderboardPrivacy leaderboardPrivacy, String timeZone, JsonNode predictiveAnalyticsEnabled,
                              JsonNode notificationPreferences) {

    public static PreferencesJson of(UserPreferences p) {
        return new PreferencesJson(p.leaderboardPrivacy(), p.timeZone().getId(), object(p.predictiveAnalyticsEnabled()),
                object(p.notificationPreferences()));
    }

    private static JsonNode object(String json) {
        return json == null ? Json.MAPPER.createObjectNode() : Json.stored(json);
    }
}
