package org.learninganalytics.http.auth;

import java.io.Closeable;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.Key;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

import org.learninganalytics.http.auth.InvalidTokenException.Reason;

import com.nimbusds.jose.Header;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObject;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jose.crypto.factories.DefaultJWSVerifierFactory;
import com.nimbusds.jose.jwk.source.JWKSetBasedJWKSource;
import com.nimbusds.jose.jwk.source.JWKSetCacheRefreshEvaluator;
import com.nimbusds.jose.jwk.source.JWKSetSource;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.jwk.source.RateLimitReachedException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

/**
 * Verifies {@code Authorization: Bearer} JWTs: HS256 with a shared secret and/or RS256 and
 * ES256 with the keys of a JWKS URL (Supabase's legacy secret or its
 * {@code /auth/v1/.well-known/jwks.json}). The header's {@code alg} picks the key: HS256 the
 * secret, RS256/ES256 the JWKS; any other algorithm, {@code none}, an encrypted token, or an
 * algorithm whose key is not configured is refused, so one kind of key can never stand in for
 * the other. The signature is checked before any claim is looked at.
 *
 * <p>Claims: {@code exp} is required; {@code exp}, {@code nbf} and {@code iat} are checked
 * with {@link #LEEWAY}, and an {@code iat} in the future is refused. The issuer must match
 * exactly and the audience must be carried, when configured. A token whose {@code role} claim
 * is the service role is the {@link VerifiedToken.ServiceToken service}; any other must have a UUID
 * {@code sub} and is a {@link VerifiedToken.UserToken user}.
 *
 * <p>Built once and shared: thread-safe. The JWKS is fetched on first use, cached for five
 * minutes and fetched again (at most twice in 30 s) when a token names an unknown key, as
 * after a key rotation. Close it to stop its background refresh.
 */
public final class TokenVerifier implements AutoCloseable {

    /** Clock difference tolerated for {@code exp}, {@code nbf} and {@code iat}. */
    public static final Duration LEEWAY = Duration.ofSeconds(30);

    /** Shortest HS256 secret accepted: 256 bits (RFC 7518 §3.2). */
    public static final int MIN_SECRET_BYTES = 32;

    /** The service role when none is configured: Supabase's. */
    public static final String DEFAULT_SERVICE_ROLE = "service_role";

    static final int JWKS_CONNECT_TIMEOUT_MS = 1_000;
    static final int JWKS_READ_TIMEOUT_MS = 2_000;
    static final int JWKS_SIZE_LIMIT_BYTES = 64 * 1024;

    private static final Set<JWSAlgorithm> JWKS_ALGORITHMS = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256);
    private static final Pattern BEARER = Pattern.compile("(?i)bearer[ \\t]+(\\S*)[ \\t]*");
    private static final Pattern UUID_TEXT =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private final MACVerifier secretVerifier;
    private final JWKSource<SecurityContext> jwks;
    private final JWKSetSource<SecurityContext> jwksCache;
    private final JWSVerificationKeySelector<SecurityContext> jwksKeys;
    private final DefaultJWSVerifierFactory verifiers = new DefaultJWSVerifierFactory();
    private final String issuer;
    private final String audience;
    private final String serviceRole;
    private final Clock clock;
    private final String description;

    private TokenVerifier(Builder b) {
        try {
            this.secretVerifier = b.secret == null ? null : new MACVerifier(b.secret);
        } catch (JOSEException e) { // length checked already; never carries the secret
            throw new IllegalArgumentException("the HS256 secret cannot be used: " + e.getMessage());
        }
        if (b.jwksUrl == null) {
            this.jwks = null;
            this.jwksCache = null;
            this.jwksKeys = null;
        } else {
            try {
                this.jwks = JWKSourceBuilder.<SecurityContext>create(b.jwksUrl.toURL(),
                                new DefaultResourceRetriever(JWKS_CONNECT_TIMEOUT_MS, JWKS_READ_TIMEOUT_MS, JWKS_SIZE_LIMIT_BYTES))
                        .build();
            } catch (MalformedURLException e) {
                throw new IllegalArgumentException("the JWKS URL is not a URL: " + e.getMessage(), e);
            }
            this.jwksCache = jwks instanceof JWKSetBasedJWKSource<SecurityContext> based ? based.getJWKSetSource() : null;
            this.jwksKeys = new JWSVerificationKeySelector<>(JWKS_ALGORITHMS, jwks);
        }
        this.issuer = b.issuer;
        this.audience = b.audience;
        this.serviceRole = b.serviceRole;
        this.clock = b.clock;
        this.description = describe(b);
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Verifies the value of an {@code Authorization} header: {@code Bearer <JWT>}, the scheme
     * in any case.
     *
     * @param authorizationHeaderValue the header's value; {@code null} when the request has none
     * @return who is calling
     * @throws InvalidTokenException why the token is refused; its message is safe to send
     */
    public VerifiedToken verify(String authorizationHeaderValue) {
        SignedJWT jwt = parse(bearerToken(authorizationHeaderValue));
        verifySignature(jwt);
        JWTClaimsSet claims;
        try {
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            throw new InvalidTokenException(Reason.MALFORMED);
        }
        return checkClaims(claims);
    }

    private static String bearerToken(String authorization) {
        if (authorization == null || authorization.isBlank()) throw new InvalidTokenException(Reason.MISSING);
        var m = BEARER.matcher(authorization.strip());
        if (!m.matches() || m.group(1).isEmpty()) throw new InvalidTokenException(Reason.MISSING);
        return m.group(1);
    }

    private static SignedJWT parse(String token) {
        Base64URL[] parts;
        Header header;
        try {
            parts = JOSEObject.split(token);
            header = Header.parse(parts[0]);
        } catch (ParseException | RuntimeException e) {
            throw new InvalidTokenException(Reason.MALFORMED);
        }
        // alg none (a PlainHeader) or an encrypted token (a JWEHeader)
        if (!(header instanceof JWSHeader)) throw new InvalidTokenException(Reason.UNSUPPORTED_ALGORITHM);
        if (parts.length != 3) throw new InvalidTokenException(Reason.MALFORMED);
        try {
            return new SignedJWT(parts[0], parts[1], parts[2]);
        } catch (ParseException | RuntimeException e) {
            throw new InvalidTokenException(Reason.MALFORMED);
        }
    }

    private void verifySignature(SignedJWT jwt) {
        JWSHeader header = jwt.getHeader();
        JWSAlgorithm alg = header.getAlgorithm();
        if (JWSAlgorithm.HS256.equals(alg) && secretVerifier != null) {
            if (!verifies(jwt, secretVerifier)) throw new InvalidTokenException(Reason.BAD_SIGNATURE);
        } else if (JWKS_ALGORITHMS.contains(alg) && jwksKeys != null) {
            List<? extends Key> keys = jwksKeys(header);
            if (keys.isEmpty()) throw new InvalidTokenException(Reason.UNKNOWN_KEY);
            for (Key key : keys) {
                JWSVerifier verifier;
                try {
                    verifier = verifiers.createJWSVerifier(header, key);
                } catch (JOSEException e) {
                    continue; // a key of the JWKS unfit for this algorithm
                }
                if (verifies(jwt, verifier)) return;
            }
            throw new InvalidTokenException(Reason.BAD_SIGNATURE);
        } else {
            throw new InvalidTokenException(Reason.UNSUPPORTED_ALGORITHM);
        }
    }

    private List<? extends Key> jwksKeys(JWSHeader header) {
        try {
            return jwksKeys.selectJWSKeys(header, null);
        } catch (RateLimitReachedException e) {
            // An unknown kid and the JWKS was fetched twice in the last 30 s. The key is unknown
            // if the cached keys are there; the keys are unavailable if not (fetches failing).
            if (cachedKeysPresent()) return List.of();
            throw new InvalidTokenException(Reason.KEYS_UNAVAILABLE, e);
        } catch (KeySourceException e) {
            throw new InvalidTokenException(Reason.KEYS_UNAVAILABLE, e);
        }
    }

    private boolean cachedKeysPresent() {
        if (jwksCache == null) return false;
        try {
            return jwksCache.getJWKSet(JWKSetCacheRefreshEvaluator.noRefresh(), System.currentTimeMillis(), null) != null;
        } catch (KeySourceException e) { // nothing cached, and fetching is what failed
            return false;
        }
    }

    private static boolean verifies(SignedJWT jwt, JWSVerifier verifier) {
        try {
            return jwt.verify(verifier);
        } catch (JOSEException | RuntimeException e) { // e.g. an EC signature of the wrong length
            return false;
        }
    }

    private VerifiedToken checkClaims(JWTClaimsSet claims) {
        Instant now = clock.instant();
        Date exp = claims.getExpirationTime();
        if (exp == null) throw new InvalidTokenException(Reason.MISSING_EXPIRY);
        Instant expiresAt = exp.toInstant();
        if (expiresAt.plus(LEEWAY).isBefore(now)) throw new InvalidTokenException(Reason.EXPIRED);
        Date nbf = claims.getNotBeforeTime();
        if (nbf != null && nbf.toInstant().minus(LEEWAY).isAfter(now)) throw new InvalidTokenException(Reason.NOT_YET_VALID);
        Date iat = claims.getIssueTime();
        if (iat != null && iat.toInstant().minus(LEEWAY).isAfter(now)) throw new InvalidTokenException(Reason.ISSUED_IN_FUTURE);
        if (issuer != null && !issuer.equals(claims.getIssuer())) throw new InvalidTokenException(Reason.WRONG_ISSUER);
        if (audience != null) {
            List<String> aud = claims.getAudience();
            if (aud == null || !aud.contains(audience)) throw new InvalidTokenException(Reason.WRONG_AUDIENCE);
        }
        String subject = claims.getSubject();
        if (claims.getClaim("role") instanceof String role && role.equals(serviceRole)) {
            return new VerifiedToken.ServiceToken(subject, expiresAt);
        }
        if (subject == null || !UUID_TEXT.matcher(subject).matches()) throw new InvalidTokenException(Reason.BAD_SUBJECT);
        return new VerifiedToken.UserToken(UUID.fromString(subject), expiresAt);
    }

    /** Stops the JWKS cache's background work, if any. */
    @Override
    public void close() {
        if (jwks instanceof Closeable closeable) {
            try {
                closeable.close();
            } catch (IOException e) {
                // nothing held that matters
            }
        }
    }

    /** The keys and checks, without the secret: for the start-up log. */
    @Override
    public String toString() {
        return description;
    }

    private static String describe(Builder b) {
        StringBuilder s = new StringBuilder("TokenVerifier[");
        if (b.secret != null) s.append("HS256 secret (").append(b.secret.length).append(" bytes)");
        if (b.jwksUrl != null) s.append(b.secret != null ? ", " : "").append("RS256/ES256 from ").append(b.jwksUrl);
        s.append(", issuer ").append(b.issuer == null ? "any" : b.issuer);
        s.append(", audience ").append(b.audience == null ? "any" : b.audience);
        s.append(", service role ").append(b.serviceRole).append(']');
        return s.toString();
    }

    /** Not thread-safe; {@link #build()} once. */
    public static final class Builder {
        private byte[] secret;
        private URI jwksUrl;
        private String issuer;
        private String audience;
        private String serviceRole = DEFAULT_SERVICE_ROLE;
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        /**
         * The HS256 secret, its UTF-8 bytes used as they are (as Supabase and PostgREST do).
         *
         * @throws IllegalArgumentException when shorter than {@link #MIN_SECRET_BYTES} bytes;
         *         the message gives the length, never the secret
         */
        public Builder hs256Secret(String secret) {
            return hs256Secret(Objects.requireNonNull(secret, "secret").getBytes(StandardCharsets.UTF_8));
        }

        /** The HS256 secret's bytes (copied). */
        public Builder hs256Secret(byte[] secret) {
            Objects.requireNonNull(secret, "secret");
            if (secret.length < MIN_SECRET_BYTES) {
                throw new IllegalArgumentException("the HS256 secret is " + secret.length + " bytes long; at least "
                        + MIN_SECRET_BYTES + " (256 bits) are needed");
            }
            this.secret = secret.clone();
            return this;
        }

        /** Where the RS256/ES256 public keys are: an http(s) URL serving a JWK set. */
        public Builder jwksUrl(URI url) {
            Objects.requireNonNull(url, "url");
            String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("https") && !scheme.equals("http") || url.getHost() == null) {
                throw new IllegalArgumentException("the JWKS URL must be an http(s) URL with a host");
            }
            this.jwksUrl = url;
            return this;
        }

        /** The exact {@code iss} required; {@code null}: any. */
        public Builder issuer(String issuer) {
            this.issuer = blankToNull(issuer);
            return this;
        }

        /** The audience every token's {@code aud} must contain; {@code null}: any, or none. */
        public Builder audience(String audience) {
            this.audience = blankToNull(audience);
            return this;
        }

        /** The {@code role} claim that makes a token the service's; default {@value #DEFAULT_SERVICE_ROLE}. */
        public Builder serviceRole(String role) {
            String r = blankToNull(role);
            if (r == null) throw new IllegalArgumentException("the service role must not be blank");
            this.serviceRole = r;
            return this;
        }

        /** The clock the token times are checked against (tests). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** @throws IllegalStateException when neither a secret nor a JWKS URL was given */
        public TokenVerifier build() {
            if (secret == null && jwksUrl == null) {
                throw new IllegalStateException("a token verifier needs an HS256 secret, a JWKS URL or both");
            }
            return new TokenVerifier(this);
        }

        private static String blankToNull(String s) {
            return s == null || s.isBlank() ? null : s.strip();
        }
    }
}
