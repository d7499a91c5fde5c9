package org.learninganalytics.http.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.learninganalytics.db.testing.FreshDatabase;
import org.learninganalytics.db.testing.TestDatabase;
import org.learninganalytics.http.testing.ApiClient.ApiResponse;
import org.learninganalytics.http.testing.TestServer;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The learner-analytics routes: all six of me, one analytic of a visible user, its history;
 * cached answers say when they were calculated and expire, in the body and the headers; a
 * learner of organization A gets 404 for users of organization B.
 */
@FreshDatabase
class AnalyticsHttpPgTest {

    private static TestServer server;
    private static TestDatabase db;

    @BeforeAll
    static void start(TestDatabase database) throws Exception {
        db = database;
        server = TestServer.start(database);
        // Learning events straight into the table (their ingestion API is another feature's).
        try (Connection connection = database.connect(); PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO analytics.learning_events (event_id, user_id, verb, object_id, object_type, score_scaled, duration_seconds,"
                        + " occurred_at) VALUES (gen_random_uuid(), ?, ?, ?, ?, ?, ?, ?)")) {
            Object[][] events = {
                    {"experienced", "v1", "video", null, 900, Duration.ofDays(2)},
                    {"passed", "q1", "quiz", 0.8, 60, Duration.ofDays(1)}};
            for (Object[] event : events) {
                insert.setObject(1, server.alice);
                insert.setString(2, (String) event[0]);
                insert.setString(3, (String) event[1]);
                insert.setString(4, (String) event[2]);
                insert.setObject(5, event[3]);
                insert.setObject(6, event[4]);
                insert.setTimestamp(7, Timestamp.from(Instant.now().minus((Duration) event[5])));
                insert.execute();
            }
        }
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private ApiResponse get(UUID caller, String path) {
        return server.api.get(path).bearer(server.token(caller)).send();
    }

    @Test
    void all_six_of_me_with_when_they_were_calculated_and_expire() {
        ApiResponse response = get(server.alice, "/v1/me/analytics");
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        JsonNode analytics = response.json().get("analytics");
        assertThat(analytics.fieldNames()).toIterable()
                .containsExactly("velocity", "skillGaps", "engagement", "mastery", "performance", "contentEffectiveness");
        JsonNode engagement = analytics.get("engagement");
        assertThat(engagement.get("status").asText()).isEqualTo("ok");
        assertThat(engagement.get("result").get("weeklyTrend")).hasSize(12);
        Instant calculated = Instant.parse(engagement.get("calculatedAt").asText());
        assertThat(Duration.between(calculated, Instant.parse(engagement.get("expiresAt").asText()))).isEqualTo(Duration.ofHours(1));
        assertThat(analytics.get("performance").get("result").get("assessmentsTaken").asInt()).isEqualTo(1);
        assertThat(analytics.get("mastery").get("status").asText()).isEqualTo("insufficient_data");
        assertThat(analytics.get("mastery").get("missing")).extracting(JsonNode::asText).containsExactly("user_skills");
        // headers: the newest calculation, the first expiry (engagement's 1 h)
        assertThat(response.header("Cache-Control")).hasValueSatisfying(v -> assertThat(v).matches("private, max-age=3[0-9]{3}"));
        Instant expires = ZonedDateTime.parse(response.header("Expires").orElseThrow(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        assertThat(expires).isEqualTo(Instant.parse(engagement.get("expiresAt").asText()).truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
        assertThat(response.header("Last-Modified")).isPresent();

        // a second read is the same cached answer
        JsonNode again = get(server.alice, "/v1/me/analytics").json().get("analytics");
        assertThat(again.get("velocity").get("id")).isEqualTo(analytics.get("velocity").get("id"));
    }

    @Test
    void one_analytic_of_a_visible_user_and_its_history() {
        ApiResponse velocity = get(server.trainer, "/v1/users/" + server.alice + "/analytics/velocity");
        assertThat(velocity.status()).as(velocity.body()).isEqualTo(200);
        assertThat(velocity.json().get("type").asText()).isEqualTo("velocity");
        // progress 10 now, 0 before: pace 10 / 4 = 2.5 of a target 100 / 12 = 8.33 -> ratio 0.3 -> at_risk
        assertThat(velocity.json().get("result").get("status").asText()).isEqualTo("at_risk");
        assertThat(velocity.header("Cache-Control")).hasValueSatisfying(v -> assertThat(v).startsWith("private, max-age="));
        for (String type : new String[] {"skill-gaps", "engagement", "mastery", "performance", "content-effectiveness"}) {
            ApiResponse one = get(server.alice, "/v1/users/" + server.alice + "/analytics/" + type);
            assertThat(one.status()).as(type + ": " + one.body()).isEqualTo(200);
            assertThat(one.json().get("type").asText()).isEqualTo(type);
        }
        ApiResponse history = get(server.alice, "/v1/users/" + server.alice + "/analytics/velocity?from="
                + Instant.now().minus(Duration.ofDays(1)) + "&to=" + Instant.now().plusSeconds(60));
        assertThat(history.status()).as(history.body()).isEqualTo(200);
        assertThat(history.json().get("items")).hasSize(1);
        assertThat(history.json().get("items").get(0).get("id")).isEqualTo(velocity.json().get("id"));
        assertThat(history.header("Cache-Control")).contains("private, no-cache");
        ApiResponse onlyFrom = get(server.alice, "/v1/users/" + server.alice + "/analytics/velocity?from=" + Instant.now().minus(Duration.ofDays(2)));
        assertThat(onlyFrom.json().get("items")).hasSize(1);
    }

    @Test
    void other_organizations_unknown_types_and_bad_ranges() {
        assertThat(get(server.bob, "/v1/users/" + server.alice + "/analytics/velocity").status()).isEqualTo(404);
        assertThat(get(server.bob, "/v1/users/" + server.alice + "/analytics/velocity?from=2026-01-01T00:00:00Z").status()).isEqualTo(404);
        assertThat(get(server.alice, "/v1/users/" + server.bob + "/analytics/mastery").status()).isEqualTo(404);
        assertThat(get(server.alice, "/v1/users/" + server.anon + "/analytics/mastery").status()).as("another learner").isEqualTo(404);
        assertThat(get(server.orgAdmin, "/v1/users/" + server.anon + "/analytics/mastery").status()).isEqualTo(200);
        assertThat(get(server.alice, "/v1/users/" + server.alice + "/analytics/velocity?from=yesterday").status()).isEqualTo(400);
        assertThat(get(server.alice, "/v1/users/" + server.alice + "/analytics/velocity?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z")
                .status()).isEqualTo(400);
        assertThat(server.api.get("/v1/me/analytics").bearer(server.serviceToken()).send().status()).isEqualTo(403);
    }
}
