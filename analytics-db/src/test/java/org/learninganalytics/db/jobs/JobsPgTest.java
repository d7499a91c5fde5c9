package org.learninganalytics.db.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.learninganalytics.db.AnalyticsDb;
import org.learninganalytics.db.AnalyticsDbException;
import org.learninganalytics.db.testing.FreshDatabase;
import org.learninganalytics.db.testing.TestDatabase;

/**
 * Jobs on a real database: two schedulers (two library instances, as two servers) share the
 * work and never run a job twice at once; a failing job is retried with back-off and does not
 * hold up another; a manual run and a scheduled run of one job exclude each other through
 * the advisory lock; job_runs and list() show outcome, duration and error. Test jobs are fast:
 * the schedulers poll every 100 ms.
 */
@FreshDatabase
class JobsPgTest {

    private static TestDatabase database;
    /** Two library instances with pools of their own, as two server instances would have. */
    private static AnalyticsDb first;
    private static AnalyticsDb second;

    @BeforeAll
    static void connect(TestDatabase testDatabase) {
        database = testDatabase;
        first = database.analyticsDb();
        second = database.analyticsDb();
    }

    /** The next test's schedulers must not find executions of this test's jobs, which they do not know. */
    @AfterEach
    void forgetScheduledExecutions() throws SQLException {
        try (Connection admin = database.connect(); Statement sql = admin.createStatement()) {
            sql.execute("DELETE FROM analytics.scheduled_tasks");
        }
    }

    private static JobSettings fast(String instance) {
        return JobSettings.defaults().withInstanceName(instance).withPollingInterval(Duration.ofMillis(100))
                .withRetryBackoff(Duration.ofMillis(300)).withShutdownTimeout(Duration.ofSeconds(5));
    }

    @Test
    void two_schedulers_on_one_database_run_each_due_execution_once_and_never_twice_at_once() throws Exception {
        AtomicInteger running = new AtomicInteger();
        AtomicInteger mostAtOnce = new AtomicInteger();
        Job probe = new Job("overlap-probe", "cron:* * * * * *", context -> { // due every second, runs 0.6 s
            mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
            sleep(600);
            running.decrementAndGet();
        });
        try (JobScheduler a = first.system().jobs().withCatalogue(List.of(probe)).start(fast("instance-a").withThreads(2));
             JobScheduler b = second.system().jobs().withCatalogue(List.of(probe)).start(fast("instance-b").withThreads(2))) {
            awaitTrue(() -> runs("overlap-probe").size() >= 5, Duration.ofSeconds(20));
        }
        List<RunRow> runs = runs("overlap-probe");
        assertThat(mostAtOnce.get()).isEqualTo(1);
        assertThat(runs).allSatisfy(run -> {
            assertThat(run.trigger()).isEqualTo("scheduled");
            assertThat(run.outcome()).as("no execution was handed to both schedulers (the lock never had to skip one)").isEqualTo("succeeded");
        });
        assertThat(runs.stream().map(RunRow::scheduledFor).distinct().count()).as("each due execution ran once").isEqualTo(runs.size());
        for (int i = 1; i < runs.size(); i++) {
            assertThat(runs.get(i).startedAt()).as("run %d starts after run %d finished", i, i - 1).isAfterOrEqualTo(runs.get(i - 1).finishedAt());
        }
    }

    @Test
    void a_failing_job_is_retried_with_back_off_and_does_not_hold_up_another() throws Exception {
        Job failing = new Job("always-fails", "every:1h", context -> {
            throw new AnalyticsDbException("probe failure on purpose");
        });
        Job ticking = new Job("ticks", "every:200ms", context -> {
        });
        Jobs jobs = first.system().jobs().withCatalogue(List.of(failing, ticking));
        // One thread: the failing job's retries must not keep it from the other job.
        try (JobScheduler scheduler = jobs.start(fast("instance-a").withThreads(1))) {
            awaitTrue(() -> runs("always-fails").size() >= 4, Duration.ofSeconds(20));
        }
        List<RunRow> failures = runs("always-fails");
        assertThat(failures).allSatisfy(run -> {
            assertThat(run.outcome()).isEqualTo("failed");
            assertThat(run.error()).isEqualTo("probe failure on purpose");
        });
        // Retried after 300 ms, then 600 ms, then 1.2 s (each at least that long after the previous attempt).
        List<Long> gaps = new ArrayList<>();
        for (int i = 1; i < 4; i++) gaps.add(Duration.between(failures.get(i - 1).startedAt(), failures.get(i).startedAt()).toMillis());
        assertThat(gaps.get(0)).isGreaterThanOrEqualTo(300);
        assertThat(gaps.get(1)).isGreaterThanOrEqualTo(600);
        assertThat(gaps.get(2)).isGreaterThanOrEqualTo(1200);
        long ticksMeanwhile = runs("ticks").stream()
                .filter(run -> run.startedAt().isAfter(failures.get(0).startedAt()) && run.startedAt().isBefore(failures.get(3).startedAt()))
                .filter(run -> run.outcome().equals("succeeded")).count();
        assertThat(ticksMeanwhile).as("the other job kept running every 200 ms meanwhile").isGreaterThanOrEqualTo(5);
        JobStatus status = jobs.list().get(0);
        assertThat(status.lastRun().outcome()).isEqualTo(JobOutcome.FAILED);
        assertThat(status.lastRun().error()).isEqualTo("probe failure on purpose");
    }

    @Test
    void a_manual_run_while_a_scheduled_run_holds_the_lock_is_a_conflict() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Job slow = new Job("slow-job", "every:1h", context -> {
            started.countDown();
            await(release);
        });
        Jobs scheduled = first.system().jobs().withCatalogue(List.of(slow));
        Jobs byHand = second.system().jobs().withCatalogue(List.of(slow)); // another instance
        try (JobScheduler scheduler = scheduled.start(fast("instance-a"))) {
            assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
            assertThatThrownBy(() -> byHand.run("slow-job"))
                    .isInstanceOfSatisfying(JobAlreadyRunningException.class, e -> assertThat(e.kind()).isEqualTo(AnalyticsDbException.Kind.CONFLICT))
                    .hasMessageContaining("slow-job");
            release.countDown();
            awaitTrue(() -> runs("slow-job").size() == 1, Duration.ofSeconds(10));
        }
        JobRun manual = byHand.run("slow-job"); // free again
        assertThat(manual.outcome()).isEqualTo(JobOutcome.SUCCEEDED);
        assertThat(manual.trigger()).isEqualTo(JobTrigger.MANUAL);
        assertThat(runs("slow-job")).extracting(RunRow::trigger).containsExactly("scheduled", "manual");
    }

    @Test
    void a_scheduled_run_while_a_manual_run_holds_the_lock_is_skipped_not_run_twice() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger executions = new AtomicInteger();
        Job held = new Job("held-job", "every:1h", context -> {
            executions.incrementAndGet();
            started.countDown();
            await(release);
        });
        ExecutorService caller = Executors.newSingleThreadExecutor();
        try {
            Future<JobRun> manual = caller.submit(() -> second.system().jobs().withCatalogue(List.of(held)).run("held-job"));
            assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
            try (JobScheduler scheduler = first.system().jobs().withCatalogue(List.of(held)).start(fast("instance-a"))) {
                awaitTrue(() -> !runs("held-job").isEmpty(), Duration.ofSeconds(10)); // "every" is due at once
            }
            release.countDown();
            assertThat(manual.get(10, TimeUnit.SECONDS).outcome()).isEqualTo(JobOutcome.SUCCEEDED);
        } finally {
            release.countDown();
            caller.shutdownNow();
        }
        assertThat(executions.get()).isEqualTo(1);
        assertThat(runs("held-job")).extracting(RunRow::trigger, RunRow::outcome)
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("scheduled", "skipped"), org.assertj.core.groups.Tuple.tuple("manual", "succeeded"));
    }

    @Test
    void job_runs_and_the_list_show_outcome_duration_and_a_safe_error() {
        Job quick = new Job("quick-ok", "cron:0 0 4 * * *", context -> sleep(50));
        Job leaky = new Job("leaky-failure", "off", context -> {
            throw new IllegalStateException("SELECT secret FROM analytics.users");
        });
        Jobs jobs = first.system().jobs().withCatalogue(List.of(quick, leaky));
        assertThat(jobs.list()).extracting(JobStatus::name, JobStatus::schedule, JobStatus::nextRun, JobStatus::lastRun)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("quick-ok", "cron:0 0 4 * * *", null, null),
                        org.assertj.core.groups.Tuple.tuple("leaky-failure", "off", null, null));

        JobRun ok = jobs.run("quick-ok");
        JobRun failed = jobs.run("leaky-failure");

        assertThat(ok.outcome()).isEqualTo(JobOutcome.SUCCEEDED);
        assertThat(ok.duration()).isGreaterThanOrEqualTo(Duration.ofMillis(50));
        assertThat(ok.error()).isNull();
        assertThat(failed.outcome()).isEqualTo(JobOutcome.FAILED);
        assertThat(failed.error()).isEqualTo("unexpected failure (IllegalStateException)").doesNotContain("SELECT");
        RunRow stored = runs("leaky-failure").get(0);
        assertThat(stored.error()).isEqualTo(failed.error());
        assertThat(stored.trigger()).isEqualTo("manual");
        assertThat(stored.scheduledFor()).isNull();

        List<JobStatus> statuses = jobs.list();
        assertThat(statuses.get(0).lastRun().startedAt()).isEqualTo(ok.startedAt());
        assertThat(statuses.get(0).lastRun().duration().toMillis()).isEqualTo(ok.duration().toMillis());
        assertThat(statuses.get(0).lastRun().outcome()).isEqualTo(JobOutcome.SUCCEEDED);
        assertThat(statuses.get(1).lastRun().error()).isEqualTo(failed.error());

        try (JobScheduler scheduler = jobs.start(fast("instance-a").withSchedule("quick-ok", "cron:0 0 5 * * *"))) {
            List<JobStatus> scheduled = jobs.list();
            assertThat(scheduled.get(0).schedule()).isEqualTo("cron:0 0 5 * * *");
            assertThat(scheduled.get(0).nextRun()).isAfter(Instant.now()).isBefore(Instant.now().plus(Duration.ofDays(1)));
            assertThat(scheduled.get(0).nextRun().atZone(java.time.ZoneOffset.UTC).getHour()).isEqualTo(5);
            assertThat(scheduled.get(1).nextRun()).as("off").isNull();
        }
    }

    @Test
    void unknown_names_are_invalid_input() {
        Jobs jobs = first.system().jobs();
        assertThatThrownBy(() -> jobs.run("no-such-job"))
                .isInstanceOfSatisfying(UnknownJobException.class, e -> assertThat(e.kind()).isEqualTo(AnalyticsDbException.Kind.INVALID_INPUT));
        assertThatThrownBy(() -> jobs.start(fast("x").withSchedule("no-such-job", "every:1h")))
                .isInstanceOf(InvalidJobSettingsException.class).hasMessageContaining("no-such-job").hasMessageContaining("refresh-leaderboards");
    }

    @Test
    void job_runs_keep_90_days_and_at_least_the_20_newest_runs_of_each_job() throws Exception {
        Job kept = new Job("kept-job", "off", context -> {
        });
        try (Connection admin = database.connect();
             PreparedStatement insert = admin.prepareStatement("""
                     INSERT INTO analytics.job_runs (job_name, instance, trigger, started_at, finished_at, duration_ms, outcome)
                     VALUES (?, 'old-instance', 'manual', now() - make_interval(days => ?), now() - make_interval(days => ?), 0, 'succeeded')""")) {
            for (int days : daysAgo()) {
                insert.setString(1, days == 10 ? "kept-job" : "kept-job");
                insert.setInt(2, days);
                insert.setInt(3, days);
                insert.addBatch();
            }
            insert.setString(1, "another-job"); // another job's old runs are its own runs' business
            insert.setInt(2, 200);
            insert.setInt(3, 200);
            insert.addBatch();
            insert.executeBatch();
        }
        first.system().jobs().withCatalogue(List.of(kept)).run("kept-job");
        List<RunRow> runs = runs("kept-job");
        // 20 newest: the new run, the 3 of 10 days ago and 16 of the 30 older than 90 days (100 to 115 days old).
        assertThat(runs).hasSize(20);
        assertThat(runs.stream().filter(run -> run.startedAt().isAfter(Instant.now().minus(Duration.ofDays(11))))).hasSize(4);
        assertThat(Duration.between(runs.get(0).startedAt(), Instant.now()).toDays()).isEqualTo(115);
        assertThat(runs("another-job")).hasSize(1);
    }

    /** 30 runs 100 to 129 days ago, 3 runs 10 days ago. */
    private static List<Integer> daysAgo() {
        List<Integer> days = new ArrayList<>();
        for (int d = 100; d < 130; d++) days.add(d);
        days.addAll(List.of(10, 10, 10));
        return days;
    }

    @Test
    void every_job_of_the_catalogue_runs_on_the_system_path_of_a_fresh_database() {
        Jobs jobs = first.system().jobs();
        assertThat(jobs.names()).contains("refresh-leaderboards", "refresh-peer-comparison", "refresh-skill-demand", "recompute-analytics");
        for (String name : jobs.names()) {
            JobRun run = jobs.run(name);
            assertThat(run.outcome()).as(name + ": " + run.error()).isEqualTo(JobOutcome.SUCCEEDED);
        }
        assertThat(jobs.list()).allSatisfy(status -> assertThat(status.lastRun().outcome()).isEqualTo(JobOutcome.SUCCEEDED));
    }

    @Test
    void the_schedulers_connections_go_back_to_the_pool_as_they_were_lent() throws Exception {
        com.zaxxer.hikari.HikariConfig config = new com.zaxxer.hikari.HikariConfig();
        config.setDataSource(database.appDataSource());
        config.setMaximumPoolSize(1);
        try (com.zaxxer.hikari.HikariDataSource pool = new com.zaxxer.hikari.HikariDataSource(config)) {
            ServiceRoleConnections asService = new ServiceRoleConnections(pool);
            try (Connection connection = asService.getConnection()) {
                assertThat(currentUser(connection)).isEqualTo("analytics_service");
                connection.commit();
                assertThat(currentUser(connection)).as("again after a commit").isEqualTo("analytics_service");
                connection.rollback();
                try (Statement sql = connection.createStatement()) {
                    sql.execute("SELECT count(*) FROM analytics.scheduled_tasks"); // the service role may; the login may not
                }
            }
            try (Connection same = pool.getConnection()) {
                assertThat(currentUser(same)).isEqualTo("analytics_app");
                assertThat(same.getAutoCommit()).isTrue();
                assertThatThrownBy(() -> same.createStatement().execute("SELECT count(*) FROM analytics.scheduled_tasks"))
                        .isInstanceOf(SQLException.class).hasMessageContaining("permission denied");
            }
        }
    }

    private static String currentUser(Connection connection) throws SQLException {
        try (Statement sql = connection.createStatement(); ResultSet rows = sql.executeQuery("SELECT current_user")) {
            rows.next();
            return rows.getString(1);
        }
    }

    record RunRow(String instance, String trigger, Instant scheduledFor, Instant startedAt, Instant finishedAt, String outcome, String error) {
    }

    /** The job's rows of job_runs, oldest first, read as the administrator. */
    private static List<RunRow> runs(String job) {
        try (Connection admin = database.connect();
             PreparedStatement query = admin.prepareStatement("""
                     SELECT instance, trigger, scheduled_for, started_at, finished_at, outcome, error
                     FROM analytics.job_runs WHERE job_name = ? ORDER BY started_at, id""")) {
            query.setString(1, job);
            List<RunRow> rows = new ArrayList<>();
            try (ResultSet result = query.executeQuery()) {
                while (result.next()) {
                    rows.add(new RunRow(result.getString(1), result.getString(2), instant(result.getTimestamp(3)), instant(result.getTimestamp(4)),
                            instant(result.getTimestamp(5)), result.getString(6), result.getString(7)));
                }
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }

    private static void awaitTrue(BooleanSupplier condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("not within " + timeout);
            Thread.sleep(50);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(20, TimeUnit.SECONDS)) throw new IllegalStateException("never released");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
