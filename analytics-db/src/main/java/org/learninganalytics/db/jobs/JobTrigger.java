package org.learninganalytics.db.jobs;

/** What started a job's execution. */
public enum JobTrigger {
    /** The scheduler, at the job's scheduled time. */
    SCHEDULED,
    /** A caller: {@link Jobs#run(String)} (the admin route and the {@code run-job} command use it). */
    MANUAL;

    /** The value stored in {@code job_runs.trigger}. */
    public String sqlName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    static JobTrigger ofSqlName(String sqlName) {
        return valueOf(sqlName.toUpperCase(java.util.Locale.ROOT));
    }
}
