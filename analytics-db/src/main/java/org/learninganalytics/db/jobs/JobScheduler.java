package org.learninganalytics.db.jobs;

import java.util.Map;

import org.learninganalytics.db.internal.Shutdowns;

import com.github.kagkarlsson.scheduler.Scheduler;

/**
 * A running scheduler of this instance ({@link Jobs#start(JobSettings)}). {@link #close()}
 * stops it: no new executions start, running ones get the settings' shutdown timeout to
 * finish. An execution cut short is picked up again by another instance once its heartbeats
 * stop. Thread-safe.
 */
public final class JobScheduler implements AutoCloseable {

    private final Scheduler scheduler;
    private final String instanceName;
    private final Map<String, String> schedules;
    private final Shutdowns shutdowns;
    private boolean closed;

    JobScheduler(Scheduler scheduler, String instanceName, Map<String, String> schedules, Shutdowns shutdowns) {
        this.scheduler = scheduler;
        this.instanceName = instanceName;
        this.schedules = Map.copyOf(schedules);
        this.shutdowns = shutdowns;
        shutdowns.register(this);
    }

    /** Its name in {@code job_runs.instance}. */
    public String instanceName() {
        return instanceName;
    }

    /** Each job's schedule as this scheduler runs it. */
    public Map<String, String> schedules() {
        return schedules;
    }

    public synchronized boolean isRunning() {
        return !closed;
    }

    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        shutdowns.unregister(this);
        scheduler.stop();
    }

    @Override
    public String toString() {
        return "JobScheduler[" + instanceName + "]";
    }
}
