package org.learninganalytics.db.jobs;

import org.learninganalytics.db.AnalyticsDbException;

/** No job of the catalogue has this name. {@link Kind#INVALID_INPUT}. */
public final class UnknownJobException extends AnalyticsDbException {

    private final String job;

    public UnknownJobException(String job) {
        super(Kind.INVALID_INPUT, "no job is named '" + abbreviated(job) + "'", null);
        this.job = job;
    }

    /** The name asked for. */
    public String job() {
        return job;
    }

    private static String abbreviated(String name) {
        return name == null ? "null" : name.length() <= 64 ? name : name.substring(0, 64) + "...";
    }
}
