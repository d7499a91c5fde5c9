package org.learninganalytics.db.jobs;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * One execution of a job, as {@code job_runs} keeps it.
 *
 * @param job       the job's name
 * @param instance  the instance that ran it (its scheduler's name)
 * @param trigger   scheduled or manual
 * @param startedAt when it started (for a skipped execution: when it was found running already)
 * @param duration  how long it ran (zero when skipped)
 * @param outcome   succeeded, failed or skipped
 * @param error     for a failure, a short message without SQL text; otherwise null
 */
public record JobRun(String job, String instance, JobTrigger trigger, Instant startedAt, Duration duration, JobOutcome outcome,
                     String error) {

    public JobRun {
        Objects.requireNonNull(job, "job");
        Objects.requireNonNull(instance, "instance");
        Objects.requireNonNull(trigger, "trigger");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(duration, "duration");
        Objects.requireNonNull(outcome, "outcome");
    }

    public boolean succeeded() {
        return outcome == JobOutcome.SUCCEEDED;
    }
}
