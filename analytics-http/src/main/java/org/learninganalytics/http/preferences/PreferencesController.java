package org.learninganalytics.http.preferences;

import java.util.Iterator;
import java.util.Map;
import java.util.Set;

import org.learninganalytics.db.preferences.LeaderboardPrivacy;
import org.learninganalytics.db.preferences.PreferenceChanges;
import org.learninganalytics.db.preferences.Preferences;
import org.learninganalytics.db.preferences.UserPreferences;
import org.learninganalytics.http.internal.ApiException;
import org.learninganalytics.http.internal.Callers;
import org.learninganalytics.http.internal.Json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.javalin.http.Context;

/**
 * The caller's preferences: GET, and PATCH as an RFC 7396 merge patch. The patch is checked
 * whole and written in one library call, so a patch with one bad member changes nothing.
 * The two JSON members are merged into what is stored (read first, so two concurrent patches
 * of the same JSON member may lose one of them: the last writer wins, as with PUT).
 */
public final class PreferencesController {

    public static final String MERGE_PATCH = "application/merge-patch+json";
    private static final Set<String> MEMBERS = Set.of("leaderboardPrivacy", "timeZone", "predictiveAnalyticsEnabled",
            "notificationPreferences");

    private final Callers callers;

    public PreferencesController(Callers callers) {
        this.callers = callers;
    }

    public void get(Context ctx) {
        ctx.json(PreferencesJson.of(callers.user(ctx).preferences().mine()));
    }

    public void patch(Context ctx) {
        JsonNode patch = Json.readTree(ctx, MERGE_PATCH);
        if (!patch.isObject()) throw ApiException.invalid("", "a merge patch of preferences must be a JSON object");
        for (Iterator<String> names = patch.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!MEMBERS.contains(name)) throw ApiException.invalid("/" + name, "unknown field");
        }
        Preferences preferences = callers.user(ctx).preferences();
        PreferenceChanges changes = PreferenceChanges.none();
        if (patch.has("leaderboardPrivacy")) changes = changes.withLeaderboardPrivacy(privacy(patch.get("leaderboardPrivacy")));
        if (patch.has("timeZone")) changes = changes.withTimeZone(text(patch.get("timeZone"), "/timeZone"));
        if (patch.has("predictiveAnalyticsEnabled") || patch.has("notificationPreferences")) {
            UserPreferences current = preferences.mine();
            PreferencesJson stored = PreferencesJson.of(current);
            if (patch.has("predictiveAnalyticsEnabled")) {
                JsonNode value = patch.get("predictiveAnalyticsEnabled");
                if (value.isNull()) throw ApiException.invalid("/predictiveAnalyticsEnabled", "cannot be removed; set its members to false");
                changes = changes.withPredictiveAnalyticsEnabled(Json.write(merge(stored.predictiveAnalyticsEnabled(), value,
                        "/predictiveAnalyticsEnabled")));
            }
            if (patch.has("notificationPreferences")) {
                JsonNode value = patch.get("notificationPreferences");
                changes = changes.withNotificationPreferences(value.isNull() ? null
                        : Json.write(merge(stored.notificationPreferences(), value, "/notificationPreferences")));
            }
        }
        ctx.json(PreferencesJson.of(preferences.update(changes)));
    }

    private static LeaderboardPrivacy privacy(JsonNode value) {
        String text = text(value, "/leaderboardPrivacy");
        for (LeaderboardPrivacy privacy : LeaderboardPrivacy.values()) {
            if (privacy.sqlName().equals(text)) return privacy;
        }
        throw ApiException.invalid("/leaderboardPrivacy", "must be public, anonymous or hidden");
    }

    private static String text(JsonNode value, String pointer) {
        if (value == null || !value.isTextual()) throw ApiException.invalid(pointer, "must be a string (it cannot be removed)");
        return value.asText();
    }

    /** RFC 7396 section 2 for a member that must stay an object: the patch must be an object too. */
    static JsonNode merge(JsonNode target, JsonNode patch, String pointer) {
        if (!patch.isObject()) throw ApiException.invalid(pointer, "must be a JSON object");
        return mergeNested(target, patch);
    }

    /** Objects merge member by member, null removes, anything else replaces. */
    private static JsonNode mergeNested(JsonNode target, JsonNode patch) {
        ObjectNode result = target != null && target.isObject() ? ((ObjectNode) target).deepCopy() : Json.MAPPER.createObjectNode();
        for (Iterator<Map.Entry<String, JsonNode>> fields = patch.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (field.getValue().isNull()) result.remove(field.getKey());
            else if (field.getValue().isObject()) result.set(field.getKey(), mergeNested(result.get(field.getKey()), field.getValue()));
            else result.set(field.getKey(), field.getValue());
        }
        return result;
    }
}
