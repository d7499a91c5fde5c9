package org.learninganalytics.db.gamification;

import org.learninganalytics.db.AnalyticsDbException;

/** An award was refused; nothing was written. {@link #reason()} says why; {@link #kind()} follows from it. */
public final class AwardRejectedException extends AnalyticsDbException {

    /** Why an award was refused. */
    public enum Reason {
        /** The idempotency key was already used for a different award. */
        KEY_REUSED,
        /** A cap of the activity type's rule (rate or spacing) would be exceeded. */
        CAPPED,
        /** No rule exists for the activity type. */
        UNKNOWN_ACTIVITY,
        /** The activity type may not be reported by learners themselves. */
        NOT_SELF_REPORTABLE,
        /** The award itself is malformed (missing key, non-positive points, unknown user...). */
        INVALID
    }

    private final Reason reason;

    public AwardRejectedException(Reason reason, String message, Throwable cause) {
        super(kindOf(reason), message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }

    private static Kind kindOf(Reason reason) {
        return switch (reason) {
            case KEY_REUSED -> Kind.CONFLICT;
            case CAPPED -> Kind.CAPPED;
            case UNKNOWN_ACTIVITY, NOT_SELF_REPORTABLE, INVALID -> Kind.INVALID_INPUT;
        };
    }
}
