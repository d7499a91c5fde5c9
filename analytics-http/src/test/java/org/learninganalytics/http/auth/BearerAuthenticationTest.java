package org.learninganalytics.http.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.learninganalytics.http.auth.InvalidTokenException.Reason;
import org.learninganalytics.http.internal.ProblemResponses;
import org.learninganalytics.http.testing.TestTokens;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.javalin.Javalin;

/** The Javalin glue over HTTP, on port 0; no database. */
class BearerAuthenticationTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<Reason> refusals = new CopyOnWriteArrayList<>();
    private TokenVerifier verifier;
    private Javalin app;

    @BeforeEach
    void start() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        verifier = TokenVerifier.builder().hs256Secret(TestTokens.SECRET)
                .jwksUrl(URI.create("http://127.0.0.1:" + closedPort + "/jwks.json")).build();
        BearerAuthentication auth = new BearerAuthentication(verifier, refusals::add);
        app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            ProblemResponses.install(config);
            BearerAuthentication.install(config);
            config.routes.before("/v1/*", auth::authenticate);
            config.routes.get("/v1/me", ctx -> ctx.result("user " + auth.requireUser(ctx).userId()));
            config.routes.get("/v1/admin", ctx -> ctx.result("service " + auth.requireService(ctx).subject()));
            config.routes.get("/health", ctx -> ctx.result("UP"));
        }).start(0);
    }

    @AfterEach
    void stop() {
        app.stop();
        verifier.close();
    }

    @Test
    void aUserTokenReachesUserRoutesOnly() throws Exception {
        UUID user = UUID.randomUUID();
        String token = TestTokens.hs256(TestTokens.SECRET).user(user);

        assertThat(get("/v1/me", TestTokens.bearer(token)).body()).isEqualTo("user " + user);
        HttpResponse<String> admin = get("/v1/admin", TestTokens.bearer(token));
        assertThat(admin.statusCode()).isEqualTo(403);
        assertThat(admin.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/problem+json"));
    }

    @Test
    void theServiceTokenReachesServiceRoutesOnly() throws Exception {
        String token = TestTokens.hs256(TestTokens.SECRET).with("sub", "ingest").service();

        assertThat(get("/v1/admin", TestTokens.bearer(token)).body()).isEqualTo("service ingest");
        assertThat(get("/v1/me", TestTokens.bearer(token)).statusCode()).isEqualTo(403);
    }

    @Test
    void noTokenIs401WithABareChallenge() throws Exception {
        HttpResponse<String> response = get("/v1/me", null);

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
        JsonNode problem = JSON.readTree(response.body());
        assertThat(problem.get("status").asInt()).isEqualTo(401);
        assertThat(problem.get("detail").asText()).isEqualTo(Reason.MISSING.message());
        assertThat(refusals).containsExactly(Reason.MISSING);
        assertThat(get("/health", null).statusCode()).isEqualTo(200);
    }

    @Test
    void aBadTokenIs401InvalidTokenWithoutEchoingIt() throws Exception {
        String token = TestTokens.hs256("some-other-secret-that-is-32-bytes-long").user(UUID.randomUUID());
        HttpResponse<String> response = get("/v1/me", TestTokens.bearer(token));

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v)
                .startsWith("Bearer error=\"invalid_token\""));
        assertThat(JSON.readTree(response.body()).get("detail").asText()).isEqualTo(Reason.BAD_SIGNATURE.message());
        assertThat(response.body()).doesNotContain(token.split("\\.")[1]);
        assertThat(refusals).containsExactly(Reason.BAD_SIGNATURE);
    }

    @Test
    void unavailableKeysAre503() throws Exception {
        HttpResponse<String> response = get("/v1/me", TestTokens.bearer(TestTokens.es256().user(UUID.randomUUID())));

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.headers().firstValue("WWW-Authenticate")).isEmpty();
        assertThat(refusals).containsExactly(Reason.KEYS_UNAVAILABLE);
    }

    private HttpResponse<String> get(String path, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + app.port() + path)).GET();
        if (authorization != null) request.header("Authorization", authorization);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
