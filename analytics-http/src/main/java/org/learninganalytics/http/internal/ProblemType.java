package org.learninganalytics.http.internal;

import java.net.URI;

/**
 * Every kind of problem this server answers, each with a stable type URI that clients may
 * switch on (documented in openapi.yaml under ProblemType). Titles are the same for every
 * occurrence of a type, as RFC 9457 asks; {@code detail} says what happened this time.
 */
public enum ProblemType {
    BAD_REQUEST("bad-request", 400, "Bad Request"),
    VALIDATION("validation", 400, "Invalid request"),
    UNAUTHORIZED("unauthorized", 401, "Unauthorized"),
    FORBIDDEN("forbidden", 403, "Forbidden"),
    NOT_FOUND("not-found", 404, "Not Found"),
    METHOD_NOT_ALLOWED("method-not-allowed", 405, "Method Not Allowed"),
    NOT_ACCEPTABLE("not-acceptable", 406, "Not Acceptable"),
    CONFLICT("conflict", 409, "Conflict"),
    PRECONDITION_FAILED("precondition-failed", 412, "Precondition Failed"),
    PAYLOAD_TOO_LARGE("payload-too-large", 413, "Content Too Large"),
    URI_TOO_LONG("uri-too-long", 414, "URI Too Long"),
    UNSUPPORTED_MEDIA_TYPE("unsupported-media-type", 415, "Unsupported Media Type"),
    INGESTION_REJECTED("ingestion-rejected", 422, "Batch rejected"),
    IDEMPOTENCY_KEY_REUSED("idempotency-key-reused", 422, "Idempotency key reused"),
    AWARD_REJECTED("award-rejected", 422, "Award rejected"),
    INVALID_RULE("invalid-rule", 422, "Invalid rule"),
    CAPPED("capped", 429, "Limit reached"),
    HEADERS_TOO_LARGE("headers-too-large", 431, "Request Header Fields Too Large"),
    INTERNAL("internal", 500, "Internal Server Error"),
    UNAVAILABLE("unavailable", 503, "Service Unavailable"),
    TIMED_OUT("timed-out", 503, "Request timed out");

    /** Base of every type URI; the documentation of each is in the OpenAPI document. */
    public static final String BASE = "https://learninganalytics.org/problems/";

    private final String slug;
    private final int status;
    private final String title;

    ProblemType(String slug, int status, String title) {
        this.slug = slug;
        this.status = status;
        this.title = title;
    }

    public URI uri() {
        return URI.create(BASE + slug);
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    /** The generic type of a status code that has no more specific one (e.g. what Jetty answers itself). */
    public static ProblemType forStatus(int status) {
        return switch (status) {
            case 400 -> BAD_REQUEST;
            case 401 -> UNAUTHORIZED;
            case 403 -> FORBIDDEN;
            case 404 -> NOT_FOUND;
            case 405 -> METHOD_NOT_ALLOWED;
            case 406 -> NOT_ACCEPTABLE;
            case 409 -> CONFLICT;
            case 412 -> PRECONDITION_FAILED;
            case 413 -> PAYLOAD_TOO_LARGE;
            case 414 -> URI_TOO_LONG;
            case 415 -> UNSUPPORTED_MEDIA_TYPE;
            case 429 -> CAPPED;
            case 431 -> HEADERS_TOO_LARGE;
            case 503 -> UNAVAILABLE;
            default -> status >= 500 ? INTERNAL : BAD_REQUEST;
        };
    }
}
