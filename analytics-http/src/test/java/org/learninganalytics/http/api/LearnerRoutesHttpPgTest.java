package org.learninganalytics.http.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.learninganalytics.db.testing.FreshDatabase;
import org.learninganalytics.db.testing.TestDatabase;
import org.learninganalytics.http.testing.ApiClient.ApiResponse;
import org.learninganalytics.http.testing.TestServer;

import com.fasterxml.jackson.databind.JsonNode;

/** The learner-facing routes, as a learner, a trainer and admins of organization A would call them. */
@FreshDatabase
class LearnerRoutesHttpPgTest {

    private static TestServer server;
    private static TestDatabase db;

    @BeforeAll
    static void start(TestDatabase database) {
        db = database;
        server = TestServer.start(database);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private ApiResponse get(UUID caller, String path) {
        return server.api.get(path).bearer(server.token(caller)).send();
    }

    @Test
    void me_says_who_the_caller_is_from_the_database() {
        JsonNode me = get(server.alice, "/v1/me").json();

        assertThat(me.get("id").asText()).isEqualTo(server.alice.toString());
        assertThat(me.get("fullName").asText()).isEqualTo("Alice");
        assertThat(me.get("organization").get("id").asText()).isEqualTo(server.orgA.toString());
        assertThat(me.get("organization").get("name").asText()).isEqualTo("Org A");
        assertThat(me.get("roles")).extracting(JsonNode::asText).containsExactly("learner");
        assertThat(me.get("points").get("totalPoints").asInt()).isEqualTo(100);
        assertThat(me.get("preferences").get("leaderboardPrivacy").asText()).isEqualTo("public");
    }

    @Test
    void points_of_me_and_of_a_visible_user() {
        assertThat(get(server.alice, "/v1/me/points").json().get("totalPoints").asInt()).isEqualTo(100);
        assertThat(get(server.trainer, "/v1/users/" + server.alice + "/points").json().get("totalPoints").asInt())
                .as("a trainer sees the learners of their course").isEqualTo(100);
        assertThat(get(server.alice, "/v1/users/" + server.alice + "/points").status()).isEqualTo(200);
    }

    @Test
    void a_learner_cannot_see_another_learner() {
        ApiResponse response = get(server.alice, "/v1/users/" + server.anon + "/points");

        assertThat(response.status()).isEqualTo(404);
        assertThat(response.header("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
    }

    @Test
    void the_ledger_pages_newest_first_with_a_cursor() {
        UUID owner = server.orgAdmin; // no one else's points in this class change
        for (int i = 0; i < 3; i++) {
            server.db.system().gamification().awards().award(new org.learninganalytics.db.gamification.Award(
                    owner, "lesson_completed", "ledger-" + i, 1, "{\"n\": " + i + "}", null));
        }
        JsonNode first = get(owner, "/v1/me/points/transactions?limit=2").json();
        JsonNode rest = get(owner, "/v1/me/points/transactions?limit=2&cursor=" + first.get("nextCursor").asText()).json();

        assertThat(first.get("items")).extracting(t -> t.get("metadata").get("n").asInt()).containsExactly(2, 1);
        assertThat(rest.get("items")).extracting(t -> t.get("metadata").get("n").asInt()).containsExactly(0);
        assertThat(rest.get("nextCursor").isNull()).isTrue();
        assertThat(get(server.trainer, "/v1/users/" + server.alice + "/points/transactions").json().get("items"))
                .as("a trainer reads the ledger of their course's learner").hasSize(1);
        assertThat(get(server.bob, "/v1/users/" + server.alice + "/points/transactions").status()).isEqualTo(404);
        assertThat(get(owner, "/v1/me/points/transactions?limit=501").status()).isEqualTo(400);
        assertThat(get(owner, "/v1/me/points/transactions?cursor=forged").status()).isEqualTo(400);
    }

    @Test
    void a_self_reported_activity_is_awarded_once_per_key() {
        String key = UUID.randomUUID().toString();
        ApiResponse first = report(server.anon, key, Map.of("activityType", "forum_post", "metadata", Map.of("thread", "t1")));
        ApiResponse again = report(server.anon, key, Map.of("activityType", "forum_post", "metadata", Map.of("thread", "t1")));
        ApiResponse otherPayload = report(server.anon, key, Map.of("activityType", "video_watched"));
        ApiResponse tooSoon = report(server.anon, UUID.randomUUID().toString(), Map.of("activityType", "forum_post"));

        assertThat(first.status()).as(first.body()).isEqualTo(201);
        assertThat(first.json().get("replayed").asBoolean()).isFalse();
        assertThat(first.json().get("points").asInt()).isEqualTo(10);
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json().get("replayed").asBoolean()).isTrue();
        assertThat(otherPayload.status()).isEqualTo(422);
        assertThat(otherPayload.json().get("type").asText()).endsWith("/idempotency-key-reused");
        assertThat(tooSoon.status()).as("forum posts are spaced by 3 minutes").isEqualTo(429);
        assertThat(tooSoon.json().get("type").asText()).endsWith("/capped");
    }

    @Test
    void an_activity_needs_a_key_a_known_self_reportable_type_and_a_clean_body() {
        assertThat(server.api.post("/v1/me/activities").bearer(server.token(server.alice))
                .json(Map.of("activityType", "forum_post")).send().status()).isEqualTo(400);
        assertThat(report(server.alice, "k-" + UUID.randomUUID(), Map.of("activityType", "course_completed")).status())
                .as("not self-reportable").isEqualTo(422);
        ApiResponse unknownField = report(server.alice, "k-" + UUID.randomUUID(), Map.of("activityType", "forum_post", "points", 1000));
        assertThat(unknownField.status()).isEqualTo(400);
        assertThat(unknownField.json().get("errors").get(0).get("pointer").asText()).isEqualTo("/points");
        assertThat(server.api.post("/v1/me/activities").bearer(server.token(server.alice)).header("Idempotency-Key", "k")
                .body("text/plain", "forum_post").send().status()).isEqualTo(415);
    }

    private ApiResponse report(UUID caller, String key, Object body) {
        return server.api.post("/v1/me/activities").bearer(server.token(caller)).header("Idempotency-Key", key).json(body).send();
    }

    @Test
    void achievements_catalogue_and_earned() {
        JsonNode catalogue = get(server.alice, "/v1/achievements").json();
        JsonNode earned = get(server.alice, "/v1/me/achievements").json();

        assertThat(catalogue.get("items").size()).isGreaterThanOrEqualTo(16);
        assertThat(earned.get("items")).extracting(a -> a.get("id").asText()).contains("first-points");
        assertThat(earned.get("items").get(0).get("earnedAt").asText()).isNotEmpty();
    }

    @Test
    void leaderboards_rank_within_the_organization_and_hide_who_asked_to_be_hidden() {
        JsonNode weekly = get(server.alice, "/v1/leaderboards/weekly?limit=50").json();

        assertThat(weekly.get("board").asText()).isEqualTo("weekly");
        assertThat(weekly.get("refreshedAt").asText()).isNotEmpty();
        assertThat(weekly.toString()).doesNotContain(server.bob.toString(), server.hidden.toString(), "Hidden Hugo", "Bob",
                server.anon.toString(), "Anna");
        assertThat(weekly.get("entries")).extracting(e -> e.get("points").asLong()).startsWith(100L, 50L);
        for (String board : new String[] {"monthly", "all-time"}) {
            JsonNode page = get(server.alice, "/v1/leaderboards/" + board).json();
            assertThat(page.toString()).doesNotContain(server.hidden.toString(), server.bob.toString());
        }
        assertThat(get(server.alice, "/v1/leaderboards/yearly").status()).isEqualTo(404);
        assertThat(get(server.alice, "/v1/leaderboards/weekly?limit=0").status()).isEqualTo(400);
    }

    @Test
    void leaderboard_pages_join_up_through_the_cursor() {
        JsonNode first = get(server.alice, "/v1/leaderboards/all-time?limit=1").json();
        String cursor = first.get("nextCursor").asText();
        JsonNode second = get(server.alice, "/v1/leaderboards/all-time?limit=1&cursor=" + cursor).json();

        assertThat(first.get("entries").get(0).get("points").asLong()).isEqualTo(100);
        assertThat(second.get("entries").get(0).get("points").asLong()).isLessThanOrEqualTo(100);
        assertThat(get(server.alice, "/v1/leaderboards/all-time?cursor=not-a-cursor").status()).isEqualTo(400);
    }

    @Test
    void around_me_and_conditional_get() {
        JsonNode around = get(server.alice, "/v1/leaderboards/weekly/around-me?neighbours=1").json();
        assertThat(around.get("entries")).anySatisfy(e -> assertThat(e.get("me").asBoolean()).isTrue());
        assertThat(get(server.hidden, "/v1/leaderboards/weekly/around-me").json().get("entries")).isEmpty();
        assertThat(get(server.alice, "/v1/leaderboards/weekly/around-me?neighbours=51").status()).isEqualTo(400);

        ApiResponse page = get(server.alice, "/v1/leaderboards/weekly");
        String etag = page.header("ETag").orElseThrow();
        String lastModified = page.header("Last-Modified").orElseThrow();
        ApiResponse notModified = server.api.get("/v1/leaderboards/weekly").bearer(server.token(server.alice))
                .header("If-None-Match", etag).send();
        ApiResponse sinceRefresh = server.api.get("/v1/leaderboards/weekly").bearer(server.token(server.alice))
                .header("If-Modified-Since", lastModified).send();
        ApiResponse otherCaller = server.api.get("/v1/leaderboards/weekly").bearer(server.token(server.anon))
                .header("If-None-Match", etag).send();

        assertThat(notModified.status()).isEqualTo(304);
        assertThat(notModified.body()).isEmpty();
        assertThat(sinceRefresh.status()).isEqualTo(304);
        assertThat(otherCaller.status()).as("another caller's page differs (the 'me' flag)").isEqualTo(200);
    }

    @Test
    void preferences_are_read_and_merge_patched() {
        UUID caller = server.orgAdmin;
        JsonNode before = get(caller, "/v1/me/preferences").json();
        assertThat(before.get("timeZone").asText()).isEqualTo("UTC");

        ApiResponse patched = patch(caller, Map.of("leaderboardPrivacy", "anonymous",
                "notificationPreferences", Map.of("email", false)));
        ApiResponse merged = patch(caller, Map.of("notificationPreferences", Map.of("push", true),
                "predictiveAnalyticsEnabled", Map.of("forecasting", false)));

        assertThat(patched.status()).as(patched.body()).isEqualTo(200);
        assertThat(merged.json().get("leaderboardPrivacy").asText()).isEqualTo("anonymous");
        assertThat(merged.json().get("notificationPreferences").get("email").asBoolean()).isFalse();
        assertThat(merged.json().get("notificationPreferences").get("push").asBoolean()).isTrue();
        assertThat(merged.json().get("predictiveAnalyticsEnabled").get("forecasting").asBoolean()).isFalse();
        assertThat(merged.json().get("predictiveAnalyticsEnabled").get("dropOffRisk").asBoolean()).as("merged, not replaced").isTrue();
        assertThat(get(caller, "/v1/me/preferences").json()).isEqualTo(merged.json());
    }

    @Test
    void a_bad_preferences_patch_changes_nothing() {
        UUID caller = server.platformAdmin;
        JsonNode before = get(caller, "/v1/me/preferences").json();

        ApiResponse badZone = patch(caller, Map.of("leaderboardPrivacy", "hidden", "timeZone", "+14:00"));
        ApiResponse badPrivacy = patch(caller, Map.of("leaderboardPrivacy", "invisible", "timeZone", "Europe/Paris"));
        ApiResponse unknown = patch(caller, Map.of("leaderboardPrivacy", "hidden", "favouriteColour", "blue"));
        ApiResponse notAnObject = patch(caller, Map.of("leaderboardPrivacy", "hidden", "notificationPreferences", "all"));
        ApiResponse wrongType = server.api.patch("/v1/me/preferences").bearer(server.token(caller))
                .json(Map.of("leaderboardPrivacy", "hidden")).send();

        assertThat(badZone.status()).isEqualTo(400);
        assertThat(badPrivacy.status()).isEqualTo(400);
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(notAnObject.status()).isEqualTo(400);
        assertThat(wrongType.status()).isEqualTo(415);
        assertThat(get(caller, "/v1/me/preferences").json()).isEqualTo(before);
    }

    private ApiResponse patch(UUID caller, Object body) {
        return server.api.patch("/v1/me/preferences").bearer(server.token(caller)).body("application/merge-patch+json", body).send();
    }
}
