package org.learninganalytics.db.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.learninganalytics.db.AnalyticsDb;
import org.learninganalytics.db.testing.FreshDatabase;
import org.learninganalytics.db.testing.TestDatabase;

/**
 * A job's lock is a transaction-level advisory lock on a connection left idle in its
 * transaction while the job works. A DBA's idle_in_transaction_session_timeout (a common
 * server setting) used to end that connection, and with it the lock, while the job still ran:
 * another instance could then run the same job at the same time. Its own database, as the
 * setting is the database's.
 */
@FreshDatabase
class JobLockIdleTimeoutPgTest {

    @Test
    void a_running_job_keeps_its_lock_past_the_servers_idle_in_transaction_timeout(TestDatabase database) throws Exception {
        try (Connection admin = database.connect(); Statement sql = admin.createStatement()) {
            sql.execute("DO $$ BEGIN EXECUTE format('ALTER DATABASE %I SET idle_in_transaction_session_timeout = ''300ms''',"
                    + " current_database()); END $$");
        }
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger executions = new AtomicInteger();
        Job held = new Job("held-past-idle-timeout", "off", context -> {
            if (executions.incrementAndGet() == 1) {
                started.countDown();
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        ExecutorService caller = Executors.newSingleThreadExecutor();
        // New pools: their connections start with the database's setting.
        try (AnalyticsDb one = database.analyticsDb(); AnalyticsDb other = database.analyticsDb()) {
            Future<JobRun> first = caller.submit(() -> one.system().jobs().withCatalogue(List.of(held)).run(held.name()));
            assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
            Thread.sleep(1_000); // the lock's connection has been idle in its transaction for longer than the timeout

            assertThatThrownBy(() -> other.system().jobs().withCatalogue(List.of(held)).run(held.name()))
                    .isInstanceOf(JobAlreadyRunningException.class);

            release.countDown();
            assertThat(first.get(10, TimeUnit.SECONDS).outcome()).isEqualTo(JobOutcome.SUCCEEDED);
        } finally {
            release.countDown();
            caller.shutdownNow();
        }
        assertThat(executions.get()).isEqualTo(1);
    }
}
