package org.learninganalytics.http.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

/**
 * The contract check itself, on exchanges made up here (no server): what keeps to openapi.yaml
 * passes, and each kind of deliberate breach is caught with a report that names it. These
 * exchanges are verified, not recorded, so they do not count for the coverage check.
 */
class ContractRecorderTest {

    private static final String USER = UUID.randomUUID().toString();
    private static final String POINTS = """
            {"userId":"%s","totalPoints":100,"level":2,"currentStreak":1,"longestStreak":3}""".formatted(USER);
    private static final Map<String, String> TOKEN = Map.of("Authorization", "Bearer x.y.z");
    private static final Map<String, List<String>> JSON = Map.of("Content-Type", List.of("application/json"), "X-Request-Id", List.of("r-1"));
    private static final Map<String, List<String>> PROBLEM = Map.of("Content-Type", List.of("application/problem+json"),
            "X-Request-Id", List.of("r-1"));

    private static RecordedExchange exchange(String method, String pathAndQuery, Map<String, String> requestHeaders, String requestBody,
                                             int status, Map<String, List<String>> responseHeaders, String responseBody) {
        return new RecordedExchange(method, pathAndQuery, requestHeaders, requestBody, status, responseHeaders, responseBody);
    }

    private static String problem(String slug, int status) {
        return """
                {"type":"https://learninganalytics.org/problems/%s","title":"T","status":%d,"detail":"D","instance":"r-1"}"""
                .formatted(slug, status);
    }

    @Test
    void an_exchange_as_the_document_says_passes() {
        var verdict = ContractRecorder.verify(exchange("GET", "/v1/me/points", TOKEN, null, 200, JSON, POINTS));

        assertThat(verdict.operation()).hasValueSatisfying(op -> assertThat(op.toString()).isEqualTo("GET /v1/me/points"));
    }

    @Test
    void a_response_body_missing_a_required_field_is_caught() {
        String body = POINTS.replace("\"totalPoints\":100,", "");

        assertThatThrownBy(() -> ContractRecorder.verify(exchange("GET", "/v1/me/points", TOKEN, null, 200, JSON, body)))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Off-contract exchange (openapi.yaml): GET /v1/me/points -> 200")
                .hasMessageContaining("totalPoints");
    }

    @Test
    void a_field_of_the_wrong_type_is_caught() {
        String body = POINTS.replace("\"level\":2", "\"level\":\"two\"");

        assertThatThrownBy(() -> ContractRecorder.verify(exchange("GET", "/v1/me/points", TOKEN, null, 200, JSON, body)))
                .hasMessageContaining("level");
    }

    @Test
    void a_field_the_document_does_not_name_is_caught() {
        String body = POINTS.replace("}", ",\"email\":\"alice@a.example\"}");

        assertThatThrownBy(() -> ContractRecorder.verify(exchange("GET", "/v1/me/points", TOKEN, null, 200, JSON, body)))
                .hasMessageContaining("email");
    }

    @Test
    void a_status_the_operation_does_not_document_is_caught() {
        assertThatThrownBy(() -> ContractRecorder.verify(exchange("GET", "/v1/me/points", TOKEN, null, 418, PROBLEM, problem("bad-request", 418))))
                .hasMessageContaining("418")
                .hasMessageContaining("validation.response.status.unknown");
    }

    @Test
    void a_response_without_X_Request_Id_is_caught() {
        assertThatThrownBy(() -> ContractRecorder.verify(exchange("GET", "/v1/me/points", TOKEN, null, 200,
                Map.of("Content-Type", List.of("application/json")), POINTS)))
                .hasMessageContaining("X-Request-Id");
    }

    @Test
    void an_error_that_is_not_problem_json_is_caught() {
        assertThatThrownBy(() -> ContractRecorder.verify(exchange("GET", "/v1/me/points", Map.of(), null, 401,
                Map.of("Content-Type", List.of("text/html"), "X-Request-Id", List.of("r-1"), "WWW-Authenticate", List.of("Bearer error=\"invalid_token\"")),
                "<html>Unauthorized</html>")))
                .hasMessageContaining("problem+json");
    }

    @Test
    void a_401_without_WWW_Authenticate_is_caught() {
        assertThatThrownBy(() -> ContractRecorder.verify(exchange("GET", "/v1/me/points", Map.of(), null, 401, PROBLEM, problem("unauthorized", 401))))
                .hasMessageContaining("WWW-Authenticate");
    }

    @Test
    void a_problem_whose_type_status_or_instance_disagree_with_the_response_is_caught() {
        assertThatThrownBy(() -> ContractRecorder.verify(exchange("GET", "/v1/users/" + USER + "/points", TOKEN, null, 404, PROBLEM,
                problem("forbidden", 403)))).hasMessageContaining("the problem's status 403 is not the response's 404")
                .hasMessageContaining("is for status 403, not 404");
        assertThatThrownBy(() -> ContractRecorder.verify(exchange("GET", "/v1/users/" + USER + "/points", TOKEN, null, 404, PROBLEM,
                problem("not-found", 404).replace("r-1", "r-2")))).hasMessageContaining("instance");
        assertThatThrownBy(() -> ContractRecorder.verify(exchange("GET", "/v1/users/" + USER + "/points", TOKEN, null, 404, PROBLEM,
                problem("not-found", 404).replace("not-found", "lost")))).hasMessageContaining("type");
    }

    @Test
    void a_request_the_document_forbids_must_be_refused() {
        String award = """
                {"userId":"%s","activityType":"forum_post","points":10,"totalPoints":110,"level":2,"previousLevel":2,"leveledUp":false,
                 "currentStreak":1,"longestStreak":3,"newAchievements":[],"awardedAt":"2026-11-25T10:00:00Z","replayed":false}"""
                .formatted(USER);
        Map<String, String> noKey = Map.of("Authorization", "Bearer x.y.z", "Content-Type", "application/json");

        assertThatThrownBy(() -> ContractRecorder.verify(exchange("POST", "/v1/me/activities", noKey, "{\"activityType\":\"forum_post\"}", 201,
                JSON, award)))
                .hasMessageContaining("does not allow")
                .hasMessageContaining("Idempotency-Key");
        assertThatThrownBy(() -> ContractRecorder.verify(exchange("POST", "/v1/me/activities",
                Map.of("Authorization", "Bearer x.y.z", "Content-Type", "application/json", "Idempotency-Key", "k"),
                "{\"activityType\":\"forum_post\",\"points\":1000}", 201, JSON, award)))
                .hasMessageContaining("points");
        ContractRecorder.verify(exchange("POST", "/v1/me/activities", noKey, "{\"activityType\":\"forum_post\"}", 400, PROBLEM,
                problem("validation", 400)));
    }

    @Test
    void an_operation_outside_the_document_may_only_be_404_or_405() {
        ContractRecorder.verify(exchange("GET", "/v1/nothing-here", TOKEN, null, 404, PROBLEM, problem("not-found", 404)));
        ContractRecorder.verify(exchange("DELETE", "/v1/me/points", TOKEN, null, 405, PROBLEM, problem("method-not-allowed", 405)));

        assertThatThrownBy(() -> ContractRecorder.verify(exchange("GET", "/v1/secret", TOKEN, null, 200, JSON, "{}")))
                .hasMessageContaining("GET /v1/secret is not an operation of openapi.yaml, yet the server answered 200");
    }

    @Test
    void the_report_never_shows_the_token() {
        assertThatThrownBy(() -> ContractRecorder.verify(exchange("GET", "/v1/me/points", Map.of("Authorization", "Bearer secret.token.here"),
                null, 200, JSON, "{}")))
                .hasMessageContaining("Bearer <token>")
                .hasMessageNotContaining("secret.token.here");
    }
}
