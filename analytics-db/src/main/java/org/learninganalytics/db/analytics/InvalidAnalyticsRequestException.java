package org.learninganalytics.db.analytics;

import org.learninganalytics.db.AnalyticsDbException;

/** An analytics request out of range: a history range that ends before it starts or spans too long. */
public final class InvalidAnalyticsRequestException extends AnalyticsDbException {

    public InvalidAnalyticsRequestException(String message, Throwable cause) {
        super(Kind.INVALID_INPUT, message, cause);
    }
}
