package org.learninganalytics.db.privacy;

import org.learninganalytics.db.AnalyticsDbException;

/**
 * No user with that id is stored: never was, or already erased (receipts hold no user id, so
 * the two cannot be told apart). Nothing was changed.
 */
public final class UserNotFoundException extends AnalyticsDbException {

    public UserNotFoundException(String message, Throwable cause) {
        super(Kind.NOT_VISIBLE, message, cause);
    }
}
