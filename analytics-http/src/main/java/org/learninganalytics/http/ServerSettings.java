package org.learninganalytics.http;

import java.time.Duration;
import java.util.List;

import org.learninganalytics.http.auth.TokenVerifier;
import org.learninganalytics.http.observability.Metrics;

/**
 * How the HTTP server behaves, apart from the database: who may call it and its limits.
 *
 * @param tokens          verifies bearer tokens; null: every authenticated route answers 401
 * @param corsOrigins     origins whose browsers may call the API (none by default)
 * @param maxRequestBytes largest request body accepted (413 beyond); ingestion's 10,000 items fit the default
 * @param shutdownTimeout how long in-flight requests may take to finish when the server stops
 * @param metrics         where requests, awards and token rejections are counted
 */
public record ServerSettings(TokenVerifier tokens, List<String> corsOrigins, long maxRequestBytes, Duration shutdownTimeout,
                             Metrics metrics) {

    public static final long DEFAULT_MAX_REQUEST_BYTES = 8L * 1024 * 1024;
    public static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(10);

    public ServerSettings {
        corsOrigins = corsOrigins == null ? List.of() : List.copyOf(corsOrigins);
        if (maxRequestBytes <= 0) throw new IllegalArgumentException("maxRequestBytes must be positive");
        if (shutdownTimeout == null || shutdownTimeout.isNegative()) throw new IllegalArgumentException("shutdownTimeout must be zero or more");
        if (metrics == null) metrics = new Metrics();
    }

    /** Defaults, with the given token verifier. */
    public static ServerSettings of(TokenVerifier tokens) {
        return new ServerSettings(tokens, List.of(), DEFAULT_MAX_REQUEST_BYTES, DEFAULT_SHUTDOWN_TIMEOUT, new Metrics());
    }
}
