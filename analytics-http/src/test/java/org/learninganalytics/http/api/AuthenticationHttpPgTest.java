package org.learninganalytics.http.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.learninganalytics.db.AnalyticsDb;
import org.learninganalytics.db.testing.FreshDatabase;
import org.learninganalytics.db.testing.TestDatabase;
import org.learninganalytics.http.AnalyticsServer;
import org.learninganalytics.http.testing.ApiClient;
import org.learninganalytics.http.testing.ApiClient.ApiResponse;
import org.learninganalytics.http.testing.TestServer;
import org.learninganalytics.http.testing.TestTokens;
import org.postgresql.ds.PGSimpleDataSource;

import io.javalin.Javalin;

/**
 * Bearer tokens over HTTP: each kind of bad token is a 401 with {@code WWW-Authenticate}
 * that never reaches the database, users and the service each get 403 on the other's routes,
 * and a valid token of an unknown user is a 403.
 */
@FreshDatabase
class AuthenticationHttpPgTest {

    private static TestServer server;

    @BeforeAll
    static void start(TestDatabase database) {
        server = TestServer.start(database);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** One bad token of each kind, for a user of organization A. */
    private static Map<String, String> badTokens() {
        UUID alice = server.alice;
        Instant now = Instant.now();
        Map<String, String> tokens = new LinkedHashMap<>();
        tokens.put("garbage", "not.a.jwt");
        tokens.put("wrong secret", TestTokens.hs256("another-secret-of-at-least-thirty-two-bytes!!").user(alice));
        tokens.put("alg none", TestTokens.unsigned().user(alice));
        tokens.put("expired", TestTokens.hs256(TestServer.SECRET).with("exp", now.minusSeconds(120)).user(alice));
        tokens.put("no expiry", TestTokens.hs256(TestServer.SECRET).with("exp", null).user(alice));
        tokens.put("not yet valid", TestTokens.hs256(TestServer.SECRET).with("nbf", now.plusSeconds(600)).user(alice));
        tokens.put("issued in the future", TestTokens.hs256(TestServer.SECRET).with("iat", now.plusSeconds(600)).user(alice));
        tokens.put("RS256 without keys", TestTokens.rs256().user(alice));
        tokens.put("subject not a UUID", TestTokens.hs256(TestServer.SECRET).claims(Map.of("sub", "alice", "exp", now.plusSeconds(60))));
        return tokens;
    }

    @Test
    void no_token_is_401_with_a_bearer_challenge_on_user_and_service_routes() {
        for (ApiResponse response : List.of(server.api.get("/v1/me").send(), server.api.post("/v1/awards").json(Map.of()).send(),
                server.api.get("/v1/me").header("Authorization", "Basic YWxpY2U6c2VjcmV0").send())) {
            assertThat(response.status()).isEqualTo(401);
            assertThat(response.header("WWW-Authenticate")).hasValueSatisfying(h -> assertThat(h).startsWith("Bearer"));
            assertThat(response.json().get("type").asText()).endsWith("/unauthorized");
        }
    }

    @Test
    void every_kind_of_bad_token_is_401() {
        badTokens().forEach((kind, token) -> {
            ApiResponse response = server.api.get("/v1/me/points").bearer(token).send();
            assertThat(response.status()).as(kind).isEqualTo(401);
            assertThat(response.header("WWW-Authenticate")).as(kind).hasValueSatisfying(h -> assertThat(h).contains("invalid_token"));
            assertThat(response.body()).as(kind).doesNotContain(token);
        });
    }

    @Test
    void a_bad_token_never_reaches_the_database() {
        // A server whose database is unreachable: a request that got past the token would be 503.
        PGSimpleDataSource nowhere = new PGSimpleDataSource();
        nowhere.setURL("jdbc:postgresql://127.0.0.1:1/analytics");
        nowhere.setConnectTimeout(1);
        Javalin offline = AnalyticsServer.create(AnalyticsDb.builder().dataSource(nowhere).build(), TestServer.settings()).start(0);
        try {
            ApiClient api = new ApiClient(offline.port());
            badTokens().forEach((kind, token) ->
                    assertThat(api.get("/v1/me/points").bearer(token).send().status()).as(kind).isEqualTo(401));
            assertThat(api.get("/v1/me/points").bearer(server.token(server.alice)).send().status())
                    .as("a good token does reach it").isEqualTo(503);
        } finally {
            offline.stop();
        }
    }

    @Test
    void a_valid_token_of_an_unknown_user_is_403() {
        ApiResponse response = server.api.get("/v1/me").bearer(server.token(UUID.randomUUID())).send();

        assertThat(response.status()).isEqualTo(403);
        assertThat(response.json().get("type").asText()).endsWith("/forbidden");
    }

    @Test
    void users_and_the_service_get_403_on_each_others_routes() {
        for (UUID user : List.of(server.alice, server.orgAdmin, server.platformAdmin)) {
            ApiResponse award = server.api.post("/v1/awards").bearer(server.token(user))
                    .json(Map.of("userId", user, "activityType", "quiz_completed", "idempotencyKey", "x")).send();
            assertThat(award.status()).isEqualTo(403);
            assertThat(server.api.get("/v1/admin/activity-rules").bearer(server.token(user)).send().status()).isEqualTo(403);
        }
        assertThat(server.api.get("/v1/me").bearer(server.serviceToken()).send().status()).isEqualTo(403);
        assertThat(server.api.get("/v1/leaderboards/weekly").bearer(server.serviceToken()).send().status()).isEqualTo(403);
    }

    @Test
    void a_supabase_shaped_token_works_unchanged() {
        String token = TestTokens.hs256(TestServer.SECRET)
                .with("iss", "https://abcdefgh.supabase.co/auth/v1")
                .with("aal", "aal1").with("session_id", UUID.randomUUID().toString()).with("is_anonymous", false)
                .user(server.alice);

        assertThat(server.api.get("/v1/me/points").bearer(token).send().status()).isEqualTo(200);
    }

    @Test
    void the_public_routes_need_no_token() {
        assertThat(server.api.get("/health").send().status()).isEqualTo(200);
        assertThat(server.api.get("/ready").send().status()).isEqualTo(200);
        assertThat(server.api.get("/metrics").send().status()).isEqualTo(200);
    }
}
