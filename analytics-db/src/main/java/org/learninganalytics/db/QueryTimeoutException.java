package org.learninganalytics.db;

/**
 * A unit of work ran longer than its statement timeout or waited longer than its lock timeout
 * (see {@link AnalyticsDb.Builder#userStatementTimeout}); it was rolled back, so nothing was
 * changed. {@link Kind#TIMED_OUT}.
 */
public final class QueryTimeoutException extends AnalyticsDbException {

    public QueryTimeoutException(String message, Throwable cause) {
        super(Kind.TIMED_OUT, message, cause);
    }
}
