package org.learninganalytics.db.preferences;

import org.learninganalytics.db.AnalyticsDbException;

/** A preference value the database does not accept (e.g. a time zone PostgreSQL does not know); nothing was changed. */
public final class InvalidPreferenceException extends AnalyticsDbException {

    public InvalidPreferenceException(String message, Throwable cause) {
        super(message, cause);
    }
}
