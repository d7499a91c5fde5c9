package org.learninganalytics.http.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
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
 * GET /v1/users/{userId}/predictions/{type}: alice (enrolled in courseA 40 days ago, active on
 * 8 days) as herself, her trainer and others; switching off makes it 404 for everyone.
 */
@FreshDatabase
class PredictionsHttpPgTest {

    private static TestServer server;

    @BeforeAll
    static void start(TestDatabase database) throws SQLException {
        server = TestServer.start(database);
        try (Connection admin = database.connect(); Statement sql = admin.createStatement()) {
            sql.execute("SET search_path = analytics");
            sql.execute("UPDATE enrollments SET enrolled_at = now() - interval '40 days', progress_percent = 30 WHERE user_id = '"
                    + server.alice + "'");
            for (int[] day : new int[][] {{30, 10}, {17, 14}, {10, 18}}) {
                sql.execute("INSERT INTO learning_events (event_id, user_id, verb, object_id, object_type, course_id, progress_percent,"
                        + " occurred_at) VALUES (gen_random_uuid(), '" + server.alice + "', 'progressed', 'course', 'course', '"
                        + server.courseA + "', " + day[1] + ", now() - interval '" + day[0] + " days')");
            }
            for (int day : new int[] {20, 18, 16, 15, 5}) {
                sql.execute("INSERT INTO learning_events (event_id, user_id, verb, object_id, object_type, occurred_at) VALUES"
                        + " (gen_random_uuid(), '" + server.alice + "', 'experienced', 'video', 'video', now() - interval '" + day + " days')");
            }
        }
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static ApiResponse get(UUID caller, String path) {
        return server.api.get(path).bearer(server.token(caller)).send();
    }

    @Test
    void GET_prediction_computes_once_and_says_when_it_was_calculated_and_expires() {
        ApiResponse first = get(server.alice, "/v1/users/" + server.alice + "/predictions/drop-off-risk");
        ApiResponse trainers = get(server.trainer, "/v1/users/" + server.alice + "/predictions/drop-off-risk");

        assertThat(first.status()).isEqualTo(200);
        JsonNode body = first.json();
        assertThat(body.get("type").asText()).isEqualTo("drop-off-risk");
        assertThat(body.get("status").asText()).isEqualTo("ok");
        assertThat(body.get("data").get("factors")).hasSize(4);
        assertThat(body.get("data").get("level").asText()).isIn("low", "medium", "high");
        assertThat(first.header("Expires")).isPresent();
        assertThat(first.header("Last-Modified")).isPresent();
        assertThat(first.header("Cache-Control")).hasValueSatisfying(v -> assertThat(v).startsWith("private, max-age="));
        assertThat(trainers.json().get("calculatedAt")).as("the trainer reads the cached one").isEqualTo(body.get("calculatedAt"));
        assertThat(get(server.alice, "/v1/users/" + server.alice + "/predictions/forecast").json().get("data").get("enrollments"))
                .hasSize(1);
        assertThat(get(server.alice, "/v1/users/" + server.alice + "/predictions/recommendations").json().get("status").asText())
                .isEqualTo("insufficient_data");
    }

    @Test
    void GET_prediction_is_404_for_outsiders_unknown_types_and_switched_off_predictions() {
        assertThat(get(server.bob, "/v1/users/" + server.alice + "/predictions/forecast").status()).isEqualTo(404);
        assertThat(get(server.alice, "/v1/users/" + server.alice + "/predictions/horoscope").status()).isEqualTo(404);
        assertThat(get(server.alice, "/v1/users/not-a-uuid/predictions/forecast").status()).isEqualTo(400);

        ApiResponse off = server.api.patch("/v1/me/preferences").bearer(server.token(server.anon))
                .body("application/merge-patch+json", "{\"predictiveAnalyticsEnabled\": {\"forecasting\": false}}").send();
        assertThat(off.status()).isEqualTo(200);
        assertThat(get(server.anon, "/v1/users/" + server.anon + "/predictions/forecast").status()).isEqualTo(404);
        assertThat(get(server.orgAdmin, "/v1/users/" + server.anon + "/predictions/forecast").status()).isEqualTo(404);
    }
}
