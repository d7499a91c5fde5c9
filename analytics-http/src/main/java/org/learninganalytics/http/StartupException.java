package org.learninganalytics.http;

/** The server cannot start. The message is the one line logged as the reason; no stack trace is shown. */
public final class StartupException extends RuntimeException {

    public StartupException(String message) {
        super(message);
    }

    public StartupException(String message, Throwable cause) {
        super(message, cause);
    }
}
