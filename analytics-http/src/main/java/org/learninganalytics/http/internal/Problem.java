package org.learninganalytics.http.internal;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * An RFC 9457 problem detail, sent as {@code application/problem+json}. {@code detail} is
 * written for the client: never a stack trace, SQL text, constraint name or connection string.
 * {@code instance} is the request id, so a client can quote it and an operator find the log line.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, String instance, List<FieldError> errors) {

    public static final String CONTENT_TYPE = "application/problem+json";

    /** One invalid part of a request: a JSON pointer into the body (or {@code #/query/name} style for parameters). */
    public record FieldError(String pointer, String detail) {
    }

    public static Problem of(ProblemType type, String detail, String instance, List<FieldError> errors) {
        return new Problem(type.uri().toString(), type.title(), type.status(), detail, instance,
                errors == null || errors.isEmpty() ? null : List.copyOf(errors));
    }
}
