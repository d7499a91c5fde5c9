package org.learninganalytics.db;

/**
 * Base of every exception the library throws on purpose. Messages name the offending input
 * and never carry SQL text, so callers may show them to their own clients.
 */
public class AnalyticsDbException extends RuntimeException {

    public AnalyticsDbException(String message) {
        super(message);
    }

    public AnalyticsDbException(String message, Throwable cause) {
        super(message, cause);
    }
}
