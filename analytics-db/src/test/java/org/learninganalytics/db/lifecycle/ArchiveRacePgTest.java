package org.learninganalytics.db.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.learninganalytics.db.AnalyticsDb;
import org.learninganalytics.db.AnalyticsDbException;
import org.learninganalytics.db.gamification.Award;
import org.learninganalytics.db.testing.FreshDatabase;
import org.learninganalytics.db.testing.Sql;
import org.learninganalytics.db.testing.TestDatabase;

/**
 * An award dated in a month that the archive run is moving at that moment. award_points()
 * read the ledger's horizon before it waited for the archive's lock, so it passed the
 * horizon and its row fell into the DEFAULT partition (a stray for good: an archived month is
 * never made again). It now takes the ledger's lock first and then reads the new horizon.
 */
@FreshDatabase
class ArchiveRacePgTest {

    @Test
    void an_award_dated_in_a_month_being_archived_is_refused_not_left_in_default(TestDatabase database) throws Exception {
        AnalyticsDb db = database.analyticsDb();
        YearMonth month = YearMonth.now(ZoneOffset.UTC).minusMonths(14);
        Instant at = month.atDay(15).atStartOfDay().toInstant(ZoneOffset.UTC);
        UUID learner = UUID.randomUUID();
        ExecutorService caller = Executors.newSingleThreadExecutor();
        try (Connection admin = database.connect(); Connection archiver = database.connect()) {
            UUID org = UUID.randomUUID();
            Sql.execute(admin, "INSERT INTO analytics.organizations (id, name) VALUES (?, 'Archive race')", org);
            Sql.execute(admin, "INSERT INTO analytics.users (id, email, organization_id) VALUES (?, ?, ?)", learner, learner + "@test.example", org);
            Sql.execute(admin, "SELECT analytics.create_point_transaction_partitions(?, 1)", month.atDay(1));

            archiver.setAutoCommit(false);
            Sql.execute(archiver, "SELECT * FROM analytics.archive_point_transactions(?)",
                    month.plusMonths(1).atDay(1).atStartOfDay().atOffset(ZoneOffset.UTC));
            Future<?> award = caller.submit(() -> db.system().gamification().awards()
                    .award(new Award(learner, "lesson_completed", "archive-race:" + learner, null, null, at)));
            Instant until = Instant.now().plus(Duration.ofSeconds(30));
            while (Sql.count(admin, "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'") == 0) {
                assertThat(Instant.now()).as("the award waits for the archive's lock").isBefore(until);
                Thread.sleep(20);
            }
            archiver.commit();

            assertThatThrownBy(() -> award.get(30, TimeUnit.SECONDS)).hasCauseInstanceOf(AnalyticsDbException.class)
                    .hasMessageContaining("horizon");
            assertThat(Sql.count(admin, "SELECT count(*) FROM analytics.point_transactions_default")).isZero();
            assertThat(Sql.count(admin, "SELECT count(*) FROM analytics.point_transactions WHERE user_id = ?", learner)).isZero();
            assertThat(Sql.count(admin, "SELECT count(*) FROM analytics_archive.point_transactions WHERE user_id = ?", learner)).isZero();
        } finally {
            caller.shutdownNow();
        }
    }
}
