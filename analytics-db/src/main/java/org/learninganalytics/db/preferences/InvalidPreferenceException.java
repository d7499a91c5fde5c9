package org.learninganalytics.db.preferences;

import org.learninganalytics.db.AnalyticsDbException;

/**
 * A preference change was refused; nothing was changed. {@link #reason()} says why.
 */
public final class InvalidPreferenceException extends AnalyticsDbException {

    /** Why a preference change was refused. */
    public enum Reason {
        /** The value is not acceptable (an unknown or non-region time zone, JSON too large or not an object). */
        INVALID,
        /** The time zone was changed less than 7 days ago ({@link Kind#CAPPED}). */
        TIME_ZONE_CHANGED_RECENTLY
    }

    private final Reason reason;

    public InvalidPreferenceException(Reason reason, String message, Throwable cause) {
        super(reason == Reason.INVALID ? Kind.INVALID_INPUT : Kind.CAPPED, message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
