package org.learninganalytics.http.auth;

/** TEMPORARY STUB until the auth branch lands. */
public final class InvalidTokenException extends RuntimeException {
    public enum Reason {
        MISSING, MALFORMED;

        public String tag() {
            return name().toLowerCase();
        }
    }

    private final Reason reason;

    public InvalidTokenException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
