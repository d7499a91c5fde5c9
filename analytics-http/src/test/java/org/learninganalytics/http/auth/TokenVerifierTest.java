package org.learninganalytics.http.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.learninganalytics.http.testing.TestTokens.bearer;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;
import org.learninganalytics.http.auth.InvalidTokenException.Reason;
import org.learninganalytics.http.testing.TestTokens;

import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.DirectEncrypter;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.EncryptedJWT;
import com.nimbusds.jwt.JWTClaimsSet;

/** HS256 and the claim rules, without a JWKS: {@link TokenVerifierJwksTest} has those. */
class TokenVerifierTest {

    private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");
    private static final UUID USER = UUID.fromString("6f1c1a52-7f0e-4c1e-9d7a-2b4e8f0c3a11");
    private static final String OTHER_SECRET = "another-secret-that-is-long-enough-32b!";

    private final TokenVerifier verifier = TokenVerifier.builder().hs256Secret(TestTokens.SECRET).clock(fixedClock()).build();
    private final TestTokens.Minter tokens = TestTokens.hs256(TestTokens.SECRET);

    @Test
    void acceptsAUserToken() {
        VerifiedToken verified = verifier.verify(bearer(tokens.claims(Map.of("sub", USER.toString(), "exp", NOW.plusSeconds(60)))));

        assertThat(verified).isEqualTo(new VerifiedToken.UserToken(USER, NOW.plusSeconds(60)));
    }

    @Test
    void acceptsTheSchemeInAnyCaseAndSurroundingSpaces() {
        String token = userToken(Map.of());

        assertThat(verifier.verify("bearer " + token)).isInstanceOf(VerifiedToken.UserToken.class);
        assertThat(verifier.verify("BEARER   " + token + "  ")).isInstanceOf(VerifiedToken.UserToken.class);
    }

    @Test
    void aTokenWithTheServiceRoleIsTheServiceWithOrWithoutSubject() {
        assertThat(verifier.verify(bearer(tokens.claims(Map.of("role", "service_role", "exp", NOW.plusSeconds(60))))))
                .isEqualTo(new VerifiedToken.ServiceToken(null, NOW.plusSeconds(60)));
        assertThat(verifier.verify(bearer(tokens.claims(Map.of("role", "service_role", "sub", "ingest-bot", "exp", NOW.plusSeconds(60))))))
                .isEqualTo(new VerifiedToken.ServiceToken("ingest-bot", NOW.plusSeconds(60)));
    }

    @Test
    void theServiceRoleIsConfigurable() {
        TokenVerifier custom = TokenVerifier.builder().hs256Secret(TestTokens.SECRET).serviceRole("analytics_service").clock(fixedClock()).build();

        assertThat(custom.verify(bearer(tokens.claims(Map.of("role", "analytics_service", "exp", NOW.plusSeconds(60))))))
                .isInstanceOf(VerifiedToken.ServiceToken.class);
        // service_role is then an ordinary role: a user token, which needs a UUID subject
        assertReason(custom, bearer(tokens.claims(Map.of("role", "service_role", "exp", NOW.plusSeconds(60)))), Reason.BAD_SUBJECT);
        assertThat(custom.verify(bearer(tokens.claims(Map.of("role", "service_role", "sub", USER.toString(), "exp", NOW.plusSeconds(60))))))
                .isEqualTo(new VerifiedToken.UserToken(USER, NOW.plusSeconds(60)));
    }

    @Test
    void aRoleClaimThatIsNotTextIsNotTheService() {
        assertReason(verifier, bearer(tokens.claims(Map.of("role", List.of("service_role"), "exp", NOW.plusSeconds(60)))), Reason.BAD_SUBJECT);
    }

    // --- MISSING, MALFORMED ---

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"   ", "Bearer", "Bearer    ", "Basic dXNlcjpwYXNz", "Token abc.def.ghi"})
    void missing(String header) {
        assertReason(verifier, header, Reason.MISSING);
    }

    @ParameterizedTest
    @ValueSource(strings = {"Bearer abc", "Bearer a.b", "Bearer a.b.c", "Bearer e30.e30.sig", "Bearer ...", "Bearer a.b.c.d",
            "Bearer eyJhbGciOiJIUzI1NiJ9"})
    void malformed(String header) {
        assertReason(verifier, header, Reason.MALFORMED);
    }

    @Test
    void aSignedPayloadThatIsNotJsonClaimsIsMalformed() throws Exception {
        JWSObject notJson = new JWSObject(new JWSHeader(JWSAlgorithm.HS256), new Payload("not json"));
        notJson.sign(new MACSigner(TestTokens.SECRET.getBytes(StandardCharsets.UTF_8)));
        assertReason(verifier, bearer(notJson.serialize()), Reason.MALFORMED);

        assertReason(verifier, bearer(tokens.claims(Map.of("sub", USER.toString(), "exp", "tomorrow"))), Reason.MALFORMED);
    }

    // --- UNSUPPORTED_ALGORITHM, BAD_SIGNATURE ---

    @Test
    void algNoneIsRefused() {
        assertReason(verifier, bearer(TestTokens.unsigned().claims(Map.of("sub", USER.toString(), "exp", NOW.plusSeconds(60)))),
                Reason.UNSUPPORTED_ALGORITHM);
        // "none" with a signature part glued on
        String unsigned = TestTokens.unsigned().claims(Map.of("sub", USER.toString(), "exp", NOW.plusSeconds(60)));
        assertReason(verifier, bearer(unsigned + "c2ln"), Reason.UNSUPPORTED_ALGORITHM);
    }

    @Test
    void otherHmacAlgorithmsWithTheSameSecretAreRefused() throws Exception {
        byte[] longSecret = (TestTokens.SECRET + TestTokens.SECRET).getBytes(StandardCharsets.UTF_8); // HS512 needs 64 bytes
        TokenVerifier longer = TokenVerifier.builder().hs256Secret(longSecret).clock(fixedClock()).build();
        for (JWSAlgorithm alg : List.of(JWSAlgorithm.HS384, JWSAlgorithm.HS512)) {
            assertReason(longer, bearer(signedWith(alg, longSecret, userClaims())), Reason.UNSUPPORTED_ALGORITHM);
        }
        // the name is case-sensitive: "hs256" is not HS256, even when the HMAC is right
        assertReason(verifier, bearer(hmacByHand("{\"alg\":\"hs256\",\"typ\":\"JWT\"}", TestTokens.SECRET, userClaims())),
                Reason.UNSUPPORTED_ALGORITHM);
        assertThat(verifier.verify(bearer(hmacByHand("{\"alg\":\"HS256\",\"typ\":\"JWT\"}", TestTokens.SECRET, userClaims()))))
                .isInstanceOf(VerifiedToken.UserToken.class);
    }

    @Test
    void anRs256OrEs256TokenIsRefusedWhenOnlyASecretIsConfigured() {
        assertReason(verifier, bearer(TestTokens.rs256().user(USER)), Reason.UNSUPPORTED_ALGORITHM);
        assertReason(verifier, bearer(TestTokens.es256().user(USER)), Reason.UNSUPPORTED_ALGORITHM);
    }

    @Test
    void anEncryptedTokenIsRefused() throws Exception {
        EncryptedJWT jwe = new EncryptedJWT(new JWEHeader(JWEAlgorithm.DIR, EncryptionMethod.A256GCM), userClaims());
        jwe.encrypt(new DirectEncrypter(Arrays.copyOf(TestTokens.SECRET.getBytes(StandardCharsets.UTF_8), 32)));
        assertReason(verifier, bearer(jwe.serialize()), Reason.UNSUPPORTED_ALGORITHM);
    }

    @Test
    void anotherSecretIsABadSignature() {
        assertReason(verifier, bearer(TestTokens.hs256(OTHER_SECRET).user(USER)), Reason.BAD_SIGNATURE);
    }

    @Test
    void changedClaimsAreABadSignature() {
        String[] parts = tokens.user(USER).split("\\.");
        String forged = TestTokens.hs256(OTHER_SECRET).with("role", "service_role").service().split("\\.")[1];
        assertReason(verifier, bearer(parts[0] + "." + forged + "." + parts[2]), Reason.BAD_SIGNATURE);
        assertReason(verifier, bearer(parts[0] + "." + parts[1] + "." + parts[2].substring(1)), Reason.BAD_SIGNATURE);
        assertReason(verifier, bearer(parts[0] + "." + parts[1] + "."), Reason.MALFORMED); // no signature at all
    }

    // --- times ---

    @Test
    void expiryIsRequired() {
        assertReason(verifier, bearer(tokens.claims(Map.of("sub", USER.toString(), "iat", NOW))), Reason.MISSING_EXPIRY);
        assertReason(verifier, bearer(tokens.claims(Map.of("role", "service_role"))), Reason.MISSING_EXPIRY);
    }

    @Test
    void expiryHasThirtySecondsOfLeeway() {
        assertThat(verifier.verify(bearer(userToken(Map.of("exp", NOW.minusSeconds(20)))))).isInstanceOf(VerifiedToken.UserToken.class);
        assertThat(verifier.verify(bearer(userToken(Map.of("exp", NOW.minusSeconds(30)))))).isInstanceOf(VerifiedToken.UserToken.class);
        assertReason(verifier, bearer(userToken(Map.of("exp", NOW.minusSeconds(31)))), Reason.EXPIRED);
        assertReason(verifier, bearer(userToken(Map.of("exp", NOW.minusSeconds(40)))), Reason.EXPIRED);
        assertReason(verifier, bearer(userToken(Map.of("exp", NOW.minusSeconds(86_400)))), Reason.EXPIRED);
    }

    @Test
    void issuedAtInTheFutureHasThirtySecondsOfLeeway() {
        assertThat(verifier.verify(bearer(userToken(Map.of("iat", NOW.plusSeconds(20)))))).isInstanceOf(VerifiedToken.UserToken.class);
        assertReason(verifier, bearer(userToken(Map.of("iat", NOW.plusSeconds(60)))), Reason.ISSUED_IN_FUTURE);
        assertReason(verifier, bearer(userToken(Map.of("iat", NOW.plusSeconds(31)))), Reason.ISSUED_IN_FUTURE);
    }

    @Test
    void notBeforeHasThirtySecondsOfLeeway() {
        assertThat(verifier.verify(bearer(userToken(Map.of("nbf", NOW.plusSeconds(20)))))).isInstanceOf(VerifiedToken.UserToken.class);
        assertReason(verifier, bearer(userToken(Map.of("nbf", NOW.plusSeconds(40)))), Reason.NOT_YET_VALID);
    }

    @Test
    void theMintedDefaultsAreValidNow() {
        TokenVerifier realTime = TokenVerifier.builder().hs256Secret(TestTokens.SECRET).build();

        assertThat(realTime.verify(bearer(tokens.user(USER)))).isInstanceOf(VerifiedToken.UserToken.class);
        assertThat(realTime.verify(bearer(tokens.service()))).isInstanceOf(VerifiedToken.ServiceToken.class);
        assertReason(realTime, bearer(tokens.with("exp", Instant.now().minusSeconds(3600)).user(USER)), Reason.EXPIRED);
    }

    // --- issuer, audience, subject ---

    @Test
    void issuerMustMatchExactlyWhenConfigured() {
        String iss = "https://abcdefghijklmnop.supabase.co/auth/v1";
        TokenVerifier strict = TokenVerifier.builder().hs256Secret(TestTokens.SECRET).issuer(iss).clock(fixedClock()).build();

        assertThat(strict.verify(bearer(userToken(Map.of("iss", iss))))).isInstanceOf(VerifiedToken.UserToken.class);
        assertReason(strict, bearer(userToken(Map.of("iss", iss + "/"))), Reason.WRONG_ISSUER);
        assertReason(strict, bearer(userToken(Map.of("iss", "https://evil.supabase.co/auth/v1"))), Reason.WRONG_ISSUER);
        assertReason(strict, bearer(userToken(Map.of())), Reason.WRONG_ISSUER);
        // unset: any issuer
        assertThat(verifier.verify(bearer(userToken(Map.of("iss", "anyone"))))).isInstanceOf(VerifiedToken.UserToken.class);
    }

    @Test
    void audienceMustBeCarriedWhenConfigured() {
        TokenVerifier strict = TokenVerifier.builder().hs256Secret(TestTokens.SECRET).audience("authenticated").clock(fixedClock()).build();

        assertThat(strict.verify(bearer(userToken(Map.of("aud", "authenticated"))))).isInstanceOf(VerifiedToken.UserToken.class);
        assertThat(strict.verify(bearer(userToken(Map.of("aud", List.of("other", "authenticated")))))).isInstanceOf(VerifiedToken.UserToken.class);
        assertReason(strict, bearer(userToken(Map.of("aud", "anon"))), Reason.WRONG_AUDIENCE);
        assertReason(strict, bearer(userToken(Map.of("aud", List.of("other")))), Reason.WRONG_AUDIENCE);
        assertReason(strict, bearer(userToken(Map.of())), Reason.WRONG_AUDIENCE);
        assertReason(strict, bearer(userToken(Map.of("aud", 7))), Reason.WRONG_AUDIENCE);
        assertReason(strict, bearer(userToken(Map.of("aud", List.of(7)))), Reason.WRONG_AUDIENCE);
        // unset: any audience, or none
        assertThat(verifier.verify(bearer(userToken(Map.of("aud", "anything"))))).isInstanceOf(VerifiedToken.UserToken.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "user-1", "1-1-1-1-1", "6f1c1a52-7f0e-4c1e-9d7a-2b4e8f0c3a1", "6f1c1a527f0e4c1e9d7a2b4e8f0c3a11",
            "{6f1c1a52-7f0e-4c1e-9d7a-2b4e8f0c3a11}", "6f1c1a52-7f0e-4c1e-9d7a-2b4e8f0c3a11 "})
    void aUserSubjectMustBeAUuid(String sub) {
        assertReason(verifier, bearer(tokens.claims(Map.of("sub", sub, "role", "authenticated", "exp", NOW.plusSeconds(60)))),
                Reason.BAD_SUBJECT);
    }

    @Test
    void aSubjectThatIsNotTextIsNotAUser() {
        assertReason(verifier, bearer(tokens.claims(Map.of("sub", 42, "exp", NOW.plusSeconds(60)))), Reason.BAD_SUBJECT);
    }

    @Test
    void aUserTokenWithoutSubjectIsRefused() {
        // e.g. Supabase's anon key: role anon, no sub
        assertReason(verifier, bearer(tokens.claims(Map.of("role", "anon", "iss", "supabase", "exp", NOW.plusSeconds(60)))),
                Reason.BAD_SUBJECT);
    }

    @Test
    void anUpperCaseUuidIsTheSameUser() {
        assertThat(verifier.verify(bearer(userToken(Map.of("sub", USER.toString().toUpperCase())))))
                .isEqualTo(new VerifiedToken.UserToken(USER, NOW.plusSeconds(3600)));
    }

    // --- Supabase's HS256 shape ---

    @Test
    void aSupabaseLegacyHs256TokenWorksUnchanged() {
        String iss = "https://abcdefghijklmnop.supabase.co/auth/v1";
        TokenVerifier supabase = TokenVerifier.builder().hs256Secret(TestTokens.SECRET).issuer(iss).audience("authenticated")
                .clock(fixedClock()).build();
        Map<String, Object> user = new LinkedHashMap<>();
        user.put("aud", "authenticated");
        user.put("exp", NOW.plusSeconds(3600));
        user.put("iat", NOW);
        user.put("iss", iss);
        user.put("sub", USER.toString());
        user.put("email", "learner@example.org");
        user.put("phone", "");
        user.put("app_metadata", Map.of("provider", "email", "providers", List.of("email")));
        user.put("user_metadata", Map.of());
        user.put("role", "authenticated");
        user.put("aal", "aal1");
        user.put("amr", List.of(Map.of("method", "password", "timestamp", NOW.getEpochSecond())));
        user.put("session_id", UUID.randomUUID().toString());
        user.put("is_anonymous", false);

        assertThat(supabase.verify(bearer(tokens.claims(user)))).isEqualTo(new VerifiedToken.UserToken(USER, NOW.plusSeconds(3600)));

        Map<String, Object> service = Map.of("aud", "authenticated", "iss", iss, "role", "service_role", "iat", NOW,
                "exp", NOW.plusSeconds(3600));
        assertThat(supabase.verify(bearer(tokens.claims(service)))).isEqualTo(new VerifiedToken.ServiceToken(null, NOW.plusSeconds(3600)));
    }

    // --- the refusal itself ---

    @Test
    void everyReasonHasALowercaseTagAClientSafeMessageAndAStatus() {
        for (Reason reason : Reason.values()) {
            assertThat(reason.tag()).matches("[a-z_]+").isEqualTo(reason.name().toLowerCase());
            assertThat(reason.message()).isNotBlank().doesNotContain("\"").doesNotContain("\\");
            assertThat(reason.httpStatus()).isEqualTo(reason == Reason.KEYS_UNAVAILABLE ? 503 : 401);
        }
        assertThat(Reason.BAD_SIGNATURE.tag()).isEqualTo("bad_signature");
    }

    @Test
    void theRefusalNeverEchoesTheToken() {
        String expired = userToken(Map.of("exp", NOW.minusSeconds(3600), "email", "secret-person@example.org"));
        InvalidTokenException e = catchThrowableOfType(InvalidTokenException.class, () -> verifier.verify(bearer(expired)));

        assertThat(e.reason()).isEqualTo(Reason.EXPIRED);
        assertThat(e.getMessage()).isEqualTo(Reason.EXPIRED.message());
        for (String part : expired.split("\\.")) assertThat(e.toString()).doesNotContain(part);
        assertThat(e.toString()).doesNotContain("secret-person").doesNotContain(USER.toString());
        assertThat(e.getStackTrace()).isEmpty();
    }

    @Test
    void wwwAuthenticateFollowsRfc6750() {
        assertThat(new InvalidTokenException(Reason.MISSING).wwwAuthenticate()).contains("Bearer");
        assertThat(new InvalidTokenException(Reason.EXPIRED).wwwAuthenticate())
                .contains("Bearer error=\"invalid_token\", error_description=\"The bearer token has expired.\"");
        assertThat(new InvalidTokenException(Reason.KEYS_UNAVAILABLE).wwwAuthenticate()).isEmpty();
        InvalidTokenException custom = new InvalidTokenException(Reason.MISSING, "This server has no token keys configured.");
        assertThat(custom).hasMessage("This server has no token keys configured.");
        assertThat(custom.reason().tag()).isEqualTo("missing");
    }

    // --- building ---

    @Test
    void aSecretShorterThan32BytesIsRefusedWithoutShowingIt() {
        assertThatThrownBy(() -> TokenVerifier.builder().hs256Secret("short-secret-31-bytes-long-xxxx"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("31 bytes")
                .hasMessageNotContaining("short-secret");
        assertThat(TokenVerifier.builder().hs256Secret("exactly-32-bytes-long-secret-xx!").build()).isNotNull();
    }

    @Test
    void aVerifierNeedsAKey() {
        assertThatThrownBy(() -> TokenVerifier.builder().build()).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void toStringNeverShowsTheSecret() {
        assertThat(verifier.toString()).contains("HS256").doesNotContain(TestTokens.SECRET);
    }

    // --- helpers ---

    static void assertReason(TokenVerifier verifier, String header, Reason reason) {
        assertThatThrownBy(() -> verifier.verify(header))
                .isInstanceOfSatisfying(InvalidTokenException.class, e -> assertThat(e.reason()).isEqualTo(reason));
    }

    /** A user token valid at {@link #NOW}, with {@code overrides}. */
    private String userToken(Map<String, ?> overrides) {
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("sub", USER.toString());
        claims.put("role", "authenticated");
        claims.put("iat", NOW);
        claims.put("exp", NOW.plusSeconds(3600));
        claims.putAll(overrides);
        return tokens.claims(claims);
    }

    private static JWTClaimsSet userClaims() {
        return new JWTClaimsSet.Builder().subject(USER.toString()).expirationTime(java.util.Date.from(NOW.plusSeconds(60))).build();
    }

    private static String signedWith(JWSAlgorithm alg, byte[] secret, JWTClaimsSet claims) throws Exception {
        JWSObject jws = new JWSObject(new JWSHeader.Builder(alg).type(JOSEObjectType.JWT).build(), claims.toPayload());
        jws.sign(new MACSigner(secret) {
            @Override
            public java.util.Set<JWSAlgorithm> supportedJWSAlgorithms() {
                return java.util.Set.of(alg);
            }
        });
        return jws.serialize();
    }

    /** header.payload.HMAC-SHA256, computed without nimbus. */
    private static String hmacByHand(String headerJson, String secret, JWTClaimsSet claims) throws Exception {
        java.util.Base64.Encoder b64 = java.util.Base64.getUrlEncoder().withoutPadding();
        String signingInput = b64.encodeToString(headerJson.getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(claims.toString().getBytes(StandardCharsets.UTF_8));
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return signingInput + "." + b64.encodeToString(mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII)));
    }

    private static Clock fixedClock() {
        return Clock.fixed(NOW, ZoneOffset.UTC);
    }
}
