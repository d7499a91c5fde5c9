package org.learninganalytics.db;

/** The database could not be reached or did not answer in time. The message masks passwords. */
public final class DatabaseUnavailableException extends AnalyticsDbException {

    public DatabaseUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
