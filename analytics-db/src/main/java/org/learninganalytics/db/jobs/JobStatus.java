package org.learninganalytics.db.jobs;

import java.time.Instant;
import java.util.Optional;

/**
 * A job of the catalogue: its schedule, when it runs next and how it last ran.
 *
 * @param name     the job's name
 * @param schedule its schedule, as configured ({@code cron:...}, {@code every:...} or {@code off})
 * @param nextRun  when a scheduler runs it next; null when no scheduler has it due (off, running
 *                 now, or no instance runs a scheduler)
 * @param lastRun  its newest execution on any instance; null when it never ran
 */
public record JobStatus(String name, String schedule, Instant nextRun, JobRun lastRun) {

    public Optional<Instant> next() {
        return Optional.ofNullable(nextRun);
    }

    public Optional<JobRun> last() {
        return Optional.ofNullable(lastRun);
    }
}
