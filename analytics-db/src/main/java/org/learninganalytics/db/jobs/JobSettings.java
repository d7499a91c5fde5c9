package org.learninganalytics.db.jobs;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * How a {@link JobScheduler} runs the jobs. Every instance on one database should use the same
 * schedules (the scheduler that starts last writes its schedule of a job).
 *
 * @param instanceName    this instance's name in {@code job_runs} and {@code scheduled_tasks.picked_by};
 *                        null: host name and process id
 * @param schedules       schedules by job name, overriding the catalogue's defaults:
 *                        {@code cron:<six fields, UTC>}, {@code every:<n><ms|s|m|h|d>} or {@code off}
 * @param threads         jobs that may run at once on this instance (1 to 16); each running job
 *                        holds one connection of the service pool for its lock, besides its work
 * @param pollingInterval how often the scheduler looks for due jobs (at least 50 ms)
 * @param retryBackoff    a failed scheduled run is retried after this, then twice as long after each
 *                        further failure, but never later than its next scheduled time
 * @param shutdownTimeout on stop, how long running jobs may take to finish
 */
public record JobSettings(String instanceName, Map<String, String> schedules, int threads, Duration pollingInterval,
                          Duration retryBackoff, Duration shutdownTimeout) {

    public static final int DEFAULT_THREADS = 2;
    public static final Duration DEFAULT_POLLING_INTERVAL = Duration.ofSeconds(10);
    public static final Duration DEFAULT_RETRY_BACKOFF = Duration.ofMinutes(1);
    public static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(30);

    public JobSettings {
        if (instanceName != null && (instanceName.isBlank() || instanceName.length() > 200)) {
            throw new InvalidJobSettingsException("instanceName must have 1 to 200 characters", null);
        }
        Map<String, String> copy = new LinkedHashMap<>();
        Objects.requireNonNull(schedules, "schedules").forEach((job, schedule) -> copy.put(job, JobSchedule.parse(schedule).text()));
        schedules = java.util.Collections.unmodifiableMap(copy);
        if (threads < 1 || threads > 16) throw new InvalidJobSettingsException("threads must be from 1 to 16", null);
        if (pollingInterval == null || pollingInterval.toMillis() < 50) {
            throw new InvalidJobSettingsException("pollingInterval must be at least 50 ms", null);
        }
        if (retryBackoff == null || retryBackoff.toMillis() < 10) throw new InvalidJobSettingsException("retryBackoff must be at least 10 ms", null);
        if (shutdownTimeout == null || shutdownTimeout.isNegative()) {
            throw new InvalidJobSettingsException("shutdownTimeout must be zero or more", null);
        }
    }

    /** The catalogue's schedules, {@value #DEFAULT_THREADS} threads, polling every 10 s, retries from 1 minute on. */
    public static JobSettings defaults() {
        return new JobSettings(null, Map.of(), DEFAULT_THREADS, DEFAULT_POLLING_INTERVAL, DEFAULT_RETRY_BACKOFF, DEFAULT_SHUTDOWN_TIMEOUT);
    }

    /** With {@code job}'s schedule set to {@code schedule}. */
    public JobSettings withSchedule(String job, String schedule) {
        Map<String, String> more = new LinkedHashMap<>(schedules);
        more.put(Objects.requireNonNull(job, "job"), schedule);
        return new JobSettings(instanceName, more, threads, pollingInterval, retryBackoff, shutdownTimeout);
    }

    /** With these schedules added to (or replacing) the ones set so far. */
    public JobSettings withSchedules(Map<String, String> more) {
        Map<String, String> all = new LinkedHashMap<>(schedules);
        all.putAll(more);
        return new JobSettings(instanceName, all, threads, pollingInterval, retryBackoff, shutdownTimeout);
    }

    public JobSettings withInstanceName(String name) {
        return new JobSettings(name, schedules, threads, pollingInterval, retryBackoff, shutdownTimeout);
    }

    public JobSettings withThreads(int count) {
        return new JobSettings(instanceName, schedules, count, pollingInterval, retryBackoff, shutdownTimeout);
    }

    public JobSettings withPollingInterval(Duration interval) {
        return new JobSettings(instanceName, schedules, threads, interval, retryBackoff, shutdownTimeout);
    }

    public JobSettings withRetryBackoff(Duration backoff) {
        return new JobSettings(instanceName, schedules, threads, pollingInterval, backoff, shutdownTimeout);
    }

    public JobSettings withShutdownTimeout(Duration timeout) {
        return new JobSettings(instanceName, schedules, threads, pollingInterval, retryBackoff, timeout);
    }
}
