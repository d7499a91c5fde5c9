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

import org.junit.jupiter.api.Test;
import org.learninganalytics.db.AnalyticsDb;
import org.learninganalytics.db.AnalyticsDbException;
import org.learninganalytics.db.gamification.Award;
import org.learninganalytics.db.testing.FreshDatabase;
import org.learninganalytics.db.testing.Sql;
import org.learninganalytics.db.testing.TestDatabase;

/**
 * A fresh installation has monthly partitions from the month before it was migrated on, but
 * accepts events dated 90 days back and awards dated back to their keys' horizon. Such rows
 * went to a DEFAULT partition for good: upkeep made only this month and later, so every
 * upkeep run failed on them and retention never dropped them. Upkeep now makes the months
 * from 90 days back and moves those rows into them, each table even when another's lock
 * is not to be had. Its own database: it needs the
 * partitions as migrated, without the other lifecycle tests' months.
 */
@FreshDatabase
class PartitionBackfillPgTest {

    @Test
    void upkeep_makes_the_months_rows_may_be_dated_back_to_and_moves_them_out_of_default(TestDatabase database) throws SQLException {
        AnalyticsDb db = database.analyticsDb();
        Instant at = Instant.now().minus(Duration.ofDays(85));
        YearMonth month = YearMonth.from(at.atOffset(ZoneOffset.UTC));
        UUID learner = UUID.randomUUID();
        UUID event = UUID.randomUUID();
        try (Connection admin = database.connect()) {
            UUID org = UUID.randomUUID();
            Sql.execute(admin, "INSERT INTO analytics.organizations (id, name) VALUES (?, 'Backfill')", org);
            Sql.execute(admin, "INSERT INTO analytics.users (id, email, organization_id) VALUES (?, ?, ?)", learner, learner + "@test.example", org);
            Sql.execute(admin, "INSERT INTO analytics.learning_events (event_id, user_id, verb, object_id, object_type, occurred_at)"
                    + " VALUES (?, ?, 'experienced', 'lesson-1', 'lesson', ?)", event, learner, at.atOffset(ZoneOffset.UTC));
            db.system().gamification().awards().award(new Award(learner, "lesson_completed", "backfill:" + learner, null, null, at));
            assertThat(Sql.count(admin, "SELECT count(*) FROM analytics.learning_events_default WHERE event_id = ?", event)).isEqualTo(1);
            assertThat(Sql.count(admin, "SELECT count(*) FROM analytics.point_transactions_default WHERE user_id = ?", learner)).isEqualTo(1);

            String suffix = "_" + month.toString().replace('-', '_');
            try (Connection reader = database.connect()) {
                // A long reader of the events: their months wait, the other tables get theirs all the same.
                reader.setAutoCommit(false);
                Sql.execute(reader, "SELECT count(*) FROM analytics.learning_events");
                assertThatThrownBy(() -> db.system().lifecycle().upkeepPartitions()).isInstanceOfSatisfying(AnalyticsDbException.class,
                        e -> assertThat(e.kind()).isEqualTo(AnalyticsDbException.Kind.TIMED_OUT));
                reader.rollback();
            }
            assertThat(Sql.count(admin, "SELECT count(*) FROM analytics.point_transactions" + suffix + " WHERE user_id = ?", learner)).isEqualTo(1);
            assertThat(Sql.count(admin, "SELECT count(*) FROM analytics.learner_velocity_analytics" + suffix)).isZero();
            assertThat(Sql.count(admin, "SELECT count(*) FROM analytics.learning_events_default WHERE event_id = ?", event)).isEqualTo(1);

            PartitionReport report = db.system().lifecycle().upkeepPartitions();

            assertThat(report.nonEmptyDefaults()).isEmpty();
            assertThat(Sql.count(admin, "SELECT count(*) FROM analytics.learning_events" + suffix + " WHERE event_id = ?", event)).isEqualTo(1);
            assertThat(Sql.count(admin, "SELECT total_points FROM analytics.user_points WHERE user_id = ?", learner))
                    .as("moving rows between partitions counts nothing twice")
                    .isEqualTo(Sql.count(admin, "SELECT sum(points) FROM analytics.point_transactions WHERE user_id = ?", learner));
        }
        assertThat(db.system().lifecycle().upkeepPartitions().partitionsMade()).isZero();
    }
}
