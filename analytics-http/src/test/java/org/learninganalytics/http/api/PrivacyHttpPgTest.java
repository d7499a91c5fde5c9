package org.learninganalytics.http.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.learninganalytics.db.testing.FreshDatabase;
import org.learninganalytics.db.testing.TestDatabase;
import org.learninganalytics.http.testing.ApiClient.ApiResponse;
import org.learninganalytics.http.testing.TestServer;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Export and erasure over HTTP, service token only: alice (100 points, first on the weekly
 * board of org A above anon's 50) is exported, then erased.
 */
@FreshDatabase
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PrivacyHttpPgTest {

    private static TestServer server;

    @BeforeAll
    static void start(TestDatabase database) {
        server = TestServer.start(database);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static ApiResponse erase(UUID user, String token) {
        return server.api.post("/v1/admin/users/" + user + "/erase").bearer(token).send();
    }

    private static ApiResponse export(UUID user, String token) {
        return server.api.get("/v1/admin/users/" + user + "/export").bearer(token).send();
    }

    @Test
    @Order(1)
    void only_the_service_may_erase_or_export_and_unknown_users_are_404() {
        for (UUID caller : new UUID[] {server.alice, server.trainer, server.orgAdmin, server.platformAdmin}) {
            assertThat(export(server.alice, server.token(caller)).status()).as("export by a user token").isEqualTo(403);
            assertThat(erase(server.alice, server.token(caller)).status()).as("erase by a user token").isEqualTo(403);
        }
        ApiResponse unknown = erase(UUID.randomUUID(), server.serviceToken());
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.header("Content-Type").orElseThrow()).startsWith("application/problem+json");
        assertThat(unknown.json().get("type").asText()).endsWith("/not-found");
        assertThat(export(UUID.randomUUID(), server.serviceToken()).status()).isEqualTo(404);
        assertThat(server.api.get("/v1/admin/users/not-a-uuid/export").bearer(server.serviceToken()).send().status()).isEqualTo(400);
    }

    @Test
    @Order(2)
    void GET_export_returns_everything_about_the_user_and_nothing_of_others() {
        ApiResponse response = export(server.alice, server.serviceToken());

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("Content-Type").orElseThrow()).startsWith("application/json");
        assertThat(response.header("Cache-Control").orElseThrow()).isEqualTo("no-store");
        JsonNode export = response.json();
        assertThat(export.get("userId").asText()).isEqualTo(server.alice.toString());
        assertThat(export.get("profile").get("email").asText()).isEqualTo("alice@a.example");
        assertThat(export.get("profile").get("organizationId").asText()).isEqualTo(server.orgA.toString());
        assertThat(export.get("roles").get(0).get("role").asText()).isEqualTo("learner");
        assertThat(export.get("enrollments").get(0).get("courseId").asText()).isEqualTo(server.courseA.toString());
        assertThat(export.get("points").get("totalPoints").asInt()).isEqualTo(100);
        assertThat(export.get("ledger")).hasSize(1);
        assertThat(export.get("ledger").get(0).get("activityType").asText()).isEqualTo("course_completed");
        assertThat(export.get("awardKeys").get(0).get("idempotencyKey").asText()).isEqualTo("seed-alice");
        assertThat(export.get("analytics").has("velocity")).isTrue();
        assertThat(response.body()).doesNotContain(server.bob.toString(), server.anon.toString(), "seed-anon");
    }

    @Test
    @Order(3)
    void POST_erase_returns_a_receipt_without_personal_data_and_takes_the_user_off_the_board_at_once() {
        JsonNode before = server.api.get("/v1/leaderboards/weekly").bearer(server.token(server.anon)).send().json();
        assertThat(before.get("entries").get(0).get("displayName").asText()).isEqualTo("Alice");
        assertThat(before.get("entries").get(1).get("rank").asInt()).isEqualTo(2);

        ApiResponse erased = erase(server.alice, server.serviceToken());

        assertThat(erased.status()).isEqualTo(200);
        JsonNode receipt = erased.json();
        assertThat(receipt.get("receiptId").asText()).isNotBlank();
        assertThat(receipt.get("erasedAt").asText()).isNotBlank();
        assertThat(receipt.get("deletedRows").get("users").asLong()).isEqualTo(1);
        assertThat(receipt.get("deletedRows").get("point_transactions").asLong()).isEqualTo(1);
        assertThat(receipt.get("refreshed").toString()).contains("leaderboard_weekly");
        assertThat(erased.body()).doesNotContain(server.alice.toString(), "alice", "Alice");

        JsonNode after = server.api.get("/v1/leaderboards/weekly").bearer(server.token(server.anon)).send().json();
        assertThat(after.get("entries")).hasSize(before.get("entries").size() - 1);
        assertThat(after.get("entries").get(0).get("me").asBoolean()).isTrue();
        assertThat(after.get("entries").get(0).get("rank").asInt()).as("anon moved up").isEqualTo(1);
        assertThat(erase(server.alice, server.serviceToken()).status()).as("a second erasure finds nobody").isEqualTo(404);
        assertThat(export(server.alice, server.serviceToken()).status()).isEqualTo(404);
    }
}
