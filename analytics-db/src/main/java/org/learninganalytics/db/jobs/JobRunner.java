package org.learninganalytics.db.jobs;

import static org.learninganalytics.db.generated.Tables.JOB_RUNS;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.sql.DataSource;

import org.jooq.impl.DSL;
import org.learninganalytics.db.AnalyticsDbException;
import org.learninganalytics.db.DatabaseUnavailableException;
import org.learninganalytics.db.SystemSession;
import org.learninganalytics.db.internal.Failures;
import org.learninganalytics.db.internal.JobLocks;
import org.learninganalytics.db.internal.Transactions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one wrapper of every job execution, scheduled or manual: it takes the job's advisory
 * lock (so a job never runs twice at once across instances, whatever started it), runs the
 * action, records the run in {@code job_runs} (and applies that table's retention) and tells
 * the listeners. The lock is a transaction-level lock on a connection of its own, held open
 * (idle in a transaction that holds no snapshot) while the job works in its own transactions;
 * if the instance dies, PostgreSQL releases it with the connection. Thread-safe.
 */
final class JobRunner {

    private static final Logger LOG = LoggerFactory.getLogger(Jobs.class);

    /** job_runs keeps the runs of this period... */
    static final Duration KEEP_RUNS_FOR = Duration.ofDays(90);
    /** ...and at least this many of each job's newest, however old. */
    static final int KEEP_NEWEST_RUNS = 20;
    static final int MAX_ERROR_LENGTH = 500;

    private final Transactions transactions;
    private final DataSource servicePool;
    private final SystemSession system;
    private final List<JobListener> listeners = new CopyOnWriteArrayList<>();

    JobRunner(Transactions transactions, DataSource servicePool, SystemSession system) {
        this.transactions = transactions;
        this.servicePool = servicePool;
        this.system = system;
    }

    /** One execution's run, and the action's exception when it failed (a scheduled one rethrows it to be retried). */
    record Result(JobRun run, RuntimeException failure) {
    }

    void addListener(JobListener listener) {
        listeners.add(listener);
    }

    void removeListener(JobListener listener) {
        listeners.remove(listener);
    }

    /**
     * Runs {@code job} unless it is running already anywhere: then a manual run fails and a
     * scheduled one is recorded as skipped.
     *
     * @param scheduledFor the execution time a scheduler runs it for; null for a manual run
     * @throws JobAlreadyRunningException for a manual run of a running job
     */
    Result execute(Job job, JobTrigger trigger, Instant scheduledFor, String instance) {
        Connection lock = lockConnection();
        try {
            if (!tryLock(lock, job.name())) {
                if (trigger == JobTrigger.MANUAL) throw new JobAlreadyRunningException(job.name());
                LOG.info("Job {} skipped at {}: it is running already", job.name(), scheduledFor);
                return new Result(record(new JobRun(job.name(), instance, trigger, now(), Duration.ZERO, JobOutcome.SKIPPED, null),
                        scheduledFor), null);
            }
            Instant startedAt = now();
            long started = System.nanoTime();
            RuntimeException failure = null;
            try {
                job.action().run(new Job.Context(system, () -> lastSucceededAt(job.name())));
            } catch (RuntimeException e) {
                failure = e;
            }
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            JobRun run = new JobRun(job.name(), instance, trigger, startedAt, took, failure == null ? JobOutcome.SUCCEEDED : JobOutcome.FAILED,
                    failure == null ? null : errorOf(failure));
            if (failure == null) {
                LOG.info("Job {} ({}) succeeded in {} ms", job.name(), trigger.sqlName(), took.toMillis());
            } else {
                LOG.warn("Job {} ({}) failed after {} ms: {}", job.name(), trigger.sqlName(), took.toMillis(), run.error(), failure);
            }
            return new Result(record(run, scheduledFor), failure); // still holding the lock: runs are recorded in their order
        } finally {
            release(lock);
        }
    }

    /**
     * What job_runs keeps of a failure: the library's own messages (which never carry SQL text),
     * else only the exception's type; one line, at most {@value #MAX_ERROR_LENGTH} characters.
     */
    static String errorOf(RuntimeException failure) {
        String message = failure instanceof AnalyticsDbException ? failure.getMessage() : null;
        String text = message == null || message.isBlank() ? "unexpected failure (" + failure.getClass().getSimpleName() + ")"
                : message.strip().replaceAll("\\s+", " ");
        return text.length() <= MAX_ERROR_LENGTH ? text : text.substring(0, MAX_ERROR_LENGTH - 3) + "...";
    }

    private JobRun record(JobRun run, Instant scheduledFor) {
        transactions.asService(ctx -> {
            ctx.insertInto(JOB_RUNS)
                    .set(JOB_RUNS.JOB_NAME, run.job())
                    .set(JOB_RUNS.INSTANCE, run.instance())
                    .set(JOB_RUNS.TRIGGER, run.trigger().sqlName())
                    .set(JOB_RUNS.SCHEDULED_FOR, scheduledFor)
                    .set(JOB_RUNS.STARTED_AT, run.startedAt())
                    .set(JOB_RUNS.FINISHED_AT, run.startedAt().plus(run.duration()))
                    .set(JOB_RUNS.DURATION_MS, run.duration().toMillis())
                    .set(JOB_RUNS.OUTCOME, run.outcome().sqlName())
                    .set(JOB_RUNS.ERROR, run.error())
                    .execute();
            // Retention: older than 90 days and not among the job's 20 newest (idx_job_runs_job_started).
            return ctx.deleteFrom(JOB_RUNS)
                    .where(JOB_RUNS.JOB_NAME.eq(run.job()))
                    .and(JOB_RUNS.STARTED_AT.lt(Instant.now().minus(KEEP_RUNS_FOR)))
                    .and(JOB_RUNS.ID.notIn(DSL.select(JOB_RUNS.ID).from(JOB_RUNS).where(JOB_RUNS.JOB_NAME.eq(run.job()))
                            .orderBy(JOB_RUNS.STARTED_AT.desc()).limit(KEEP_NEWEST_RUNS)))
                    .execute();
        });
        for (JobListener listener : listeners) {
            try {
                listener.finished(run);
            } catch (RuntimeException e) {
                LOG.warn("A job listener failed on {}: {}", run.job(), e.toString());
            }
        }
        return run;
    }

    /** Now, as precise as timestamptz keeps it: a run reads back as it was returned. */
    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }

    private Instant lastSucceededAt(String job) {
        return transactions.asService(ctx -> ctx.select(DSL.max(JOB_RUNS.STARTED_AT)).from(JOB_RUNS)
                .where(JOB_RUNS.JOB_NAME.eq(job)).and(JOB_RUNS.OUTCOME.eq(JobOutcome.SUCCEEDED.sqlName()))
                .fetchOne(0, Instant.class));
    }

    private Connection lockConnection() {
        Connection connection = null;
        try {
            connection = servicePool.getConnection();
            connection.setAutoCommit(false);
            return connection;
        } catch (SQLException e) {
            if (connection != null) closeQuietly(connection, e);
            throw failed("cannot get a connection for a job's lock", e);
        }
    }

    private static boolean tryLock(Connection connection, String job) {
        // The connection idles in its transaction while the job works: a server's
        // idle_in_transaction_session_timeout would end it, and the lock with it, mid-job.
        try (Statement noIdleTimeout = connection.createStatement()) {
            noIdleTimeout.execute(JobLocks.NO_IDLE_TIMEOUT);
        } catch (SQLException e) {
            throw failed("cannot take the lock of job " + job, e);
        }
        try (PreparedStatement statement = connection.prepareStatement(JobLocks.TRY_LOCK)) {
            statement.setInt(1, JobLocks.key(job));
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getBoolean(1);
            }
        } catch (SQLException e) {
            throw failed("cannot take the lock of job " + job, e);
        }
    }

    /** Ends the lock's transaction (releasing the lock) and hands the connection back as the pool lent it. */
    private static void release(Connection connection) {
        try {
            connection.rollback();
            connection.setAutoCommit(true);
        } catch (SQLException e) {
            LOG.warn("Cannot end a job lock's transaction; the pool discards a broken connection: {}", e.getMessage());
        } finally {
            closeQuietly(connection, null);
        }
    }

    private static void closeQuietly(Connection connection, Exception failure) {
        try {
            connection.close();
        } catch (SQLException e) {
            if (failure != null) failure.addSuppressed(e);
        }
    }

    private static AnalyticsDbException failed(String what, SQLException e) {
        return Failures.isConnectionFailure(e) ? new DatabaseUnavailableException(what + ": " + e.getMessage(), e)
                : new AnalyticsDbException(what + " (SQLSTATE " + e.getSQLState() + ")", e);
    }
}
