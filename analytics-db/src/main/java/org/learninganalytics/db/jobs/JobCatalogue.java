package org.learninganalytics.db.jobs;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.learninganalytics.db.AnalyticsDbException;
import org.learninganalytics.db.lifecycle.PartitionReport;

/**
 * THE list of jobs: each entry is a name, its default schedule (the seed's cadence, UTC) and
 * its action on the system path. Adding a job is adding one line here; its schedule is then
 * configurable by its name. Defaults are cron times, so that no job runs the moment an
 * instance starts.
 */
final class JobCatalogue {

    /** How far back the first recompute looks when the job never succeeded before. */
    static final Duration FIRST_RECOMPUTE_WINDOW = Duration.ofHours(24);

    private JobCatalogue() {
    }

    static List<Job> standard() {
        return checked(List.of(
                // The seed: the weekly and monthly leaderboards hourly.
                new Job("refresh-leaderboards", "cron:0 0 * * * *", context -> context.system().leaderboards().refresh()),
                // The seed: peer comparison daily at 2 AM.
                new Job("refresh-peer-comparison", "cron:0 0 2 * * *", context -> context.system().aggregates().refreshPeerComparison()),
                // The seed: skill demand daily (an hour after peer comparison, so the two do not compete).
                new Job("refresh-skill-demand", "cron:0 0 3 * * *", context -> context.system().aggregates().refreshSkillDemand()),
                // Learner analytics made stale by new events, recomputed in bulk (reads then hit the cache).
                new Job("recompute-analytics", "cron:0 30 * * * *", JobCatalogue::recomputeAnalytics),
                // Monthly partitions from 90 days back (rows may be dated so) to 3 months ahead; non-empty DEFAULTs reported.
                new Job("partition-upkeep", "cron:0 10 0 * * *", JobCatalogue::upkeepPartitions),
                // The seed's retention table, hourly: the predictive cache's 48 hours is the shortest limit.
                new Job("retention", "cron:0 40 * * * *", context -> context.system().lifecycle().applyRetention())));
    }

    /**
     * The learners with events stored since the last successful recompute (or the last day),
     * and a minute before it: an event stored while the last run read is not missed.
     */
    /**
     * Makes the partitions, then fails the run when a DEFAULT partition holds rows: the
     * failure is what makes strays visible (GET /v1/admin/jobs, job_runs, /metrics).
     */
    private static void upkeepPartitions(Job.Context context) {
        PartitionReport report = context.system().lifecycle().upkeepPartitions();
        if (!report.defaultsEmpty()) {
            throw new AnalyticsDbException("partitions made through " + report.coveredThrough()
                    + ", but DEFAULT partitions hold rows no monthly partition covers: "
                    + report.nonEmptyDefaults().stream()
                            .map(stray -> stray.partition() + " " + stray.rows() + " rows")
                            .collect(Collectors.joining(", ")));
        }
    }

    private static void recomputeAnalytics(Job.Context context) {
        Instant last = context.lastSucceededAt();
        Instant since = last != null ? last.minus(Duration.ofMinutes(1)) : Instant.now().minus(FIRST_RECOMPUTE_WINDOW);
        context.system().analytics().withEventsSince(since);
    }

    /** Names must be unique, and so must their lock keys. */
    static List<Job> checked(List<Job> jobs) {
        Set<String> names = new HashSet<>();
        Set<Integer> keys = new HashSet<>();
        for (Job job : jobs) {
            if (!names.add(job.name())) throw new IllegalArgumentException("two jobs are named " + job.name());
            if (!keys.add(org.learninganalytics.db.internal.JobLocks.key(job.name()))) {
                throw new IllegalArgumentException("the lock key of " + job.name() + " is another job's: rename it");
            }
        }
        return List.copyOf(jobs);
    }
}
