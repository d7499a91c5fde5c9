package org.learninganalytics.http;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.learninganalytics.db.jobs.JobSettings;

import picocli.CommandLine.Option;

/**
 * Whether {@code serve} runs the jobs' scheduler, and how; every value may come from the
 * environment. Instances that should only serve turn it off; the others share the jobs (each
 * due execution runs once across all of them).
 */
public final class JobOptions {

    // fallbackValue: see ServeCommand's --migrate.
    @Option(names = "--jobs", negatable = true, defaultValue = "${env:ANALYTICS_JOBS_ENABLED:-true}", fallbackValue = "true",
            description = "run the scheduled jobs on this instance (shared with the other instances on the database); --no-jobs:"
                    + " only serve (env ANALYTICS_JOBS_ENABLED, default ${DEFAULT-VALUE})")
    boolean enabled;

    @Option(names = "--job-schedules", defaultValue = "${env:ANALYTICS_JOB_SCHEDULES:-}",
            description = "schedules by job, separated by ';': name=cron:<sec min hour day month weekday, UTC>, name=every:<n><ms|s|m|h|d>"
                    + " or name=off, e.g. 'refresh-leaderboards=every:30m;recompute-analytics=off' (env ANALYTICS_JOB_SCHEDULES,"
                    + " default: the catalogue's)")
    String schedules;

    @Option(names = "--job-threads", defaultValue = "${env:ANALYTICS_JOB_THREADS:-2}",
            description = "jobs that may run at once on this instance (env ANALYTICS_JOB_THREADS, default ${DEFAULT-VALUE})")
    int threads;

    @Option(names = "--job-polling-interval-ms", defaultValue = "${env:ANALYTICS_JOB_POLLING_INTERVAL_MS:-10000}",
            description = "how often the scheduler looks for due jobs (env ANALYTICS_JOB_POLLING_INTERVAL_MS, default ${DEFAULT-VALUE})")
    long pollingIntervalMs;

    public boolean enabled() {
        return enabled;
    }

    /**
     * The scheduler's settings.
     *
     * @throws StartupException naming the setting that is wrong
     */
    public JobSettings settings() {
        try {
            return JobSettings.defaults().withSchedules(schedules()).withThreads(threads)
                    .withPollingInterval(Duration.ofMillis(pollingIntervalMs));
        } catch (org.learninganalytics.db.AnalyticsDbException e) {
            throw new StartupException("ANALYTICS_JOB_*: " + e.getMessage());
        }
    }

    private Map<String, String> schedules() {
        Map<String, String> byJob = new LinkedHashMap<>();
        if (schedules == null || schedules.isBlank()) return byJob;
        for (String entry : schedules.split(";")) {
            if (entry.isBlank()) continue;
            int equals = entry.indexOf('=');
            if (equals < 1) throw new StartupException("ANALYTICS_JOB_SCHEDULES: '" + entry.strip() + "' is not name=schedule");
            byJob.put(entry.substring(0, equals).strip(), entry.substring(equals + 1).strip());
        }
        return byJob;
    }
}
