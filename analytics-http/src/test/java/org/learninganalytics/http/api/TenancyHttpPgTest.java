package org.learninganalytics.http.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.learninganalytics.db.testing.FreshDatabase;
import org.learninganalytics.db.testing.TestDatabase;
import org.learninganalytics.http.testing.ApiClient.ApiResponse;
import org.learninganalytics.http.testing.TestServer;

/**
 * Tenants stay apart over HTTP: every route that names a user answers 404 to a caller of
 * another organization, exactly as for a user that does not exist, and hidden users appear
 * on no leaderboard.
 */
@FreshDatabase
class TenancyHttpPgTest {

    /** Every learner-facing route with a {userId}. */
    private static final List<String> USER_ROUTES = List.of("/v1/users/%s/points", "/v1/users/%s/points/transactions");

    private static TestServer server;

    @BeforeAll
    static void start(TestDatabase database) {
        server = TestServer.start(database);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void every_caller_of_organization_A_gets_404_for_every_user_of_organization_B() {
        for (UUID caller : List.of(server.alice, server.trainer, server.orgAdmin)) {
            for (String route : USER_ROUTES) {
                ApiResponse other = server.api.get(route.formatted(server.bob)).bearer(server.token(caller)).send();
                ApiResponse nobody = server.api.get(route.formatted(UUID.randomUUID())).bearer(server.token(caller)).send();

                assertThat(other.status()).as(route + " as " + caller).isEqualTo(404);
                assertThat(other.json().get("detail")).as("indistinguishable from a user that does not exist")
                        .isEqualTo(nobody.json().get("detail"));
                assertThat(other.body()).doesNotContain(server.bob.toString(), "Bob");
            }
        }
    }

    @Test
    void and_the_other_way_round() {
        for (UUID user : List.of(server.alice, server.anon, server.hidden, server.trainer, server.orgAdmin)) {
            for (String route : USER_ROUTES) {
                assertThat(server.api.get(route.formatted(user)).bearer(server.token(server.bob)).send().status())
                        .as(route).isEqualTo(404);
            }
        }
    }

    @Test
    void hidden_users_never_appear_on_any_board_or_page() {
        for (UUID caller : List.of(server.alice, server.anon, server.trainer, server.orgAdmin, server.platformAdmin)) {
            for (String board : List.of("weekly", "monthly", "all-time")) {
                for (String path : List.of("/v1/leaderboards/" + board + "?limit=500", "/v1/leaderboards/" + board + "/around-me?neighbours=50")) {
                    String body = server.api.get(path).bearer(server.token(caller)).send().body();
                    assertThat(body).as(path).doesNotContain(server.hidden.toString(), "Hidden Hugo", server.bob.toString());
                }
            }
        }
    }
}
