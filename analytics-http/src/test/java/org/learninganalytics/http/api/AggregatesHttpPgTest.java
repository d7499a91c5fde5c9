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
 * Peer comparison, skill demand and their refresh over HTTP: alice and 11 peers in
 * organization A (paces 1 to 12), bob alone in B; 12 learners of A assessed on skill-react
 * this month.
 */
@FreshDatabase
class AggregatesHttpPgTest {

    private static TestServer server;

    @BeforeAll
    static void start(TestDatabase database) throws SQLException {
        server = TestServer.start(database);
        try (Connection admin = database.connect(); Statement sql = admin.createStatement()) {
            sql.execute("SET search_path = analytics");
            for (int i = 0; i < 12; i++) {
                UUID learner = i == 0 ? server.alice : UUID.randomUUID();
                if (i > 0) {
                    sql.execute("INSERT INTO users (id, email, organization_id) VALUES ('" + learner + "', '" + learner + "@a.test', '"
                            + server.orgA + "')");
                }
                sql.execute("INSERT INTO user_skills (user_id, skill_id, mastery_level) VALUES ('" + learner + "', 'skill-css', 50)");
                sql.execute("INSERT INTO learner_velocity_analytics (user_id, current_pace, target_pace, trend_direction, trend_percentage,"
                        + " status, calculated_at, expires_at) VALUES ('" + learner + "', " + (i + 1) + ", 8.33, 'stable', 0, 'on_track',"
                        + " now() - interval '1 hour', now() + interval '1 day')");
                sql.execute("INSERT INTO learning_events (event_id, user_id, verb, object_id, object_type, skill_id, score_scaled, occurred_at)"
                        + " VALUES (gen_random_uuid(), '" + learner + "', 'passed', 'quiz-1', 'quiz', 'skill-react', 0.75,"
                        + " greatest(date_trunc('month', now()), now() - interval '1 hour'))");
            }
        }
        ApiResponse refreshed = server.api.post("/v1/admin/aggregates/refresh").bearer(server.serviceToken()).send();
        assertThat(refreshed.status()).isEqualTo(200);
        assertThat(refreshed.json().get("items")).extracting(item -> item.get("aggregate").asText())
                .containsExactly("peer-comparison", "skill-demand");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static ApiResponse get(UUID caller, String path) {
        return server.api.get(path).bearer(server.token(caller)).send();
    }

    @Test
    void GET_peer_comparison_shows_my_figures_against_published_peer_figures() {
        JsonNode mine = get(server.alice, "/v1/me/peer-comparison").json();

        assertThat(mine.get("status").asText()).isEqualTo("compared");
        assertThat(mine.get("level").asText()).isEqualTo("intermediate");
        assertThat(mine.get("me").get("velocity").decimalValue()).isEqualByComparingTo("1");
        // paces 1..12: mean 6.5, median 6.5; 12 learners shown as 10-19
        assertThat(mine.get("peers").get("avgVelocity").decimalValue()).isEqualByComparingTo("6.5");
        assertThat(mine.get("peers").get("medianVelocity").decimalValue()).isEqualByComparingTo("6.5");
        assertThat(mine.get("peers").get("avgScore").isNull()).isTrue();
        assertThat(mine.get("peers").get("learners").get("atLeast").asInt()).isEqualTo(10);
        assertThat(mine.get("peers").get("learners").get("atMost").asInt()).isEqualTo(19);
        assertThat(mine.get("refreshedAt").isTextual()).isTrue();
    }

    @Test
    void GET_peer_comparison_without_mastery_says_so() {
        JsonNode bobs = get(server.bob, "/v1/me/peer-comparison").json();

        assertThat(bobs.get("status").asText()).isEqualTo("insufficient_data");
        assertThat(bobs.get("peers").isNull()).isTrue();
    }

    @Test
    void GET_skill_demand_shows_my_organization_and_the_platform_and_nothing_under_ten() {
        JsonNode seenByA = get(server.alice, "/v1/skills/demand?skillId=skill-react").json();
        JsonNode seenByB = get(server.bob, "/v1/skills/demand").json();

        assertThat(seenByA.get("items")).hasSize(1);
        JsonNode row = seenByA.get("items").get(0);
        assertThat(row.get("skillName").asText()).isNotBlank();
        assertThat(row.get("month").asText()).matches("\\d{4}-\\d{2}");
        assertThat(row.get("organization").get("learnersAssessed").asInt()).isEqualTo(12);
        assertThat(row.get("organization").get("meanMastery").decimalValue()).isEqualByComparingTo("75.0");
        assertThat(row.get("organization").get("growthPercent").isNull()).isTrue();
        assertThat(seenByB.get("items").get(0).get("organization").isNull()).as("B has no cell of its own").isTrue();
        assertThat(seenByB.get("items").get(0).get("platform")).isEqualTo(row.get("platform"));
        assertThat(seenByB.get("nextCursor").isNull()).isTrue();
    }

    @Test
    void bad_requests_and_the_wrong_token_are_refused() {
        assertThat(get(server.alice, "/v1/skills/demand?limit=501").status()).isEqualTo(400);
        assertThat(get(server.alice, "/v1/skills/demand?cursor=nonsense").status()).isEqualTo(400);
        assertThat(server.api.post("/v1/admin/aggregates/refresh?aggregate=everything").bearer(server.serviceToken()).send().status())
                .isEqualTo(400);
        assertThat(server.api.post("/v1/admin/aggregates/refresh?aggregate=skill-demand").bearer(server.serviceToken()).send().status())
                .isEqualTo(200);
        assertThat(server.api.post("/v1/admin/aggregates/refresh").bearer(server.token(server.orgAdmin)).send().status()).isEqualTo(403);
        assertThat(server.api.get("/v1/me/peer-comparison").bearer(server.serviceToken()).send().status()).isEqualTo(403);
    }
}
