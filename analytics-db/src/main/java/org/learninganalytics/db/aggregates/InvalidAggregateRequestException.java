package org.learninganalytics.db.aggregates;

import org.learninganalytics.db.AnalyticsDbException;

/** A malformed aggregate read: a limit out of range or a cursor that is not one of ours. */
public final class InvalidAggregateRequestException extends AnalyticsDbException {

    public InvalidAggregateRequestException(String message, Throwable cause) {
        super(Kind.INVALID_INPUT, message, cause);
    }
}
