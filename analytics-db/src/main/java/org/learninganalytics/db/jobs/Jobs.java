package org.learninganalytics.db.jobs;

import static org.learninganalytics.db.generated.Tables.JOB_RUNS;
import static org.learninganalytics.db.generated.Tables.SCHEDULED_TASKS;

import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import javax.sql.DataSource;

import org.learninganalytics.db.AnalyticsDb;
import org.learninganalytics.db.AnalyticsDbException;
import org.learninganalytics.db.DatabaseUnavailableException;
import org.learninganalytics.db.SystemSession;
import org.learninganalytics.db.internal.Failures;
import org.learninganalytics.db.internal.Shutdowns;
import org.learninganalytics.db.internal.Transactions;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.SchedulerName;
import com.github.kagkarlsson.scheduler.logging.LogLevel;
import com.github.kagkarlsson.scheduler.task.Task;
import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;

/**
 * The named jobs of the service ({@code refresh-leaderboards}, {@code refresh-peer-comparison},
 * {@code refresh-skill-demand}, {@code recompute-analytics}, ...): what they are and how they
 * last ran, running one now, and the scheduler that runs them on their schedules with one
 * runner across all instances on the database (db-scheduler over {@code scheduled_tasks}).
 * <p>
 * Every execution, scheduled or manual, goes through one wrapper: the job's advisory lock (a
 * job never runs twice at once, on any instance), a row in {@code job_runs}, and the
 * {@link JobListener}s. A failing scheduled run is retried with back-off; it holds no thread
 * while it waits, so it never blocks the other jobs. Thread-safe.
 */
public final class Jobs {

    private final Transactions transactions;
    private final DataSource servicePool;
    private final SystemSession system;
    private final Shutdowns shutdowns;
    private final JobRunner runner;
    private final String defaultInstanceName = defaultInstanceName();
    private volatile List<Job> catalogue = JobCatalogue.standard();
    /** The schedules of the scheduler started last on this instance; null: the catalogue's. */
    private volatile Map<String, String> startedSchedules;
    private volatile String startedInstanceName;

    Jobs(Transactions transactions, DataSource servicePool, SystemSession system, Shutdowns shutdowns) {
        this.transactions = transactions;
        this.servicePool = servicePool;
        this.system = system;
        this.shutdowns = shutdowns;
        this.runner = new JobRunner(transactions, servicePool, system);
    }

    /** The same service over another catalogue (tests' jobs). */
    Jobs withCatalogue(List<Job> jobs) {
        Jobs other = new Jobs(transactions, servicePool, system, shutdowns);
        other.catalogue = JobCatalogue.checked(jobs);
        return other;
    }

    /** The names of the jobs, in catalogue order. */
    public List<String> names() {
        return catalogue.stream().map(Job::name).toList();
    }

    /**
     * Every job with its schedule (as configured on this instance), when a scheduler runs it
     * next and its newest run on any instance. Two index reads.
     *
     * @throws DatabaseUnavailableException when the database cannot be reached
     */
    public List<JobStatus> list() {
        List<Job> jobs = catalogue;
        List<String> names = jobs.stream().map(Job::name).toList();
        Map<String, String> schedules = startedSchedules;
        return transactions.asService(ctx -> {
            Map<String, Instant> next = ctx.select(SCHEDULED_TASKS.TASK_NAME, SCHEDULED_TASKS.EXECUTION_TIME).from(SCHEDULED_TASKS)
                    .where(SCHEDULED_TASKS.TASK_NAME.in(names)).and(SCHEDULED_TASKS.PICKED.isFalse())
                    .fetchMap(SCHEDULED_TASKS.TASK_NAME, SCHEDULED_TASKS.EXECUTION_TIME);
            Map<String, JobRun> last = new LinkedHashMap<>();
            ctx.select(JOB_RUNS.JOB_NAME, JOB_RUNS.INSTANCE, JOB_RUNS.TRIGGER, JOB_RUNS.STARTED_AT, JOB_RUNS.DURATION_MS, JOB_RUNS.OUTCOME,
                            JOB_RUNS.ERROR)
                    .distinctOn(JOB_RUNS.JOB_NAME).from(JOB_RUNS).where(JOB_RUNS.JOB_NAME.in(names))
                    .orderBy(JOB_RUNS.JOB_NAME, JOB_RUNS.STARTED_AT.desc())
                    .forEach(row -> last.put(row.value1(), new JobRun(row.value1(), row.value2(), JobTrigger.ofSqlName(row.value3()),
                            row.value4(), Duration.ofMillis(row.value5()), JobOutcome.ofSqlName(row.value6()), row.value7())));
            List<JobStatus> statuses = new ArrayList<>();
            for (Job job : jobs) {
                String schedule = schedules != null ? schedules.get(job.name()) : JobSchedule.parse(job.defaultSchedule()).text();
                statuses.add(new JobStatus(job.name(), schedule, next.get(job.name()), last.get(job.name())));
            }
            return statuses;
        });
    }

    /**
     * Runs the job now, on the caller's thread, and records the run (trigger {@code manual}).
     * A failure of the job is the run's outcome, not an exception.
     *
     * @throws UnknownJobException        when no job has this name
     * @throws JobAlreadyRunningException when it is running already, on any instance
     * @throws DatabaseUnavailableException when the database cannot be reached
     */
    public JobRun run(String name) {
        Job job = job(name);
        String instance = startedInstanceName != null ? startedInstanceName : defaultInstanceName;
        return runner.execute(job, JobTrigger.MANUAL, null, instance).run();
    }

    /** Tells {@code listener} of every run on this instance from now on (see {@link JobListener}). */
    public void addListener(JobListener listener) {
        runner.addListener(Objects.requireNonNull(listener, "listener"));
    }

    public void removeListener(JobListener listener) {
        runner.removeListener(listener);
    }

    /**
     * Starts a scheduler on this instance: it runs each job on its schedule, sharing the work
     * with every other instance's scheduler on the database (each due execution runs once). It
     * writes each job's schedule into {@code scheduled_tasks} (a changed cron time reschedules
     * the job; {@code off} removes it). It stops with {@link JobScheduler#close()}, at the
     * latest when the {@link AnalyticsDb} closes.
     *
     * @throws InvalidJobSettingsException when a schedule names no job of the catalogue
     * @throws DatabaseUnavailableException when the database cannot be reached
     */
    public JobScheduler start(JobSettings settings) {
        Objects.requireNonNull(settings, "settings");
        List<Job> jobs = catalogue;
        for (String name : settings.schedules().keySet()) {
            if (jobs.stream().noneMatch(job -> job.name().equals(name))) {
                throw new InvalidJobSettingsException("a schedule is set for '" + name + "', but no job has that name; the jobs are "
                        + String.join(", ", names()), null);
            }
        }
        // Fails fast, typed, on a database that is away or not migrated: db-scheduler would only log it, then poll in vain.
        transactions.asService(ctx -> ctx.fetchExists(SCHEDULED_TASKS));
        String instance = settings.instanceName() != null ? settings.instanceName() : defaultInstanceName;
        Map<String, String> schedules = new LinkedHashMap<>();
        List<RecurringTask<Void>> tasks = new ArrayList<>();
        for (Job job : jobs) {
            JobSchedule schedule = JobSchedule.parse(settings.schedules().getOrDefault(job.name(), job.defaultSchedule()));
            schedules.put(job.name(), schedule.text());
            tasks.add(Tasks.recurring(job.name(), schedule.schedule())
                    .onFailure(new RetryWithBackoff(schedule.schedule(), settings.retryBackoff()))
                    .execute((taskInstance, context) -> {
                        JobRunner.Result result = runner.execute(job, JobTrigger.SCHEDULED, context.getExecution().executionTime, instance);
                        if (result.failure() != null) throw result.failure();
                    }));
        }
        Scheduler scheduler = Scheduler.create(new ServiceRoleConnections(servicePool), List.<Task<?>>of())
                .startTasks(tasks) // known tasks too
                .tableName(AnalyticsDb.SCHEMA + ".scheduled_tasks")
                .schedulerName(new SchedulerName.Fixed(instance))
                .threads(settings.threads())
                .pollingInterval(settings.pollingInterval())
                .pollUsingLockAndFetch(0.5, 1.0) // SELECT ... FOR UPDATE SKIP LOCKED: instances never pick the same execution
                .commitWhenAutocommitDisabled(true) // see ServiceRoleConnections
                .shutdownMaxWait(settings.shutdownTimeout())
                .failureLogging(LogLevel.DEBUG, false) // the run wrapper logs each failure once
                .build();
        JobScheduler started = new JobScheduler(scheduler, instance, schedules, shutdowns);
        try {
            scheduler.start();
        } catch (RuntimeException e) {
            started.close();
            throw Failures.isConnectionFailure(e) ? new DatabaseUnavailableException("cannot start the job scheduler: " + e.getMessage(), e)
                    : new AnalyticsDbException("cannot start the job scheduler (" + e.getClass().getSimpleName() + ")", e);
        }
        startedSchedules = Map.copyOf(schedules);
        startedInstanceName = instance;
        return started;
    }

    private Job job(String name) {
        for (Job job : catalogue) {
            if (job.name().equals(name)) return job;
        }
        throw new UnknownJobException(name);
    }

    private static String defaultInstanceName() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            host = "localhost";
        }
        String name = host + ":" + ProcessHandle.current().pid();
        return name.length() <= 200 ? name : name.substring(name.length() - 200);
    }
}
