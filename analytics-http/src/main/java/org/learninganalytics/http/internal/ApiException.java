package org.learninganalytics.http.internal;

import java.util.List;
import java.util.Map;

import org.learninganalytics.http.internal.Problem.FieldError;

/** A request the server refuses before or instead of calling the library; becomes problem+json. */
public final class ApiException extends RuntimeException {

    private final ProblemType type;
    private final List<FieldError> errors;
    private final Map<String, String> headers;

    public ApiException(ProblemType type, String detail) {
        this(type, detail, List.of(), Map.of());
    }

    public ApiException(ProblemType type, String detail, List<FieldError> errors, Map<String, String> headers) {
        super(detail, null, false, false); // a client error: no stack trace to fill
        this.type = type;
        this.errors = List.copyOf(errors);
        this.headers = Map.copyOf(headers);
    }

    public static ApiException invalid(String pointer, String detail) {
        return new ApiException(ProblemType.VALIDATION, detail, List.of(new FieldError(pointer, detail)), Map.of());
    }

    public ProblemType type() {
        return type;
    }

    public List<FieldError> errors() {
        return errors;
    }

    public Map<String, String> headers() {
        return headers;
    }
}
