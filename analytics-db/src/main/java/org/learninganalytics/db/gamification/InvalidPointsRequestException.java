package org.learninganalytics.db.gamification;

import org.learninganalytics.db.AnalyticsDbException;

/** A ledger read with a limit out of range or a malformed cursor; nothing was read. */
public final class InvalidPointsRequestException extends AnalyticsDbException {

    public InvalidPointsRequestException(String message, Throwable cause) {
        super(Kind.INVALID_INPUT, message, cause);
    }
}
