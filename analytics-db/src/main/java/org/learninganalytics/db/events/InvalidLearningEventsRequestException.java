package org.learninganalytics.db.events;

import org.learninganalytics.db.AnalyticsDbException;

/** A read of learning events with a limit or time range out of range or a malformed cursor; nothing was read. */
public final class InvalidLearningEventsRequestException extends AnalyticsDbException {

    public InvalidLearningEventsRequestException(String message, Throwable cause) {
        super(Kind.INVALID_INPUT, message, cause);
    }
}
