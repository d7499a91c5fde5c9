package org.learninganalytics.db.jobs;

import org.learninganalytics.db.AnalyticsDbException;

/**
 * The job is running already, on this or another instance (scheduled or by hand), so it was
 * not started again. Retry once it finished. {@link Kind#CONFLICT}.
 */
public final class JobAlreadyRunningException extends AnalyticsDbException {

    private final String job;

    public JobAlreadyRunningException(String job) {
        super(Kind.CONFLICT, "the job '" + job + "' is running already", null);
        this.job = job;
    }

    public String job() {
        return job;
    }
}
