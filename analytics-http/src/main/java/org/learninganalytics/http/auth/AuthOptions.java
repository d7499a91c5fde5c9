package org.learninganalytics.http.auth;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;

import org.learninganalytics.http.DatabaseOptions;
import org.learninganalytics.http.StartupException;

import picocli.CommandLine.Option;

/**
 * How bearer tokens are verified: a picocli mixin whose every value may come from the
 * environment. At least one key is needed: the HS256 secret, the JWKS URL, or both.
 * {@link #toString()} never shows the secret. Not thread-safe; build the verifier once.
 */
public final class AuthOptions {

    @Option(names = "--jwt-secret", defaultValue = "${env:ANALYTICS_JWT_SECRET}",
            description = "HS256 secret of user and service tokens, at least 32 bytes, e.g. Supabase's legacy JWT secret"
                    + " (env ANALYTICS_JWT_SECRET)")
    String secret;

    @Option(names = "--jwt-jwks-url", defaultValue = "${env:ANALYTICS_JWT_JWKS_URL}",
            description = "URL of the JWK set with the RS256/ES256 public keys, e.g."
                    + " https://<ref>.supabase.co/auth/v1/.well-known/jwks.json (env ANALYTICS_JWT_JWKS_URL)")
    String jwksUrl;

    @Option(names = "--jwt-issuer", defaultValue = "${env:ANALYTICS_JWT_ISSUER}",
            description = "required iss, exact match, e.g. https://<ref>.supabase.co/auth/v1; unset: any (env ANALYTICS_JWT_ISSUER)")
    String issuer;

    @Option(names = "--jwt-audience", defaultValue = "${env:ANALYTICS_JWT_AUDIENCE}",
            description = "audience every token must carry in aud, e.g. authenticated; unset: not checked (env ANALYTICS_JWT_AUDIENCE)")
    String audience;

    @Option(names = "--jwt-service-role", defaultValue = "${env:ANALYTICS_JWT_SERVICE_ROLE:-" + TokenVerifier.DEFAULT_SERVICE_ROLE + "}",
            description = "role claim of the service's tokens (env ANALYTICS_JWT_SERVICE_ROLE, default ${DEFAULT-VALUE})")
    String serviceRole = TokenVerifier.DEFAULT_SERVICE_ROLE;

    /** Whether a key is configured: the secret, the JWKS URL, or both. */
    public boolean isConfigured() {
        return present(secret) || present(jwksUrl);
    }

    /**
     * The verifier these options describe; build it once at start-up and share it.
     *
     * @throws StartupException naming the setting that is missing or wrong; never the secret
     */
    public TokenVerifier buildVerifier() {
        if (!isConfigured()) {
            throw new StartupException("no key to verify bearer tokens: set ANALYTICS_JWT_SECRET (HS256),"
                    + " ANALYTICS_JWT_JWKS_URL (RS256/ES256) or both");
        }
        TokenVerifier.Builder builder = TokenVerifier.builder();
        if (present(secret)) {
            int length = secret.getBytes(StandardCharsets.UTF_8).length;
            if (length < TokenVerifier.MIN_SECRET_BYTES) {
                throw new StartupException("ANALYTICS_JWT_SECRET (--jwt-secret) is " + length + " bytes long; HS256 needs at least "
                        + TokenVerifier.MIN_SECRET_BYTES + " (256 bits)");
            }
            builder.hs256Secret(secret);
        }
        if (present(jwksUrl)) {
            try {
                builder.jwksUrl(new URI(jwksUrl.strip()));
            } catch (URISyntaxException | IllegalArgumentException e) {
                throw new StartupException("ANALYTICS_JWT_JWKS_URL (--jwt-jwks-url) " + DatabaseOptions.maskPassword(jwksUrl.strip())
                        + " is not an http(s) URL");
            }
        }
        try {
            builder.serviceRole(serviceRole);
        } catch (IllegalArgumentException e) {
            throw new StartupException("ANALYTICS_JWT_SERVICE_ROLE (--jwt-service-role) must not be blank");
        }
        return builder.issuer(issuer).audience(audience).build();
    }

    public AuthOptions secret(String secret) {
        this.secret = secret;
        return this;
    }

    public AuthOptions jwksUrl(String url) {
        this.jwksUrl = url;
        return this;
    }

    public AuthOptions issuer(String issuer) {
        this.issuer = issuer;
        return this;
    }

    public AuthOptions audience(String audience) {
        this.audience = audience;
        return this;
    }

    public AuthOptions serviceRole(String role) {
        this.serviceRole = role;
        return this;
    }

    /** The settings, with the secret as {@code ***} (or {@code null} when unset). */
    @Override
    public String toString() {
        return "AuthOptions[secret=" + (present(secret) ? "***" : null)
                + ", jwksUrl=" + (jwksUrl == null ? null : DatabaseOptions.maskPassword(jwksUrl))
                + ", issuer=" + issuer + ", audience=" + audience + ", serviceRole=" + serviceRole + "]";
    }

    private static boolean present(String s) {
        return s != null && !s.isBlank();
    }
}
