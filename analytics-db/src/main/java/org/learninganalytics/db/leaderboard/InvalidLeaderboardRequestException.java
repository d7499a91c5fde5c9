package org.learninganalytics.db.leaderboard;

import org.learninganalytics.db.AnalyticsDbException;

/** A leaderboard read with a limit or neighbour count out of range, or a malformed cursor. */
public final class InvalidLeaderboardRequestException extends AnalyticsDbException {

    public InvalidLeaderboardRequestException(String message, Throwable cause) {
        super(Kind.INVALID_INPUT, message, cause);
    }
}
