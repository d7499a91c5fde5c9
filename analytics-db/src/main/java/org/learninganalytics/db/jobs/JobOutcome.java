package org.learninganalytics.db.jobs;

/** How a job's execution ended. */
public enum JobOutcome {
    /** The job did its work. */
    SUCCEEDED,
    /** The job failed; a scheduled execution is retried with back-off. */
    FAILED,
    /** A scheduled execution found the same job running already (on any instance) and did not run it again. */
    SKIPPED;

    /** The value stored in {@code job_runs.outcome}. */
    public String sqlName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    static JobOutcome ofSqlName(String sqlName) {
        return valueOf(sqlName.toUpperCase(java.util.Locale.ROOT));
    }
}
