package org.learninganalytics.http.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.learninganalytics.db.testing.CapturedLogs;
import org.learninganalytics.db.testing.FreshDatabase;
import org.learninganalytics.db.testing.TestDatabase;
import org.learninganalytics.http.ServerSettings;
import org.learninganalytics.http.observability.Metrics;
import org.learninganalytics.http.testing.ApiClient.ApiResponse;
import org.learninganalytics.http.testing.TestServer;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Every error is problem+json with a request id, including what Jetty answers itself; the
 * access log has one line per request without the token; metrics count by route template.
 */
@FreshDatabase
class HttpErrorsPgTest {

    private static final long LIMIT = 64 * 1024;
    private static TestServer server;

    @BeforeAll
    static void start(TestDatabase database) {
        server = TestServer.start(database, new ServerSettings(TestServer.verifier(), List.of("https://app.example.org"), LIMIT,
                Duration.ofSeconds(5), new Metrics()));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** Sends raw bytes (requests no HTTP client would build) and returns the raw response. */
    private static String raw(String request) throws Exception {
        try (Socket socket = new Socket("localhost", server.port())) {
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static void assertProblem(String response, int status) {
        assertThat(response).startsWith("HTTP/1.1 " + status);
        assertThat(response).containsIgnoringCase("Content-Type: application/problem+json");
        assertThat(response).containsIgnoringCase("X-Request-Id: ");
        assertThat(response).contains("\"status\":" + status).doesNotContain("<html", "Exception", "org.eclipse");
    }

    @Test
    void what_jetty_answers_itself_is_problem_json() throws Exception {
        assertProblem(raw("GET /v1/%zz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"), 400);
        assertProblem(raw("GET /" + "a".repeat(20_000) + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"), 414);
        assertProblem(raw("GET /health HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(20_000) + "\r\nConnection: close\r\n\r\n"), 431);
    }

    @Test
    void a_body_over_the_limit_is_413() {
        String big = "[" + "{\"id\":\"s\",\"name\":\"n\"},".repeat((int) (LIMIT / 20)) + "{\"id\":\"t\",\"name\":\"n\"}]";
        ApiResponse response = server.api.post("/v1/ingest/skills").bearer(server.serviceToken()).json(big).send();

        assertThat(response.status()).isEqualTo(413);
        assertThat(response.json().get("type").asText()).endsWith("/payload-too-large");
    }

    @Test
    void malformed_json_unknown_routes_and_wrong_methods_are_problems() {
        ApiResponse malformed = server.api.post("/v1/awards").bearer(server.serviceToken()).json("{\"userId\":").send();
        ApiResponse notFound = server.api.get("/v1/nothing-here").send();
        ApiResponse wrongMethod = server.api.delete("/v1/me/points").bearer(server.token(server.alice)).withoutContractCheck().send();

        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.json().get("detail").asText()).doesNotContain("Jackson", "line:", "Source");
        assertThat(notFound.status()).isEqualTo(404);
        assertThat(wrongMethod.status()).isEqualTo(405);
    }

    @Test
    void the_request_id_is_taken_when_sane_and_made_otherwise() {
        ApiResponse given = server.api.get("/health").header("X-Request-Id", "gateway-42.a:b").send();
        ApiResponse insane = server.api.get("/v1/nothing").header("X-Request-Id", "<script>alert(1)</script>").send();

        assertThat(given.header("X-Request-Id")).contains("gateway-42.a:b");
        assertThat(insane.header("X-Request-Id")).hasValueSatisfying(id -> assertThat(id).doesNotContain("<").hasSize(36));
        JsonNode problem = insane.json();
        assertThat(problem.get("instance").asText()).isEqualTo(insane.header("X-Request-Id").orElseThrow());
    }

    @Test
    void one_access_log_line_per_request_without_the_token() {
        String token = server.token(server.alice);
        try (CapturedLogs logs = new CapturedLogs()) {
            ApiResponse response = server.api.get("/v1/users/" + server.alice + "/points").bearer(token)
                    .header("X-Request-Id", "trace-me-1").send();
            assertThat(response.status()).isEqualTo(200);

            assertThat(logs.infos()).filteredOn(m -> m.contains("trace-me-1")).singleElement().satisfies(line -> {
                assertThat(line).contains("GET /v1/users/{userId}/points 200").contains("user=" + server.alice);
                assertThat(line).doesNotContain(token, "Alice");
            });
        }
    }

    @Test
    void metrics_count_requests_by_route_template_awards_by_outcome_and_rejected_tokens() {
        server.api.get("/v1/users/" + server.alice + "/points").bearer(server.token(server.alice)).send();
        server.api.get("/v1/me/points").bearer("garbage").send();
        server.api.post("/v1/awards").bearer(server.serviceToken())
                .json(Map.of("userId", server.bob, "activityType", "lesson_completed", "idempotencyKey", "m-1")).send();

        String metrics = server.api.get("/metrics").send().body();

        assertThat(metrics).contains("http_server_requests_seconds_bucket").contains("route=\"/v1/users/{userId}/points\"");
        assertThat(metrics).doesNotContain(server.alice.toString());
        assertThat(metrics).containsPattern("analytics_awards_total\\{outcome=\"awarded\"\\} [1-9]");
        assertThat(metrics).contains("analytics_auth_rejections_total{reason=");
        assertThat(metrics).contains("jvm_memory_used_bytes");
        assertThat(metrics).contains("hikaricp_connections");
    }

    @Test
    void cors_allows_the_configured_origin_only() {
        ApiResponse allowed = server.api.method("OPTIONS", "/v1/me/points").header("Origin", "https://app.example.org")
                .header("Access-Control-Request-Method", "GET").withoutContractCheck().send();
        ApiResponse other = server.api.method("OPTIONS", "/v1/me/points").header("Origin", "https://evil.example")
                .header("Access-Control-Request-Method", "GET").withoutContractCheck().send();

        assertThat(allowed.header("Access-Control-Allow-Origin")).contains("https://app.example.org");
        assertThat(other.header("Access-Control-Allow-Origin")).isEmpty();
    }
}
