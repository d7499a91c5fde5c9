package org.learninganalytics.db.jobs;

import java.time.Instant;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import org.learninganalytics.db.SystemSession;

/**
 * One entry of the {@link JobCatalogue}: a name, its default schedule and its action on the
 * system path.
 *
 * @param name            lower-case words joined by hyphens, as job_runs accepts
 * @param defaultSchedule the schedule unless configuration says otherwise ({@link JobSchedule})
 * @param action          the work; it throws to fail (a scheduled execution is then retried)
 */
record Job(String name, String defaultSchedule, Action action) {

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{0,62}");

    Job {
        Objects.requireNonNull(name, "name");
        if (!NAME.matcher(name).matches()) throw new IllegalArgumentException("job name must be lower-case words with hyphens: " + name);
        JobSchedule.parse(defaultSchedule);
        Objects.requireNonNull(action, "action");
    }

    /** A job's work. */
    @FunctionalInterface
    interface Action {
        void run(Context context);
    }

    /** What an action gets: the system path, and when this job last succeeded (looked up when asked). */
    static final class Context {
        private final SystemSession system;
        private final Supplier<Instant> lastSucceeded;

        Context(SystemSession system, Supplier<Instant> lastSucceeded) {
            this.system = system;
            this.lastSucceeded = lastSucceeded;
        }

        SystemSession system() {
            return system;
        }

        /** The start of this job's newest succeeded run on any instance, or null. */
        Instant lastSucceededAt() {
            return lastSucceeded.get();
        }
    }
}
