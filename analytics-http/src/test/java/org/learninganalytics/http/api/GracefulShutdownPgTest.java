package org.learninganalytics.http.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.learninganalytics.db.testing.FreshDatabase;
import org.learninganalytics.db.testing.TestDatabase;
import org.learninganalytics.http.testing.ApiClient;
import org.learninganalytics.http.testing.ApiClient.ApiResponse;
import org.learninganalytics.http.testing.TestServer;

/** Stopping the server stops accepting, lets the request in flight finish, then closes the pool. */
@FreshDatabase
class GracefulShutdownPgTest {

    /** A new connection is refused; a kept-alive one would get Jetty's 503. */
    private static boolean refusedOrUnavailable(ApiClient api) {
        try {
            return api.get("/health").withoutContractCheck().send().status() == 503;
        } catch (UncheckedIOException e) {
            return true;
        }
    }

    @Test
    void a_request_in_flight_finishes_while_new_ones_are_refused(TestDatabase database) throws Exception {
        TestServer server = TestServer.start(database);
        ApiClient api = server.api;
        try (Connection blocker = database.connect(); Statement sql = blocker.createStatement()) {
            blocker.setAutoCommit(false);
            // Holds Bob's points row, so his award waits for this transaction.
            sql.execute("SELECT 1 FROM analytics.user_points WHERE user_id = '" + server.bob + "' FOR UPDATE");

            CompletableFuture<ApiResponse> inFlight = CompletableFuture.supplyAsync(() -> api.post("/v1/awards")
                    .bearer(server.serviceToken())
                    .json(Map.of("userId", server.bob, "activityType", "lesson_completed", "idempotencyKey", "in-flight")).send());
            Thread.sleep(500);
            assertThat(inFlight).isNotDone();

            CompletableFuture<Void> stopping = CompletableFuture.runAsync(server::close);
            Thread.sleep(500);
            assertThat(stopping).as("the server waits for the request in flight").isNotDone();
            assertThat(refusedOrUnavailable(api)).as("no new requests while stopping").isTrue();

            blocker.commit();
            ApiResponse response = inFlight.get(10, TimeUnit.SECONDS);
            assertThat(response.status()).as(response.body()).isEqualTo(201);
            stopping.get(10, TimeUnit.SECONDS);
        }
    }
}
