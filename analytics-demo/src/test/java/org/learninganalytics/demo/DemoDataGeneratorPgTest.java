package org.learninganalytics.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.learninganalytics.db.AnalyticsDb;
import org.learninganalytics.db.AnalyticsDbException;
import org.learninganalytics.db.testing.FreshDatabase;
import org.learninganalytics.db.testing.TestDatabase;

/** The demo data generator makes consistent, reproducible data and refuses a non-empty database. */
@FreshDatabase
class DemoDataGeneratorPgTest {

    private static final DemoScale SMALL = new DemoScale(3, 400, 20_000, 60, 7, 12_000);
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
                    WHERE "timestamp" < TIMESTAMPTZ '2026-09-22 00:00:00+00' OR "timestamp" >= TIMESTAMPTZ '2026-11-21 00:00:00+00'""")).isZero();
            assertThat(count(database, "SELECT count(*) FROM analytics.user_points WHERE longest_streak < current_streak")).isZero();

            assertThat(db.system().gamification().ledgerReplay().dryRun(null)).as("totals, levels and streaks agree with the ledger").isEmpty();
            assertThat(count(database, "SELECT count(*) FROM analytics.leaderboard_refreshes WHERE refreshed_at < '" + startedAt + "'"))
                    .as("leaderboards refreshed after loading").isZero();

            checkLearningEvents(database, report);

            String first = fingerprint(database);
            assertThatThrownBy(() -> generator.generate(SMALL, LAST_DAY))
                    .isInstanceOf(AnalyticsDbException.class)
                    .hasMessageContaining("empty database");
            assertThat(fingerprint(database)).as("a refused run writes nothing").isEqualTo(first);

            try (Connection connection = database.connect(); Statement statement = connection.createStatement()) {
                statement.execute("TRUNCATE analytics.organizations, analytics.users, analytics.user_roles, analytics.courses,"
                        + " analytics.enrollments, analytics.user_skills, analytics.point_transactions,"
                        + " analytics.daily_activity, analytics.user_points, analytics.user_preferences, analytics.course_skills,"
                        + " analytics.learning_events CASCADE");
            }
            generator.generate(SMALL, LAST_DAY);
            assertThat(fingerprint(database)).as("same seed and day, same data").isEqualTo(first);
        }
    }

    /** Learning events, course skills and lengths, and the drop-outs: what the risk model is validated against. */
    private static void checkLearningEvents(TestDatabase database, DemoDataReport report) {
        assertThat(report.learningEvents()).isEqualTo(12_000);
        assertThat(count(database, "SELECT count(*) FROM analytics.learning_events")).isEqualTo(12_000);
        assertThat(count(database, "SELECT count(*) FROM analytics.learning_events_default")).as("every month has its partition").isZero();
        assertThat(count(database, """
                SELECT count(*) FROM analytics.learning_events
                WHERE occurred_at < TIMESTAMPTZ '2026-09-22 00:00:00+00' OR occurred_at >= TIMESTAMPTZ '2026-11-21 00:00:00+00'""")).isZero();
        assertThat(count(database, "SELECT count(*) FROM analytics.course_skills")).isEqualTo(report.courseSkills());
        assertThat(count(database, """
                SELECT count(*) FROM analytics.courses c
                WHERE (SELECT count(*) FROM analytics.course_skills s WHERE s.course_id = c.id) NOT BETWEEN 2 AND 3
                   OR c.expected_weeks NOT BETWEEN 4 AND 16""")).isZero();
        assertThat(count(database, "SELECT count(DISTINCT expected_weeks) FROM analytics.courses")).isGreaterThan(1);
        // Every verb and object type of the demo occurs; course events are of the learner's own enrollments.
        assertThat(count(database, "SELECT count(DISTINCT verb) FROM analytics.learning_events")).isEqualTo(8);
        assertThat(count(database, """
                SELECT count(*) FROM analytics.learning_events e
                WHERE e.course_id IS NOT NULL
                  AND NOT EXISTS (SELECT 1 FROM analytics.enrollments n WHERE n.user_id = e.user_id AND n.course_id = e.course_id
                                  AND n.enrolled_at <= e.occurred_at)""")).isZero();
        // Assessments: passed from a score of 0.7; scores follow mastery (strong learners score higher).
        assertThat(count(database, """
                SELECT count(*) FROM analytics.learning_events
                WHERE verb IN ('passed', 'failed') AND (score_scaled IS NULL OR (verb = 'passed') <> (score_scaled >= 0.7))""")).isZero();
        assertThat(count(database, """
                SELECT round(100 * (avg(e.score_scaled) FILTER (WHERE s.mastery_level >= 70)
                                  - avg(e.score_scaled) FILTER (WHERE s.mastery_level < 40)))
                FROM analytics.learning_events e JOIN analytics.user_skills s ON s.user_id = e.user_id AND s.skill_id = e.skill_id
                WHERE e.verb IN ('passed', 'failed')""")).as("mean score of strong minus weak learners, in points").isGreaterThan(30);
        // Progress rises per enrollment, and a session's events are minutes apart.
        assertThat(count(database, """
                SELECT count(*) FROM (
                  SELECT progress_percent < lag(progress_percent) OVER (PARTITION BY user_id, course_id ORDER BY occurred_at, event_id) AS falls
                  FROM analytics.learning_events WHERE verb IN ('progressed', 'completed')) p WHERE falls""")).isZero();
        assertThat(count(database, """
                SELECT percentile_disc(0.5) WITHIN GROUP (ORDER BY gap)
                FROM (SELECT extract(epoch FROM occurred_at - lag(occurred_at) OVER (PARTITION BY user_id ORDER BY occurred_at))::bigint AS gap
                      FROM analytics.learning_events) g""")).as("median seconds between a learner's events").isBetween(60L, 1_800L);

        // Drop-outs: the rule's share, and no activity (events or points) in their last 10 to 30 days.
        List<UUID> learners = database.withAdmin(ctx -> ctx.fetch(
                "SELECT u.id FROM analytics.users u JOIN analytics.user_roles r ON r.user_id = u.id WHERE r.role = 'learner'")
                .getValues(0, UUID.class));
        Instant end = LAST_DAY.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        int dropOuts = 0;
        for (UUID learner : learners) {
            int days = DemoDataGenerator.dropOffDays(SMALL.seed(), learner);
            Instant last = database.withAdmin(ctx -> ctx.fetchValue("""
                    SELECT greatest((SELECT max(occurred_at) FROM analytics.learning_events WHERE user_id = ?),
                                    (SELECT max("timestamp") FROM analytics.point_transactions WHERE user_id = ?))""",
                    learner, learner) instanceof java.time.OffsetDateTime t ? t.toInstant() : null);
            if (days > 0) {
                dropOuts++;
                assertThat(days).isBetween(10, 30);
                if (last != null) assertThat(last).as("a drop-out's last activity").isBefore(end.minus(Duration.ofDays(days)));
            }
        }
        assertThat(report.dropOuts()).isEqualTo(dropOuts);
        assertThat(100.0 * dropOuts / learners.size()).as("share of drop-outs, %").isBetween(10.0, 20.0);
        assertThat(count(database, """
                SELECT count(*) FROM analytics.users u
                WHERE EXISTS (SELECT 1 FROM analytics.learning_events e WHERE e.user_id = u.id)
                  AND NOT EXISTS (SELECT 1 FROM analytics.learning_events e WHERE e.user_id = u.id
                                  AND e.occurred_at >= TIMESTAMPTZ '2026-11-16 00:00:00+00')""")).as("learners without events in the last 5 days")
                .isEqualTo(learners.stream().filter(id -> DemoDataGenerator.dropOffDays(SMALL.seed(), id) > 0)
                        .filter(id -> count(database, "SELECT count(*) FROM analytics.learning_events WHERE user_id = '" + id + "'") > 0).count());
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
                  (SELECT string_agg(concat(user_id, leaderboard_privacy), ',' ORDER BY user_id) FROM analytics.user_preferences),
                  (SELECT string_agg(concat(id, expected_weeks), ',' ORDER BY id) FROM analytics.courses),
                  (SELECT string_agg(concat(course_id, skill_id, required_level), ',' ORDER BY course_id, skill_id) FROM analytics.course_skills),
                  (SELECT md5(string_agg(t::text, ',' ORDER BY event_id)) FROM analytics.learning_events t)))
                """)));
    }
}
