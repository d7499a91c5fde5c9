package org.learninganalytics.http.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.learninganalytics.db.internal.JobLocks;
import org.learninganalytics.db.testing.FreshDatabase;
import org.learninganalytics.db.testing.TestDatabase;
import org.learninganalytics.http.testing.ApiClient.ApiResponse;
import org.learninganalytics.http.testing.TestServer;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The jobs over HTTP (service routes): the list, running one now, 404 for an unknown job, 409
 * while it runs elsewhere, and the run in /metrics. The test server runs no scheduler: only
 * what a test starts runs.
 */
@FreshDatabase
class JobsHttpPgTest {

    private static TestDatabase database;
    private static TestServer server;

    @BeforeAll
    static void start(TestDatabase testDatabase) {
        database = testDatabase;
        server = TestServer.start(database);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static ApiResponse runJob(String name) {
        return server.api.post("/v1/admin/jobs/" + name + "/run").bearer(server.serviceToken()).send();
    }

    @Test
    void POST_run_runs_the_job_now_and_GET_jobs_and_metrics_show_the_run() {
        ApiResponse ran = runJob("refresh-skill-demand");

        assertThat(ran.status()).isEqualTo(200);
        JsonNode run = ran.json();
        assertThat(run.get("job").asText()).isEqualTo("refresh-skill-demand");
        assertThat(run.get("trigger").asText()).isEqualTo("manual");
        assertThat(run.get("outcome").asText()).isEqualTo("succeeded");
        assertThat(run.get("error").isNull()).isTrue();
        assertThat(run.get("durationMs").asLong()).isGreaterThanOrEqualTo(0);

        ApiResponse list = server.api.get("/v1/admin/jobs").bearer(server.serviceToken()).send();
        assertThat(list.status()).isEqualTo(200);
        JsonNode items = list.json().get("items");
        assertThat(items).extracting(item -> item.get("name").asText())
                .contains("refresh-leaderboards", "refresh-peer-comparison", "refresh-skill-demand", "recompute-analytics");
        JsonNode skillDemand = find(items, "refresh-skill-demand");
        assertThat(skillDemand.get("schedule").asText()).isEqualTo("cron:0 0 3 * * *");
        assertThat(skillDemand.get("nextRunAt").isNull()).as("no scheduler runs in the test server").isTrue();
        assertThat(skillDemand.get("lastRun").get("startedAt").asText()).isEqualTo(run.get("startedAt").asText());
        assertThat(skillDemand.get("lastRun").get("outcome").asText()).isEqualTo("succeeded");
        assertThat(find(items, "refresh-peer-comparison").get("lastRun").isNull()).isTrue();

        String metrics = server.api.get("/metrics").send().body();
        assertThat(metrics).containsPattern(
                "analytics_job_runs_total\\{job=\"refresh-skill-demand\",outcome=\"succeeded\",trigger=\"manual\"} 1\\.0");
        assertThat(metrics).containsPattern("analytics_job_last_outcome\\{job=\"refresh-skill-demand\",outcome=\"succeeded\"} 1\\.0");
        assertThat(metrics).containsPattern("analytics_job_last_outcome\\{job=\"refresh-skill-demand\",outcome=\"failed\"} 0\\.0");
        assertThat(metrics).containsPattern("analytics_job_last_duration_seconds\\{job=\"refresh-skill-demand\"} \\d");
        assertThat(metrics).containsPattern("analytics_job_last_start_seconds\\{job=\"refresh-skill-demand\"} 1\\.\\d+E9");
    }

    @Test
    void POST_run_of_an_unknown_job_is_404() {
        ApiResponse unknown = runJob("no-such-job");

        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.header("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(unknown.json().get("type").asText()).endsWith("not-found");
        // the route's own detail, not the generic one of an unmatched path
        assertThat(unknown.json().get("detail").asText()).contains("no-such-job");
    }

    @Test
    void POST_run_while_the_job_runs_on_another_instance_is_409() throws SQLException {
        try (Connection otherInstance = database.connect()) {
            otherInstance.setAutoCommit(false);
            try (PreparedStatement lock = otherInstance.prepareStatement(JobLocks.TRY_LOCK)) { // as its run wrapper holds it
                lock.setInt(1, JobLocks.key("refresh-leaderboards"));
                try (ResultSet taken = lock.executeQuery()) {
                    assertThat(taken.next() && taken.getBoolean(1)).isTrue();
                }
            }
            ApiResponse busy = runJob("refresh-leaderboards");

            assertThat(busy.status()).isEqualTo(409);
            assertThat(busy.json().get("detail").asText()).contains("refresh-leaderboards", "running already");
            otherInstance.rollback();
        }
        assertThat(runJob("refresh-leaderboards").status()).as("free again").isEqualTo(200);
    }

    @Test
    void the_job_routes_are_the_services_not_users() {
        assertThat(server.api.get("/v1/admin/jobs").bearer(server.token(server.platformAdmin)).send().status()).isEqualTo(403);
        assertThat(server.api.post("/v1/admin/jobs/refresh-leaderboards/run").bearer(server.token(server.alice)).send().status())
                .isEqualTo(403);
    }

    private static JsonNode find(JsonNode items, String name) {
        for (JsonNode item : items) {
            if (item.get("name").asText().equals(name)) return item;
        }
        throw new AssertionError("no job " + name + " in " + items);
    }
}
