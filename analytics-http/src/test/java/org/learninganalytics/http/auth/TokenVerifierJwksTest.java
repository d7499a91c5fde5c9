package org.learninganalytics.http.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.learninganalytics.http.auth.TokenVerifierTest.assertReason;
import static org.learninganalytics.http.testing.TestTokens.bearer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.learninganalytics.http.auth.InvalidTokenException.Reason;
import org.learninganalytics.http.testing.TestTokens;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;

/** RS256 and ES256 with the keys of a JWKS served on a random local port. */
class TokenVerifierJwksTest {

    private static final UUID USER = UUID.fromString("0b7e6f4c-3d2a-4e1b-8c9d-5a6f7e8d9c0b");

    private HttpServer server;
    private final AtomicReference<String> jwks = new AtomicReference<>();
    private final AtomicInteger status = new AtomicInteger(200);
    private final AtomicInteger fetches = new AtomicInteger();
    private URI jwksUrl;
    private TokenVerifier verifier;

    @BeforeEach
    void serveJwks() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/auth/v1/.well-known/jwks.json", exchange -> {
            fetches.incrementAndGet();
            byte[] body = String.valueOf(jwks.get()).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(status.get(), body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        jwksUrl = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/auth/v1/.well-known/jwks.json");
    }

    @AfterEach
    void stop() {
        if (verifier != null) verifier.close();
        server.stop(0);
    }

    @Test
    void acceptsRs256AndEs256TokensSignedByAKeyOfTheJwks() {
        TestTokens.Keys rsa = TestTokens.rs256();
        TestTokens.Keys ec = TestTokens.es256();
        jwks.set(TestTokens.jwks(rsa, ec));
        verifier = TokenVerifier.builder().jwksUrl(jwksUrl).build();

        assertThat(verifier.verify(bearer(rsa.user(USER)))).isInstanceOfSatisfying(VerifiedToken.UserToken.class,
                t -> assertThat(t.userId()).isEqualTo(USER));
        assertThat(verifier.verify(bearer(ec.user(USER)))).isInstanceOf(VerifiedToken.UserToken.class);
        assertThat(verifier.verify(bearer(ec.service()))).isInstanceOf(VerifiedToken.ServiceToken.class);
        // a token without kid is tried against the keys of its type
        assertThat(verifier.verify(bearer(rsa.withKid(null).user(USER)))).isInstanceOf(VerifiedToken.UserToken.class);
    }

    @Test
    void theJwksIsFetchedOnceForManyVerifications() {
        TestTokens.Keys ec = TestTokens.es256();
        jwks.set(ec.jwks());
        verifier = TokenVerifier.builder().jwksUrl(jwksUrl).build();
        assertThat(fetches.get()).as("fetched on first use, not when built").isZero();

        for (int i = 0; i < 25; i++) {
            assertThat(verifier.verify(bearer(ec.user(UUID.randomUUID())))).isInstanceOf(VerifiedToken.UserToken.class);
        }
        assertThat(fetches.get()).isEqualTo(1);
    }

    @Test
    void anUnknownKidFetchesTheJwksAgainSoARotatedKeyWorks() {
        TestTokens.Keys before = TestTokens.es256();
        TestTokens.Keys after = TestTokens.es256();
        jwks.set(before.jwks());
        verifier = TokenVerifier.builder().jwksUrl(jwksUrl).build();
        assertThat(verifier.verify(bearer(before.user(USER)))).isInstanceOf(VerifiedToken.UserToken.class);
        assertThat(fetches.get()).isEqualTo(1);

        jwks.set(TestTokens.jwks(before, after)); // the issuer rotates: new key published, old one kept a while
        assertThat(verifier.verify(bearer(after.user(USER)))).isInstanceOf(VerifiedToken.UserToken.class);
        assertThat(fetches.get()).isEqualTo(2);
        assertThat(verifier.verify(bearer(before.user(USER)))).isInstanceOf(VerifiedToken.UserToken.class);
        assertThat(verifier.verify(bearer(after.user(USER)))).isInstanceOf(VerifiedToken.UserToken.class);
        assertThat(fetches.get()).isEqualTo(2);
    }

    @Test
    void aKidNobodyPublishedIsAnUnknownKeyAndCannotMakeTheServerFetchWithoutLimit() {
        TestTokens.Keys published = TestTokens.es256();
        jwks.set(published.jwks());
        verifier = TokenVerifier.builder().jwksUrl(jwksUrl).build();
        assertThat(verifier.verify(bearer(published.user(USER)))).isInstanceOf(VerifiedToken.UserToken.class);

        for (int i = 0; i < 10; i++) {
            assertReason(verifier, bearer(TestTokens.es256().user(USER)), Reason.UNKNOWN_KEY);
        }
        assertThat(fetches.get()).as("rate-limited refetches").isLessThanOrEqualTo(2);
        // a known kid with another key's signature
        assertReason(verifier, bearer(TestTokens.es256().withKid(published.kid()).user(USER)), Reason.BAD_SIGNATURE);
        assertThat(verifier.verify(bearer(published.user(USER)))).isInstanceOf(VerifiedToken.UserToken.class);
    }

    @Test
    void anUnreachableJwksMeansTheKeysAreUnavailable() throws IOException {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        verifier = TokenVerifier.builder().jwksUrl(URI.create("http://127.0.0.1:" + closedPort + "/jwks.json")).build();

        for (int i = 0; i < 3; i++) { // also once the refetches are rate-limited
            assertThatThrownBy(() -> verifier.verify(bearer(TestTokens.es256().user(USER))))
                    .isInstanceOfSatisfying(InvalidTokenException.class, e -> {
                        assertThat(e.reason()).isEqualTo(Reason.KEYS_UNAVAILABLE);
                        assertThat(e.reason().httpStatus()).isEqualTo(503);
                    });
        }
    }

    @Test
    void aJwksAnsweringWithAnErrorOrGarbageMeansTheKeysAreUnavailable() {
        verifier = TokenVerifier.builder().jwksUrl(jwksUrl).build();
        status.set(500);
        jwks.set("{\"error\":\"down\"}");
        assertReason(verifier, bearer(TestTokens.rs256().user(USER)), Reason.KEYS_UNAVAILABLE);

        TokenVerifier other = TokenVerifier.builder().jwksUrl(jwksUrl).build();
        status.set(200);
        jwks.set("<html>not json</html>");
        assertReason(other, bearer(TestTokens.rs256().user(USER)), Reason.KEYS_UNAVAILABLE);
        other.close();
    }

    // --- algorithm and key confusion ---

    @Test
    void anHs256TokenIsRefusedWhenOnlyTheJwksIsConfigured() throws Exception {
        TestTokens.Keys rsa = TestTokens.rs256();
        jwks.set(rsa.jwks());
        verifier = TokenVerifier.builder().jwksUrl(jwksUrl).build();

        assertReason(verifier, bearer(TestTokens.hs256(TestTokens.SECRET).user(USER)), Reason.UNSUPPORTED_ALGORITHM);
        // the classic confusion: HS256 "signed" with the RSA public key as the HMAC secret
        String publicPem = pem(rsa);
        assertReason(verifier, bearer(TestTokens.hs256(publicPem).user(USER)), Reason.UNSUPPORTED_ALGORITHM);
        assertReason(verifier, bearer(TestTokens.hs256(rsa.publicJwk().toRSAKey().toPublicKey().getEncoded()).user(USER)),
                Reason.UNSUPPORTED_ALGORITHM);
        assertReason(verifier, bearer(TestTokens.hs256(rsa.publicJwk().toJSONString()).user(USER)), Reason.UNSUPPORTED_ALGORITHM);
    }

    @Test
    void withBothKeysTheAlgorithmPicksTheKeyAndNeitherStandsInForTheOther() throws Exception {
        TestTokens.Keys rsa = TestTokens.rs256();
        TestTokens.Keys ec = TestTokens.es256();
        jwks.set(TestTokens.jwks(rsa, ec));
        verifier = TokenVerifier.builder().hs256Secret(TestTokens.SECRET).jwksUrl(jwksUrl).build();

        assertThat(verifier.verify(bearer(TestTokens.hs256(TestTokens.SECRET).user(USER)))).isInstanceOf(VerifiedToken.UserToken.class);
        assertThat(fetches.get()).as("HS256 needs no JWKS").isZero();
        assertThat(verifier.verify(bearer(rsa.user(USER)))).isInstanceOf(VerifiedToken.UserToken.class);
        assertThat(verifier.verify(bearer(ec.user(USER)))).isInstanceOf(VerifiedToken.UserToken.class);
        // HS256 with the RSA public key as secret is checked against the configured secret: wrong
        assertReason(verifier, bearer(TestTokens.hs256(pem(rsa)).user(USER)), Reason.BAD_SIGNATURE);
        assertReason(verifier, bearer(TestTokens.unsigned().user(USER)), Reason.UNSUPPORTED_ALGORITHM);
    }

    @Test
    void otherAsymmetricAlgorithmsAreRefusedEvenWithAPublishedKey() throws Exception {
        RSAKey rsa = new RSAKeyGenerator(2048).keyID("k1").generate();
        jwks.set(new com.nimbusds.jose.jwk.JWKSet(rsa.toPublicJWK()).toString());
        verifier = TokenVerifier.builder().jwksUrl(jwksUrl).build();
        for (JWSAlgorithm alg : new JWSAlgorithm[] {JWSAlgorithm.PS256, JWSAlgorithm.RS384, JWSAlgorithm.RS512}) {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(alg).keyID("k1").type(JOSEObjectType.JWT).build(),
                    new JWTClaimsSet.Builder().subject(USER.toString()).expirationTime(java.util.Date.from(Instant.now().plusSeconds(60))).build());
            jwt.sign(new RSASSASigner(rsa));
            assertReason(verifier, bearer(jwt.serialize()), Reason.UNSUPPORTED_ALGORITHM);
        }
        SignedJWT rs256 = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("k1").build(),
                new JWTClaimsSet.Builder().subject(USER.toString()).expirationTime(java.util.Date.from(Instant.now().plusSeconds(60))).build());
        rs256.sign(new RSASSASigner(rsa));
        assertThat(verifier.verify(bearer(rs256.serialize()))).isInstanceOf(VerifiedToken.UserToken.class);
    }

    @Test
    void anEs256TokenIsNotVerifiedWithAnRsaKeyOfTheSameKid() {
        TestTokens.Keys rsa = TestTokens.rs256();
        jwks.set(rsa.jwks());
        verifier = TokenVerifier.builder().jwksUrl(jwksUrl).build();

        assertReason(verifier, bearer(TestTokens.es256().withKid(rsa.kid()).user(USER)), Reason.UNKNOWN_KEY);
    }

    // --- Supabase's asymmetric shape ---

    @Test
    void aSupabaseEs256TokenFromItsJwksWorksUnchanged() throws Exception {
        String iss = "https://abcdefghijklmnop.supabase.co/auth/v1";
        TestTokens.Keys ec = TestTokens.es256();
        // Supabase's JWKS carries key_ops and ext besides the usual members
        Map<String, Object> key = ec.publicJwk().toJSONObject();
        key.put("key_ops", java.util.List.of("verify"));
        key.put("ext", true);
        jwks.set(JSONObjectUtils.toJSONString(Map.of("keys", java.util.List.of(key))));
        verifier = TokenVerifier.builder().jwksUrl(jwksUrl).issuer(iss).audience("authenticated").build();

        TestTokens.Minter supabase = ec.with("iss", iss).with("session_id", UUID.randomUUID().toString())
                .with("email", "learner@example.org").with("aal", "aal1").with("is_anonymous", false);
        VerifiedToken user = verifier.verify(bearer(supabase.user(USER)));
        assertThat(user).isInstanceOfSatisfying(VerifiedToken.UserToken.class, t -> {
            assertThat(t.userId()).isEqualTo(USER);
            assertThat(t.expiresAt()).isAfter(Instant.now());
        });

        assertThat(verifier.verify(bearer(supabase.with("aud", "authenticated").service()))).isInstanceOf(VerifiedToken.ServiceToken.class);
        assertReason(verifier, bearer(supabase.with("aud", "anon").user(USER)), Reason.WRONG_AUDIENCE);
        assertReason(verifier, bearer(supabase.with("iss", "supabase").user(USER)), Reason.WRONG_ISSUER);
        assertReason(verifier, bearer(supabase.with("exp", Instant.now().minusSeconds(40)).user(USER)), Reason.EXPIRED);
        assertThat(verifier.verify(bearer(supabase.with("exp", Instant.now().minusSeconds(20)).user(USER)))).isInstanceOf(VerifiedToken.UserToken.class);
        assertReason(verifier, bearer(supabase.with("iat", Instant.now().plusSeconds(60)).user(USER)), Reason.ISSUED_IN_FUTURE);
        assertThat(fetches.get()).isEqualTo(1);
    }

    private static String pem(TestTokens.Keys rsa) throws Exception {
        byte[] der = rsa.publicJwk().toRSAKey().toPublicKey().getEncoded();
        return "-----BEGIN PUBLIC KEY-----\n" + java.util.Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END PUBLIC KEY-----\n";
    }
}
