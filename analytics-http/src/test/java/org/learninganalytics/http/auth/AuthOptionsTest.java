package org.learninganalytics.http.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.learninganalytics.http.testing.TestTokens.bearer;

import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.learninganalytics.http.StartupException;
import org.learninganalytics.http.testing.TestTokens;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

class AuthOptionsTest {

    @Command(name = "test")
    static final class Cmd implements Runnable {
        @Mixin
        AuthOptions auth = new AuthOptions();

        @Override
        public void run() {
        }
    }

    private static AuthOptions parse(String... args) {
        Cmd cmd = new Cmd();
        new CommandLine(cmd).parseArgs(args);
        return cmd.auth;
    }

    @Test
    void defaultsWhenTheEnvironmentSetsNothing() {
        assumeTrue(System.getenv("ANALYTICS_JWT_SECRET") == null && System.getenv("ANALYTICS_JWT_JWKS_URL") == null
                && System.getenv("ANALYTICS_JWT_SERVICE_ROLE") == null && System.getenv("ANALYTICS_JWT_ISSUER") == null
                && System.getenv("ANALYTICS_JWT_AUDIENCE") == null);
        AuthOptions options = parse();

        assertThat(options.isConfigured()).isFalse();
        assertThat(options.toString()).isEqualTo(
                "AuthOptions[secret=null, jwksUrl=null, issuer=null, audience=null, serviceRole=service_role]");
        assertThatThrownBy(options::buildVerifier).isInstanceOf(StartupException.class)
                .hasMessageContaining("ANALYTICS_JWT_SECRET").hasMessageContaining("ANALYTICS_JWT_JWKS_URL");
    }

    @Test
    void optionsBuildAWorkingVerifier() {
        AuthOptions options = parse("--jwt-secret", TestTokens.SECRET, "--jwt-issuer", "https://ref.supabase.co/auth/v1",
                "--jwt-audience", "authenticated", "--jwt-service-role", "svc");

        assertThat(options.isConfigured()).isTrue();
        try (TokenVerifier verifier = options.buildVerifier()) {
            TestTokens.Minter tokens = TestTokens.hs256(TestTokens.SECRET).with("iss", "https://ref.supabase.co/auth/v1");
            assertThat(verifier.verify(bearer(tokens.user(UUID.randomUUID())))).isInstanceOf(VerifiedToken.UserToken.class);
            assertThat(verifier.verify(bearer(tokens.with("role", "svc").with("aud", "authenticated").service())))
                    .isInstanceOf(VerifiedToken.ServiceToken.class);
            assertThat(verifier.toString()).doesNotContain(TestTokens.SECRET).contains("svc", "authenticated");
        }
    }

    @Test
    void aSecretShorterThan32BytesIsAConfigurationErrorThatNamesTheVariableAndNotTheSecret() {
        String shortSecret = "my-weak-secret-of-31-bytes-xxxx";
        AuthOptions options = parse("--jwt-secret", shortSecret);

        assertThatThrownBy(options::buildVerifier).isInstanceOf(StartupException.class)
                .hasMessageContaining("ANALYTICS_JWT_SECRET")
                .hasMessageContaining("31 bytes")
                .hasMessageContaining("at least 32")
                .hasMessageNotContaining(shortSecret);
        // bytes, not characters: 16 two-byte characters are 32 bytes
        assertThat(parse("--jwt-secret", "éééééééééééééééé").buildVerifier()).isNotNull();
    }

    @Test
    void aJwksUrlThatIsNotHttpIsAConfigurationError() {
        assertThatThrownBy(() -> parse("--jwt-jwks-url", "file:///etc/passwd").buildVerifier())
                .isInstanceOf(StartupException.class).hasMessageContaining("ANALYTICS_JWT_JWKS_URL");
        assertThatThrownBy(() -> parse("--jwt-jwks-url", "not a url").buildVerifier())
                .isInstanceOf(StartupException.class).hasMessageContaining("ANALYTICS_JWT_JWKS_URL");
        assertThatThrownBy(() -> parse("--jwt-jwks-url", "https://user:hunter2@example.org:bad/jwks").buildVerifier())
                .isInstanceOf(StartupException.class).hasMessageNotContaining("hunter2");
        try (TokenVerifier v = parse("--jwt-jwks-url", "https://ref.supabase.co/auth/v1/.well-known/jwks.json").buildVerifier()) {
            assertThat(v.toString()).contains("https://ref.supabase.co/auth/v1/.well-known/jwks.json");
        }
    }

    @Test
    void aBlankServiceRoleIsAConfigurationError() {
        assertThatThrownBy(() -> parse("--jwt-secret", TestTokens.SECRET, "--jwt-service-role", " ").buildVerifier())
                .isInstanceOf(StartupException.class).hasMessageContaining("ANALYTICS_JWT_SERVICE_ROLE");
    }

    @Test
    void toStringMasksTheSecret() {
        AuthOptions options = parse("--jwt-secret", TestTokens.SECRET, "--jwt-jwks-url", "https://ref.supabase.co/jwks");

        assertThat(options.toString()).contains("secret=***", "jwksUrl=https://ref.supabase.co/jwks").doesNotContain(TestTokens.SECRET);
    }

    @Test
    void blankValuesCountAsUnset() {
        assumeTrue(System.getenv("ANALYTICS_JWT_JWKS_URL") == null);
        assertThat(parse("--jwt-secret", "  ").isConfigured()).isFalse();
    }
}
