package org.learninganalytics.db.gamification;

import org.learninganalytics.db.AnalyticsDbException;

/** A rule, level curve or achievement the database does not accept; nothing was changed. */
public final class InvalidGamificationRuleException extends AnalyticsDbException {

    public InvalidGamificationRuleException(String message) {
        super(Kind.INVALID_INPUT, message, null);
    }

    public InvalidGamificationRuleException(String message, Throwable cause) {
        super(Kind.INVALID_INPUT, message, cause);
    }
}
