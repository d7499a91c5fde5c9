package org.learninganalytics.db;

/**
 * The database could not be reached, did not answer in time, or the pool had no connection to
 * spare within its timeout. The message masks passwords. {@link Kind#UNAVAILABLE}.
 */
public final class DatabaseUnavailableException extends AnalyticsDbException {

    public DatabaseUnavailableException(String message, Throwable cause) {
        super(Kind.UNAVAILABLE, message, cause);
    }
}
