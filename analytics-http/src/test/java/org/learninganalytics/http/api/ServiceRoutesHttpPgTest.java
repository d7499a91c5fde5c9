package org.learninganalytics.http.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
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

/** Ingestion, awards and admin routes with the service token; bad input writes nothing. */
@FreshDatabase
class ServiceRoutesHttpPgTest {

    private static final List<String> TABLES = List.of("organizations", "users", "user_roles", "courses", "enrollments",
            "skills", "user_skills", "point_transactions", "award_keys", "user_points", "user_achievements", "daily_activity",
            "activity_rules", "achievements", "level_curve");

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

    private ApiResponse post(String path, Object body) {
        return server.api.post(path).bearer(server.serviceToken()).json(body).send();
    }

    @Test
    void every_entity_is_ingested_and_counted() {
        UUID org = UUID.randomUUID();
        UUID user = UUID.randomUUID();
        UUID course = UUID.randomUUID();

        ApiResponse orgs = post("/v1/ingest/organizations", List.of(Map.of("id", org, "name", "Org C", "settings", Map.of("theme", "dark"))));
        ApiResponse users = post("/v1/ingest/users", List.of(Map.of("id", user, "email", "c@c.example", "fullName", "Cleo",
                "organizationId", org, "roles", List.of("learner", "org_admin"))));
        ApiResponse courses = post("/v1/ingest/courses", List.of(Map.of("id", course, "name", "C101", "organizationId", org)));
        ApiResponse enrollments = post("/v1/ingest/enrollments", List.of(Map.of("userId", user, "courseId", course,
                "enrolledAt", "2026-11-01T10:00:00Z", "progressPercent", 40)));
        ApiResponse skills = post("/v1/ingest/skills", List.of(Map.of("id", "skill-http", "name", "HTTP", "level", "beginner")));
        ApiResponse userSkills = post("/v1/ingest/user-skills", List.of(Map.of("userId", user, "skillId", "skill-http",
                "masteryLevel", 55.5)));
        ApiResponse again = post("/v1/ingest/organizations", List.of(Map.of("id", org, "name", "Org C", "settings", Map.of("theme", "dark"))));

        for (ApiResponse response : List.of(orgs, users, courses, enrollments, skills, userSkills)) {
            assertThat(response.status()).as(response.body()).isEqualTo(200);
            assertThat(response.json().get("inserted").asInt()).isEqualTo(1);
        }
        assertThat(again.json().get("unchanged").asInt()).isEqualTo(1);
    }

    @Test
    void a_bad_item_is_named_and_nothing_of_its_batch_is_written() throws Exception {
        Map<String, Long> before = counts();
        UUID org = UUID.randomUUID();
        List<Object> batch = new ArrayList<>();
        batch.add(Map.of("id", UUID.randomUUID(), "email", "ok@x.example", "fullName", "Ok", "organizationId", server.orgA, "roles", List.of("learner")));
        batch.add(Map.of("id", UUID.randomUUID(), "email", "nope@x.example", "fullName", "Nope", "organizationId", org, "roles", List.of("learner")));

        ApiResponse unknownOrg = post("/v1/ingest/users", batch);
        ApiResponse unknownField = post("/v1/ingest/courses", List.of(Map.of("id", UUID.randomUUID(), "name", "X",
                "organizationId", server.orgA, "price", 3)));
        ApiResponse badRole = post("/v1/ingest/users", List.of(Map.of("id", UUID.randomUUID(), "email", "r@x.example", "fullName", "R",
                "organizationId", server.orgA, "roles", List.of("emperor"))));
        ApiResponse upperCase = post("/v1/ingest/users", List.of(Map.of("id", UUID.randomUUID(), "email", "u@x.example", "fullName", "U",
                "organizationId", server.orgA, "roles", List.of("LEARNER"))));
        ApiResponse notArray = post("/v1/ingest/skills", Map.of("id", "s"));
        ApiResponse unknownEntity = post("/v1/ingest/planets", List.of());

        assertThat(unknownOrg.status()).as(unknownOrg.body()).isEqualTo(422);
        assertThat(unknownOrg.json().get("errors").get(0).get("pointer").asText()).isEqualTo("/1");
        assertThat(unknownField.status()).isEqualTo(400);
        assertThat(unknownField.json().get("errors").get(0).get("pointer").asText()).isEqualTo("/0/price");
        assertThat(badRole.status()).isEqualTo(400);
        assertThat(badRole.json().get("errors").get(0).get("pointer").asText()).isEqualTo("/0/roles/0");
        assertThat(upperCase.status()).as("enums are the contract's lower-case words").isEqualTo(400);
        assertThat(notArray.status()).isEqualTo(400);
        assertThat(unknownEntity.status()).isEqualTo(404);
        for (ApiResponse r : List.of(unknownOrg, unknownField, badRole, upperCase, notArray)) {
            assertThat(r.body()).doesNotContainIgnoringCase("sql").doesNotContain("constraint", "fk_", "Exception");
        }
        assertThat(counts()).isEqualTo(before);
    }

    @Test
    void a_batch_of_ten_thousand_items_fits_and_one_more_is_refused() {
        List<Object> skills = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            skills.add(Map.of("id", "bulk-" + i, "name", "Bulk skill number " + i, "domain", "bulk-domain", "level", "intermediate"));
        }
        ApiResponse fits = post("/v1/ingest/skills", skills);
        skills.add(Map.of("id", "bulk-x", "name", "One too many"));
        ApiResponse tooMany = post("/v1/ingest/skills", skills);

        assertThat(fits.status()).as(fits.body()).isEqualTo(200);
        assertThat(fits.json().get("total").asInt()).isEqualTo(10_000);
        assertThat(tooMany.status()).isEqualTo(400);
    }

    @Test
    void awards_are_idempotent_and_bad_ones_write_nothing() throws Exception {
        String key = "svc-" + UUID.randomUUID();
        Map<String, Object> award = new LinkedHashMap<>(Map.of("userId", server.bob, "activityType", "quiz_completed",
                "idempotencyKey", key, "metadata", Map.of("quiz", "q1")));
        ApiResponse first = post("/v1/awards", award);
        ApiResponse replay = post("/v1/awards", award);
        award.put("points", 99);
        ApiResponse reused = post("/v1/awards", award);
        Map<String, Long> before = counts();
        ApiResponse unknownType = post("/v1/awards", Map.of("userId", server.bob, "activityType", "napping", "idempotencyKey", "n1"));
        ApiResponse unknownUser = post("/v1/awards", Map.of("userId", UUID.randomUUID(), "activityType", "quiz_completed", "idempotencyKey", "n2"));
        ApiResponse missingKey = post("/v1/awards", Map.of("userId", server.bob, "activityType", "quiz_completed"));
        ApiResponse badPoints = post("/v1/awards", Map.of("userId", server.bob, "activityType", "quiz_completed", "idempotencyKey", "n3", "points", -5));

        assertThat(first.status()).as(first.body()).isEqualTo(201);
        assertThat(first.json().get("points").asInt()).isEqualTo(25);
        assertThat(replay.status()).isEqualTo(200);
        assertThat(replay.json().get("replayed").asBoolean()).isTrue();
        assertThat(reused.status()).isEqualTo(422);
        assertThat(unknownType.status()).isEqualTo(422);
        assertThat(unknownUser.status()).isEqualTo(422);
        assertThat(missingKey.status()).isEqualTo(400);
        assertThat(badPoints.status()).isEqualTo(422);
        assertThat(counts()).isEqualTo(before);
    }

    @Test
    void admin_routes_read_and_change_rules() throws Exception {
        JsonNode rules = server.api.get("/v1/admin/activity-rules").bearer(server.serviceToken()).send().json();
        assertThat(rules.get("items")).extracting(r -> r.get("activityType").asText()).contains("forum_post", "daily_login");

        ApiResponse put = server.api.put("/v1/admin/activity-rules/peer_review").bearer(server.serviceToken())
                .json(Map.of("points", 15, "selfReportable", false, "maxPerWindow", 5, "windowSeconds", 3600)).send();
        assertThat(put.status()).as(put.body()).isEqualTo(200);
        assertThat(put.json().get("windowSeconds").asLong()).isEqualTo(3600);

        Map<String, Long> before = counts();
        ApiResponse badRule = server.api.put("/v1/admin/activity-rules/peer_review").bearer(server.serviceToken())
                .json(Map.of("points", -1)).send();
        assertThat(badRule.status()).isEqualTo(422);
        ApiResponse badCriteria = server.api.put("/v1/admin/achievements/x").bearer(server.serviceToken())
                .json(Map.of("name", "X", "criteria", Map.of("mood", 3))).send();
        assertThat(badCriteria.status()).isEqualTo(400);
        assertThat(counts()).isEqualTo(before);

        ApiResponse achievement = server.api.put("/v1/admin/achievements/reviewer").bearer(server.serviceToken())
                .json(Map.of("name", "Reviewer", "description", "Review 3 peers", "icon", "R", "tier", "beginner",
                        "criteria", Map.of("activityType", "peer_review", "activityCount", 3))).send();
        assertThat(achievement.status()).as(achievement.body()).isEqualTo(200);
        assertThat(server.api.get("/v1/admin/achievements").bearer(server.serviceToken()).send().json().get("items"))
                .extracting(a -> a.get("id").asText()).contains("reviewer");

        JsonNode curve = server.api.get("/v1/admin/level-curve").bearer(server.serviceToken()).send().json();
        assertThat(curve.get("kind").asText()).isEqualTo("progressive");
        ApiResponse linear = server.api.put("/v1/admin/level-curve").bearer(server.serviceToken())
                .json(Map.of("kind", "linear", "basePoints", 50)).send();
        assertThat(linear.status()).as(linear.body()).isEqualTo(200);
        assertThat(server.api.put("/v1/admin/level-curve").bearer(server.serviceToken())
                .json(Map.of("kind", "cubic", "basePoints", 50)).send().status()).isEqualTo(400);
        server.api.put("/v1/admin/level-curve").bearer(server.serviceToken()).json(Map.of("kind", "progressive", "basePoints", 100)).send();
    }

    @Test
    void refresh_and_ledger_replay() {
        ApiResponse all = server.api.post("/v1/admin/leaderboards/refresh").bearer(server.serviceToken()).send();
        ApiResponse weekly = server.api.post("/v1/admin/leaderboards/refresh?board=weekly").bearer(server.serviceToken()).send();
        ApiResponse allTime = server.api.post("/v1/admin/leaderboards/refresh?board=all-time").bearer(server.serviceToken()).send();
        ApiResponse dryRun = server.api.post("/v1/admin/ledger-replay").bearer(server.serviceToken()).send();
        ApiResponse oneUser = server.api.post("/v1/admin/ledger-replay?userId=" + server.alice + "&apply=true").bearer(server.serviceToken()).send();
        ApiResponse badUser = server.api.post("/v1/admin/ledger-replay?userId=alice").bearer(server.serviceToken()).send();

        assertThat(all.status()).isEqualTo(200);
        assertThat(all.json().get("items")).hasSize(2);
        assertThat(weekly.json().get("items")).hasSize(1);
        assertThat(allTime.status()).isEqualTo(400);
        assertThat(dryRun.status()).isEqualTo(200);
        assertThat(dryRun.json().get("applied").asBoolean()).isFalse();
        assertThat(dryRun.json().get("differences")).isEmpty();
        assertThat(oneUser.json().get("applied").asBoolean()).isTrue();
        assertThat(badUser.status()).isEqualTo(400);
    }

    private static Map<String, Long> counts() throws Exception {
        Map<String, Long> counts = new LinkedHashMap<>();
        try (Connection connection = db.connect(); Statement sql = connection.createStatement()) {
            for (String table : TABLES) {
                try (ResultSet rows = sql.executeQuery("SELECT count(*), coalesce(sum(hashtext(t::text)), 0) FROM analytics." + table + " t")) {
                    rows.next();
                    counts.put(table, rows.getLong(1) * 1_000_003L + rows.getLong(2));
                }
            }
        }
        return counts;
    }
}
