package org.learninganalytics.db.jobs;

import org.learninganalytics.db.AnalyticsDbException;

/** A schedule that cannot be parsed, a schedule for a job that does not exist, or a setting out of range. {@link Kind#INVALID_INPUT}. */
public final class InvalidJobSettingsException extends AnalyticsDbException {

    public InvalidJobSettingsException(String message, Throwable cause) {
        super(Kind.INVALID_INPUT, message, cause);
    }
}
