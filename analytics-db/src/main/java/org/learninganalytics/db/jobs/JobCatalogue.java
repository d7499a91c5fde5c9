package org.learninganalytics.db.jobs;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

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
                new Job("recompute-analytics", "cron:0 30 * * * *", JobCatalogue::recomputeAnalytics)));
    }

    /**
     * The learners with events stored since the last successful recompute (or the last day),
     * and a minute before it: an event stored while the last run read is not missed.
     */
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
