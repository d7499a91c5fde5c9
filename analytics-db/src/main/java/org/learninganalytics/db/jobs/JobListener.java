package org.learninganalytics.db.jobs;

/**
 * Told of every execution of a job on this instance, scheduled or manual, once it is recorded
 * (e.g. the server's metrics). Called on the thread that ran the job; must be quick and
 * thread-safe. An exception it throws is logged and ignored.
 */
@FunctionalInterface
public interface JobListener {

    void finished(JobRun run);
}
