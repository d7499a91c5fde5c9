package org.learninganalytics.http;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import picocli.CommandLine.Option;

/** HTTP behaviour of {@code serve}: CORS, the body limit and graceful shutdown; every value may come from the environment. */
public final class HttpOptions {

    @Option(names = "--cors-origins", defaultValue = "${env:ANALYTICS_CORS_ORIGINS:-}",
            description = "comma-separated origins whose browsers may call the API, e.g. https://app.example.org"
                    + " (env ANALYTICS_CORS_ORIGINS, default none)")
    String corsOrigins;

    @Option(names = "--max-request-bytes", defaultValue = "${env:ANALYTICS_HTTP_MAX_REQUEST_BYTES:-8388608}",
            description = "largest request body, 413 beyond (env ANALYTICS_HTTP_MAX_REQUEST_BYTES, default ${DEFAULT-VALUE}: 8 MiB,"
                    + " room for 10,000 ingestion items)")
    long maxRequestBytes;

    @Option(names = "--shutdown-timeout-ms", defaultValue = "${env:ANALYTICS_HTTP_SHUTDOWN_TIMEOUT_MS:-10000}",
            description = "on stop, how long in-flight requests may take to finish (env ANALYTICS_HTTP_SHUTDOWN_TIMEOUT_MS,"
                    + " default ${DEFAULT-VALUE})")
    long shutdownTimeoutMs;

    public List<String> corsOrigins() {
        if (corsOrigins == null || corsOrigins.isBlank()) return List.of();
        return Arrays.stream(corsOrigins.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    public long maxRequestBytes() {
        return maxRequestBytes;
    }

    public Duration shutdownTimeout() {
        return Duration.ofMillis(shutdownTimeoutMs);
    }
}
