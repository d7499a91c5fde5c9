package org.learninganalytics.db;

import java.util.Objects;

/**
 * Base of every exception the library throws: no jOOQ, Flyway or JDBC exception reaches an
 * embedder. {@link #kind()} says what went wrong in a way a caller can map (the HTTP server
 * maps it to a status code in one place). Messages name the offending input and never carry
 * SQL text, so callers may show them to their own clients.
 */
public class AnalyticsDbException extends RuntimeException {

    /** What went wrong, for callers that map failures (e.g. to HTTP status codes). */
    public enum Kind {
        /** The request itself is wrong (malformed, out of range, unknown reference); retrying it cannot help. */
        INVALID_INPUT,
        /** What was asked for does not exist or the caller may not see it (the two are not told apart). */
        NOT_VISIBLE,
        /** A rate or quantity limit was reached (award caps, time-zone changes); later it may succeed. */
        CAPPED,
        /** The request contradicts the current state (a reused idempotency key, a lasting write conflict). */
        CONFLICT,
        /** The work exceeded its time bound (statement or lock timeout); nothing was changed. */
        TIMED_OUT,
        /** The database could not be reached or had no connection to spare. */
        UNAVAILABLE,
        /** Anything else: a failure of the database or the library, not of the request. */
        FAILED
    }

    private final Kind kind;

    public AnalyticsDbException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = Objects.requireNonNull(kind, "kind");
    }

    public AnalyticsDbException(String message, Throwable cause) {
        this(Kind.FAILED, message, cause);
    }

    public AnalyticsDbException(String message) {
        this(Kind.FAILED, message, null);
    }

    public Kind kind() {
        return kind;
    }
}
