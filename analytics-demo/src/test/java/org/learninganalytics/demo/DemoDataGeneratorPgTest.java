package org.learninganalytics.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.Statement;
import java.time.LocalDate;

import org.junit.jupiter.api.Test;
import org.learninganalytics.db.AnalyticsDb;
import org.learninganalytics.db.AnalyticsDbException;
import org.learninganalytics.db.testing.FreshDatabase;
import org.learninganalytics.db.testing.TestDatabase;

/** The demo data generator makes consistent, reproducible data and refuses a non-empty database. */
@FreshDatabase
class DemoDataGeneratorPgTest {

    private static final DemoScale SMALL = new DemoScale(3, 400, 20_000, 30, 7);
    private static final LocalDate LAST_DAY = LocalDate.parse("2026-11-20");

    @Test
    void generates_consistent_reproducible_data_and_refuses_a_second_run(TestDatabase database) throws Exception {
        DemoDataGenerator generator = new DemoDataGenerator(database.appDataSource());
        try (AnalyticsDb db = database.analyticsDb()) {
            String startedAt = database.withAdmin(ctx -> String.valueOf(ctx.fetchValue("SELECT clock_timestamp()::text")));
            DemoDataReport report = generator.generate(SMALL, LAST_DAY);

            assertThat(report.organizations()).isEqualTo(3);
            assertThat(report.users()).isEqualTo(400);
            assertThat(report.pointTransactions()).isEqualTo(20_000);
            assertThat(count(database, "SELECT count(*) FROM analytics.users")).isEqualTo(400);
            assertThat(count(database, "SELECT count(*) FROM analytics.point_transactions")).isEqualTo(20_000);
            assertThat(count(database, "SELECT count(*) FROM analytics.enrollments")).isEqualTo(report.enrollments()).isPositive();
            assertThat(count(database, "SELECT count(*) FROM analytics.user_roles WHERE role = 'org_admin'")).isEqualTo(3);
            assertThat(count(database, "SELECT count(*) FROM analytics.user_roles WHERE role = 'platform_admin'")).isEqualTo(1);
            assertThat(count(database, "SELECT count(*) FROM analytics.user_roles WHERE role = 'trainer'")).isPositive();
            assertThat(count(database, "SELECT count(*) FROM analytics.user_points"))
                    .as("every learner with points has totals")
                    .isEqualTo(count(database, "SELECT count(DISTINCT user_id) FROM analytics.point_transactions")).isPositive();
            assertThat(count(database, "SELECT count(*) FROM analytics.user_points WHERE current_streak < 1 OR last_activity_date IS NULL")).isZero();
            // Totals agree with the ledger; every course is trained by a trainer of its own organization.
            assertThat(count(database, """
                    SELECT count(*) FROM analytics.user_points p
                    JOIN (SELECT user_id, sum(points) s FROM analytics.point_transactions GROUP BY 1) l USING (user_id)
                    WHERE p.total_points <> l.s""")).isZero();
            assertThat(count(database, """
                    SELECT count(*) FROM analytics.courses c JOIN analytics.users t ON t.id = c.trainer_id
                    WHERE t.organization_id <> c.organization_id
                       OR NOT EXISTS (SELECT 1 FROM analytics.user_roles r WHERE r.user_id = t.id AND r.role = 'trainer')""")).isZero();
            assertThat(count(database, """
                    SELECT count(*) FROM analytics.enrollments e JOIN analytics.users u ON u.id = e.user_id
                    JOIN analytics.courses c ON c.id = e.course_id WHERE u.organization_id <> c.organization_id""")).isZero();
            assertThat(count(database, """
                    SELECT count(*) FROM analytics.point_transactions
                    WHERE "timestamp" < TIMESTAMPTZ '2026-10-22 00:00:00+00' OR "timestamp" >= TIMESTAMPTZ '2026-11-21 00:00:00+00'""")).isZero();
            assertThat(count(database, "SELECT count(*) FROM analytics.user_points WHERE longest_streak < current_streak")).isZero();

            assertThat(db.system().gamification().ledgerReplay().dryRun(null)).as("totals, levels and streaks agree with the ledger").isEmpty();
            assertThat(count(database, "SELECT count(*) FROM analytics.leaderboard_refreshes WHERE refreshed_at < '" + startedAt + "'"))
                    .as("leaderboards refreshed after loading").isZero();

            String first = fingerprint(database);
            assertThatThrownBy(() -> generator.generate(SMALL, LAST_DAY))
                    .isInstanceOf(AnalyticsDbException.class)
                    .hasMessageContaining("empty database");
            assertThat(fingerprint(database)).as("a refused run writes nothing").isEqualTo(first);

            try (Connection connection = database.connect(); Statement statement = connection.createStatement()) {
                statement.execute("TRUNCATE analytics.organizations, analytics.users, analytics.user_roles, analytics.courses,"
                        + " analytics.enrollments, analytics.user_skills, analytics.point_transactions,"
                        + " analytics.daily_activity, analytics.user_points, analytics.user_preferences CASCADE");
            }
            generator.generate(SMALL, LAST_DAY);
            assertThat(fingerprint(database)).as("same seed and day, same data").isEqualTo(first);
        }
    }

    private static long count(TestDatabase database, String sql) {
        return database.withAdmin(ctx -> ((Number) ctx.fetchValue(sql)).longValue());
    }

    private static String fingerprint(TestDatabase database) {
        return database.withAdmin(ctx -> String.valueOf(ctx.fetchValue("""
                SELECT md5(concat(
                  (SELECT string_agg(concat(id, email, organization_id, created_at), ',' ORDER BY id) FROM analytics.users),
                  (SELECT string_agg(concat(user_id, role), ',' ORDER BY user_id, role) FROM analytics.user_roles),
                  (SELECT string_agg(concat(user_id, course_id, progress_percent, enrolled_at), ',' ORDER BY user_id, course_id) FROM analytics.enrollments),
                  (SELECT string_agg(concat(user_id, skill_id, mastery_level), ',' ORDER BY user_id, skill_id) FROM analytics.user_skills),
                  (SELECT string_agg(concat(id, user_id, points, activity_type, "timestamp"), ',' ORDER BY id) FROM analytics.point_transactions),
                  (SELECT string_agg(concat(user_id, total_points, current_level, current_streak, longest_streak), ',' ORDER BY user_id) FROM analytics.user_points),
                  (SELECT string_agg(concat(user_id, leaderboard_privacy), ',' ORDER BY user_id) FROM analytics.user_preferences)))
                """)));
    }
}
