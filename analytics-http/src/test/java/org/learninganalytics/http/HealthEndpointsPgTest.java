package org.learninganalytics.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.learninganalytics.db.AnalyticsDb;
import org.learninganalytics.db.DatabaseUnavailableException;
import org.learninganalytics.db.testing.FreshDatabase;
import org.learninganalytics.db.testing.TestDatabase;
import org.postgresql.ds.PGSimpleDataSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.javalin.Javalin;

/** Functional tests: the real app on port 0, spoken to over HTTP. */
@FreshDatabase
class HealthEndpointsPgTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private Javalin app;

    @AfterEach
    void stop() {
        if (app != null) app.stop();
    }

    @Test
    void GET_health_answers_UP(TestDatabase database) throws Exception {
        start(database.analyticsDb());

        HttpResponse<String> response = get("/health");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(response.body()).get("status").asText()).isEqualTo("UP");
    }

    @Test
    void GET_ready_answers_200_when_the_database_answers(TestDatabase database) throws Exception {
        start(database.analyticsDb());

        HttpResponse<String> response = get("/ready");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(response.body()).get("status").asText()).isEqualTo("READY");
    }

    @Test
    void GET_ready_answers_503_problem_json_without_internals_when_the_database_is_down() throws Exception {
        PGSimpleDataSource nowhere = new PGSimpleDataSource();
        nowhere.setURL("jdbc:postgresql://127.0.0.1:1/analytics?password=s3cret");
        nowhere.setConnectTimeout(1);
        start(AnalyticsDb.builder().dataSource(nowhere).build());

        HttpResponse<String> response = get("/ready");

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
        JsonNode problem = JSON.readTree(response.body());
        assertThat(problem.get("status").asInt()).isEqualTo(503);
        assertThat(problem.get("title").asText()).isEqualTo("Service Unavailable");
        assertThat(problem.get("instance").asText()).isEqualTo(response.headers().firstValue("X-Request-Id").orElseThrow());
        assertThat(response.body()).doesNotContain("s3cret", "127.0.0.1", "jdbc", "Exception", "at org.");
    }

    @Test
    void unknown_paths_answer_404_problem_json(TestDatabase database) throws Exception {
        start(database.analyticsDb());

        HttpResponse<String> response = get("/no/such/thing");

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
        JsonNode problem = JSON.readTree(response.body());
        assertThat(problem.get("type").asText()).isEqualTo("https://learninganalytics.org/problems/not-found");
        assertThat(problem.get("status").asInt()).isEqualTo(404);
    }

    @Test
    void a_wrong_method_answers_405_problem_json(TestDatabase database) throws Exception {
        start(database.analyticsDb());

        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri("/health"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(405);
        assertThat(JSON.readTree(response.body()).get("status").asInt()).isEqualTo(405);
    }

    @Test
    void stopping_the_server_closes_the_database_pool(TestDatabase database) throws Exception {
        AnalyticsDb db = database.analyticsDb();
        start(db);
        db.checkReady(Duration.ofSeconds(2));

        app.stop();
        app = null;

        assertThatThrownBy(() -> db.checkReady(Duration.ofSeconds(2))).isInstanceOf(DatabaseUnavailableException.class);
    }

    private void start(AnalyticsDb db) {
        app = AnalyticsServer.create(db, ServerSettings.of(null)).start(0);
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://localhost:" + app.port() + path);
    }
}
