package org.learninganalytics.http.testing;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Function;

import org.learninganalytics.http.auth.TokenVerifier;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.PlainHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;

/**
 * Mints JWTs for tests, shaped like Supabase's. Typical use:
 * <pre>{@code
 * String token = TestTokens.hs256(TestTokens.SECRET).user(userId);
 * request.header("Authorization", TestTokens.bearer(token));
 * TestTokens.hs256(TestTokens.SECRET).service();                          // role service_role
 * TestTokens.hs256(TestTokens.SECRET).with("exp", Instant.now().minusSeconds(3600)).user(userId); // expired
 * TestTokens.Keys keys = TestTokens.es256();  // serve keys.jwks() as the JWKS
 * keys.user(userId);
 * TestTokens.unsigned().user(userId);         // alg none
 * TokenVerifier server = TestTokens.verifierForSecret(TestTokens.SECRET);
 * }</pre>
 * {@link Minter#user} and {@link Minter#service} add {@code iat} (now) and {@code exp} (in an
 * hour) and the Supabase claims; {@link Minter#with} adds or replaces claims (an
 * {@link Instant} becomes seconds, {@code null} removes the claim); {@link Minter#claims}
 * signs exactly the claims given. Minters are immutable and thread-safe.
 */
public final class TestTokens {

    /** An HS256 secret of 40 bytes, for servers under test. */
    public static final String SECRET = "test-secret-of-forty-bytes-for-hs256-ok!";

    /** The role of user tokens ({@code authenticated}, Supabase's) and their audience. */
    public static final String USER_ROLE = "authenticated";

    /** The role of service tokens ({@code service_role}, Supabase's and the server's default). */
    public static final String SERVICE_ROLE = "service_role";

    private TestTokens() {
    }

    /** {@code "Bearer " + token}: an Authorization header value. */
    public static String bearer(String token) {
        return "Bearer " + token;
    }

    /** A server's verifier for the HS256 tokens of {@code secret}, with the default service role and no issuer or audience check. */
    public static TokenVerifier verifierForSecret(String secret) {
        return TokenVerifier.builder().hs256Secret(secret).build();
    }

    /** HS256 tokens signed with the UTF-8 bytes of {@code secret} (at least 32 bytes). */
    public static Minter hs256(String secret) {
        return hs256(secret.getBytes(StandardCharsets.UTF_8));
    }

    /** HS256 tokens signed with {@code secret} (at least 32 bytes). */
    public static Minter hs256(byte[] secret) {
        byte[] key = secret.clone();
        JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.HS256).type(JOSEObjectType.JWT).build();
        JWSSigner signer = macSigner(key);
        return new Minter(claims -> sign(header, claims, signer), Map.of());
    }

    /** RS256 tokens signed with a fresh 2048-bit RSA key with a random {@code kid}. */
    public static Keys rs256() {
        try {
            return new Keys(new RSAKeyGenerator(2048).keyID(UUID.randomUUID().toString()).keyUse(KeyUse.SIGNATURE)
                    .algorithm(JWSAlgorithm.RS256).generate());
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** ES256 tokens signed with a fresh P-256 key with a random {@code kid}, as Supabase's new signing keys. */
    public static Keys es256() {
        try {
            return new Keys(new ECKeyGenerator(Curve.P_256).keyID(UUID.randomUUID().toString()).keyUse(KeyUse.SIGNATURE)
                    .algorithm(JWSAlgorithm.ES256).generate());
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Unsigned tokens: {@code alg: none}, which every server must refuse. */
    public static Minter unsigned() {
        return new Minter(claims -> new PlainJWT(new PlainHeader(), claims).serialize(), Map.of());
    }

    /** The JWKS document (public keys only) holding the given keys, e.g. before and after a rotation. */
    public static String jwks(Keys... keys) {
        return new JWKSet(Arrays.stream(keys).map(k -> k.key.toPublicJWK()).toList()).toString();
    }

    /** Mints tokens of one kind of key. */
    public static class Minter {
        private final Function<JWTClaimsSet, String> signer;
        final Map<String, Object> extra;

        Minter(Function<JWTClaimsSet, String> signer, Map<String, Object> extra) {
            this.signer = signer;
            this.extra = extra;
        }

        /** A copy that adds {@code claim} to user and service tokens, or replaces it; {@code null} removes it. */
        public Minter with(String claim, Object value) {
            Map<String, Object> more = new LinkedHashMap<>(extra);
            more.put(Objects.requireNonNull(claim, "claim"), value);
            return new Minter(signer, Collections.unmodifiableMap(more));
        }

        /**
         * A user's token: {@code sub} the id, {@code role} and {@code aud}
         * {@value TestTokens#USER_ROLE}, {@code iat} now, {@code exp} in an hour, then the
         * {@link #with} claims.
         */
        public String user(UUID userId) {
            Map<String, Object> c = standard();
            c.put("sub", userId.toString());
            c.put("aud", USER_ROLE);
            c.put("role", USER_ROLE);
            return claimsWithExtra(c);
        }

        /** The service's token: {@code role} {@value TestTokens#SERVICE_ROLE}, {@code iat} now, {@code exp} in an hour, then the {@link #with} claims. */
        public String service() {
            Map<String, Object> c = standard();
            c.put("role", SERVICE_ROLE);
            return claimsWithExtra(c);
        }

        /** A token with exactly these claims (no defaults, {@link #with} ignored); {@link Instant}s become seconds. */
        public String claims(Map<String, ?> claims) {
            JWTClaimsSet.Builder b = new JWTClaimsSet.Builder();
            claims.forEach((name, value) -> {
                if (value != null) b.claim(name, value instanceof Instant i ? i.getEpochSecond() : value);
            });
            return signer.apply(b.build());
        }

        private String claimsWithExtra(Map<String, Object> c) {
            c.putAll(extra);
            return claims(c);
        }

        private static Map<String, Object> standard() {
            Instant now = Instant.now();
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("iat", now);
            c.put("exp", now.plusSeconds(3600));
            return c;
        }
    }

    /** A minter with its own key pair, whose public half {@link #jwks()} serves. */
    public static final class Keys extends Minter {
        private final JWK key;
        private final String kid;

        private Keys(JWK key) {
            this(key, key.getKeyID(), Map.of());
        }

        private Keys(JWK key, String kid, Map<String, Object> extra) {
            this(key, kid, extra, signer(key));
        }

        private Keys(JWK key, String kid, Map<String, Object> extra, JWSSigner signer) {
            super(claims -> sign(header(key, kid), claims, signer), extra);
            this.key = key;
            this.kid = kid;
        }

        /** The {@code kid} the tokens carry. */
        public String kid() {
            return kid;
        }

        /** A copy whose tokens carry another {@code kid} ({@code null}: none), with the same key. */
        public Keys withKid(String otherKid) {
            return new Keys(key, otherKid, extraClaims());
        }

        @Override
        public Keys with(String claim, Object value) {
            Map<String, Object> more = new LinkedHashMap<>(extraClaims());
            more.put(Objects.requireNonNull(claim, "claim"), value);
            return new Keys(key, kid, Collections.unmodifiableMap(more));
        }

        /** The JWKS document with this public key only. */
        public String jwks() {
            return TestTokens.jwks(this);
        }

        /** The public key as a JWK (e.g. its PEM for a key-confusion test). */
        public JWK publicJwk() {
            return key.toPublicJWK();
        }

        private Map<String, Object> extraClaims() {
            return extra;
        }

        private static JWSHeader header(JWK key, String kid) {
            JWSAlgorithm alg = key instanceof RSAKey ? JWSAlgorithm.RS256 : JWSAlgorithm.ES256;
            return new JWSHeader.Builder(alg).keyID(kid).type(JOSEObjectType.JWT).build();
        }

        private static JWSSigner signer(JWK key) {
            try {
                return key instanceof RSAKey rsa ? new RSASSASigner(rsa) : new ECDSASigner((ECKey) key);
            } catch (JOSEException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private static JWSSigner macSigner(byte[] key) {
        try {
            return new MACSigner(key);
        } catch (JOSEException e) {
            throw new IllegalArgumentException("an HS256 secret needs at least 32 bytes", e);
        }
    }

    private static String sign(JWSHeader header, JWTClaimsSet claims, JWSSigner signer) {
        SignedJWT jwt = new SignedJWT(header, claims);
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jwt.serialize();
    }
}
