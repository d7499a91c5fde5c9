package org.learninganalytics.db.tenancy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.learninganalytics.db.tenancy.TenancyFixture.*;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.learninganalytics.db.testing.FreshDatabase;
import org.learninganalytics.db.testing.TestDatabase;

/**
 * Every table under row-level security × every kind of caller × select, insert, update and
 * delete, straight against the policies (as the pool's login role, like the library). The
 * target is always the learner's row; a denied write is re-read as administrator to show it
 * changed nothing.
 */
@FreshDatabase
class RowLevelSecurityMatrixPgTest {

    enum Actor {
        LEARNER_SELF(LEARNER), LEARNER_OTHER(OTHER_LEARNER), TRAINER_OF_THE_LEARNER(TRAINER),
        TRAINER_OF_SOMEONE_ELSE(OTHER_TRAINER), ORG_ADMIN_SAME_ORG(ORG_ADMIN), ORG_ADMIN_OTHER_ORG(OTHER_ORG_ADMIN),
        PLATFORM_ADMIN(TenancyFixture.PLATFORM_ADMIN), NO_IDENTITY(null);

        final UUID userId;

        Actor(UUID userId) {
            this.userId = userId;
        }

        String subjectRole() {
            return this == PLATFORM_ADMIN ? "analytics_platform_admin" : "analytics_authenticated";
        }

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT).replace('_', ' ');
        }
    }

    enum Operation { SELECT, INSERT, UPDATE, DELETE }

    private static final Set<Actor> NOBODY = EnumSet.noneOf(Actor.class);
    private static final Set<Actor> EVERYBODY = EnumSet.allOf(Actor.class);
    private static final Set<Actor> SEE_THE_LEARNER = EnumSet.of(Actor.LEARNER_SELF, Actor.TRAINER_OF_THE_LEARNER,
            Actor.ORG_ADMIN_SAME_ORG, Actor.PLATFORM_ADMIN);
    private static final Set<Actor> IN_ORG_A = EnumSet.of(Actor.LEARNER_SELF, Actor.LEARNER_OTHER, Actor.TRAINER_OF_THE_LEARNER,
            Actor.TRAINER_OF_SOMEONE_ELSE, Actor.ORG_ADMIN_SAME_ORG, Actor.PLATFORM_ADMIN);

    record Spec(String table, String target, String insert, String update, Set<Actor> readers, Set<Actor> writers) {
        Set<Actor> allowed(Operation operation) {
            return switch (operation) {
                case SELECT -> readers;
                case INSERT, UPDATE -> writers;
                case DELETE -> NOBODY;
            };
        }
    }

    private static final String L = "'" + LEARNER + "'";
    private static final String EXPIRES = "now() + interval '1 day'";

    private static final List<Spec> SPECS = List.of(
            new Spec("organizations", "id = '" + ORG_A + "'", "(name) VALUES ('Intruder Org')", "name = 'Renamed'", IN_ORG_A, NOBODY),
            new Spec("users", "id = " + L, "(email, organization_id) VALUES ('new@a.test', '" + ORG_A + "')",
                    "organization_id = '" + ORG_B + "'", SEE_THE_LEARNER, NOBODY),
            new Spec("user_roles", "user_id = " + L, "(user_id, role) VALUES (" + L + ", 'org_admin')", "role = 'platform_admin'",
                    SEE_THE_LEARNER, NOBODY),
            new Spec("courses", "id = '" + COURSE + "'", "(name, organization_id) VALUES ('Sneaky', '" + ORG_A + "')",
                    "trainer_id = " + L, IN_ORG_A, NOBODY),
            new Spec("enrollments", "user_id = " + L, "(user_id, course_id, progress_percent) VALUES (" + L + ", '" + OTHER_COURSE + "', 5)",
                    "progress_percent = 100", SEE_THE_LEARNER, NOBODY),
            new Spec("skills", "id = 'skill-react'", "(id, name) VALUES ('skill-new', 'New')", "name = 'Hacked'", EVERYBODY, NOBODY),
            new Spec("user_skills", "user_id = " + L, "(user_id, skill_id, mastery_level) VALUES (" + L + ", 'skill-java', 99)",
                    "mastery_level = 100", SEE_THE_LEARNER, NOBODY),
            new Spec("learner_velocity_analytics", "user_id = " + L,
                    "(user_id, current_pace, target_pace, trend_direction, trend_percentage, status, expires_at) VALUES (" + L
                            + ", 9, 9, 'accelerating', 50, 'ahead', " + EXPIRES + ")",
                    "current_pace = 99", SEE_THE_LEARNER, NOBODY),
            new Spec("skill_gap_analytics", "user_id = " + L,
                    "(user_id, total_gaps, critical_gaps, gaps, expires_at) VALUES (" + L + ", 0, 0, '[]', " + EXPIRES + ")",
                    "total_gaps = 0, critical_gaps = 0", SEE_THE_LEARNER, NOBODY),
            new Spec("engagement_analytics", "user_id = " + L,
                    "(user_id, overall_score, trend, sessions_per_week, avg_session_duration, last_active, engagement_by_type, weekly_trend, expires_at)"
                            + " VALUES (" + L + ", 100, 'up', 9, 9, now(), '{}', '[]', " + EXPIRES + ")",
                    "overall_score = 100", SEE_THE_LEARNER, NOBODY),
            new Spec("mastery_analytics", "user_id = " + L,
                    "(user_id, mastered_skills, in_progress_skills, skills, mastery_distribution, expires_at) VALUES (" + L
                            + ", 99, 0, '[]', '{}', " + EXPIRES + ")",
                    "mastered_skills = 99", SEE_THE_LEARNER, NOBODY),
            new Spec("performance_analytics", "user_id = " + L,
                    "(user_id, avg_score, trend, assessments_taken, pass_rate, performance_by_skill, recent_scores, expires_at) VALUES ("
                            + L + ", 100, 'up', 1, 100, '{}', '[]', " + EXPIRES + ")",
                    "avg_score = 100", SEE_THE_LEARNER, NOBODY),
            new Spec("content_effectiveness_analytics", "user_id = " + L,
                    "(user_id, most_effective, least_effective, recommendations, expires_at) VALUES (" + L + ", '[]', '[]', '[]', " + EXPIRES + ")",
                    "recommendations = '[\"cheat\"]'", SEE_THE_LEARNER, NOBODY),
            new Spec("user_points", "user_id = " + L, "(user_id, total_points) VALUES (" + L + ", 1000000)",
                    "total_points = 1000000", SEE_THE_LEARNER, NOBODY),
            new Spec("point_transactions", "user_id = " + L, "(user_id, points, activity_type) VALUES (" + L + ", 1000000, 'self_award')",
                    "points = 1000000", SEE_THE_LEARNER, NOBODY),
            new Spec("learning_events", "user_id = " + L,
                    "(event_id, user_id, verb, object_id, object_type, occurred_at) VALUES (gen_random_uuid(), " + L + ", 'mastered', 'x', 'quiz', now())",
                    "score_scaled = 1", SEE_THE_LEARNER, NOBODY),
            new Spec("course_skills", "course_id = '" + COURSE + "'", "(course_id, skill_id) VALUES ('" + COURSE + "', 'skill-sql')",
                    "required_level = 1", IN_ORG_A, NOBODY),
            new Spec("achievements", "id = 'first-course'", "(id, name, description, icon, tier, criteria) VALUES ('mine', 'x', 'x', 'x', 'elite', '{}')",
                    "criteria = '{}'", EVERYBODY, NOBODY),
            new Spec("user_achievements", "user_id = " + L, "(user_id, achievement_id) VALUES (" + L + ", 'points-50000')",
                    "achievement_id = 'points-50000'", SEE_THE_LEARNER, NOBODY),
            new Spec("daily_activity", "user_id = " + L, "(user_id, date, last_activity_at) VALUES (" + L + ", DATE '2000-01-01', now())",
                    "date = DATE '2000-01-01'", SEE_THE_LEARNER, NOBODY),
            new Spec("predictive_analytics_cache", "user_id = " + L,
                    "(user_id, analytics_type, data, expires_at) VALUES (" + L + ", 'forecast', '{}', " + EXPIRES + ")",
                    "data = '{\"risk\": 0}'", SEE_THE_LEARNER, NOBODY),
            new Spec("activity_rules", "activity_type = 'lesson_completed'",
                    "(activity_type, points, self_reportable) VALUES ('free_points', 1000, true)", "points = 1000000",
                    EVERYBODY, NOBODY),
            new Spec("level_curve", "id", "(id, kind) VALUES (false, 'linear')", "base_points = 1", EVERYBODY, NOBODY),
            new Spec("leaderboard_refreshes", "board = 'weekly'", "(board, refreshed_at) VALUES ('monthly', now())",
                    "refreshed_at = now() + interval '1 year'", EVERYBODY, NOBODY),
            // The pseudonym salt must stay secret: nobody reads it but the definer functions.
            new Spec("leaderboard_settings", "id", "(id) VALUES (false)", "pseudonym_salt = 'known'", NOBODY, NOBODY),
            // The weekly and monthly boards and their pending deltas (V044): read only through the definer functions (R__230).
            new Spec("leaderboard_weekly", "user_id = " + L, "(organization_id, user_id, points) VALUES ('" + ORG_B + "', " + L + ", 1000000)",
                    "points = 1000000", NOBODY, NOBODY),
            new Spec("leaderboard_monthly", "user_id = " + L, "(organization_id, user_id, points) VALUES ('" + ORG_B + "', " + L + ", 1000000)",
                    "points = 1000000", NOBODY, NOBODY),
            new Spec("leaderboard_point_deltas", "user_id = " + L, "(user_id, points, \"timestamp\") VALUES (" + L + ", 1000000, now())",
                    "points = 1000000", NOBODY, NOBODY),
            // Lifecycle bookkeeping (V037): moved only by the definer functions of the jobs.
            new Spec("ledger_horizons", "id", "(id) VALUES (false)", "archived_before = 'infinity'", NOBODY, NOBODY),
            // Idempotency keys are bookkeeping of the service: only platform admins may look.
            new Spec("award_keys", "user_id = " + L, "(idempotency_key, user_id, request_hash) VALUES ('forged', " + L + ", 'x')",
                    "result = '{}'", EnumSet.of(Actor.PLATFORM_ADMIN), NOBODY),
            // Published aggregates hold members' ids and values: read only through the org-scoped functions (R__260).
            new Spec("peer_comparison_published", "organization_id = '" + ORG_A + "'",
                    "(organization_id, competency_level, published, learners, velocity_learners, score_learners, members, values_as_of,"
                            + " checked_at) VALUES ('" + ORG_B + "', 'advanced', true, 10, 0, 0, '{}', now(), now())",
                    "avg_velocity = 999", NOBODY, NOBODY),
            new Spec("skill_demand_published", "scope = 'platform'",
                    "(scope, skill_id, month, published, learners, mean_mastery, members, values_as_of, checked_at)"
                            + " VALUES ('platform', 'skill-java', DATE '2000-01-01', true, 10, 1, '{}', now(), now())",
                    "mean_mastery = 100", NOBODY, NOBODY),
            new Spec("aggregate_refreshes", "aggregate = 'skill_demand'", "(aggregate, refreshed_at) VALUES ('forged', now())",
                    "refreshed_at = now() + interval '1 year'", NOBODY, NOBODY),
            // Erasure receipts are the service's evidence: no user reads or writes them.
            new Spec("erasure_receipts", "refreshed = '{}'", "(deleted_rows, redacted_rows, refreshed) VALUES ('{}', '{}', '{forged}')",
                    "deleted_rows = '{\"users\": 0}'", NOBODY, NOBODY),
            // The jobs' tables are the service's: no user reads or writes them.
            new Spec("scheduled_tasks", "task_name = 'refresh-leaderboards'",
                    "(task_name, task_instance, execution_time, picked, version) VALUES ('forged', 'recurring', now(), false, 1)",
                    "execution_time = now() + interval '1 year'", NOBODY, NOBODY),
            new Spec("job_runs", "job_name = 'refresh-leaderboards'",
                    "(job_name, instance, trigger, started_at, finished_at, duration_ms, outcome) VALUES ('forged', 'x', 'manual', now(),"
                            + " now(), 0, 'succeeded')",
                    "outcome = 'failed', error = 'forged'", NOBODY, NOBODY),
            // The one table users write: only their own row. (The insert hits the learner's
            // existing row and does nothing; what matters is whether the policy lets it through.)
            new Spec("user_preferences", "user_id = " + L,
                    "(user_id, leaderboard_privacy) VALUES (" + L + ", 'hidden') ON CONFLICT (user_id) DO NOTHING",
                    "leaderboard_privacy = CASE leaderboard_privacy WHEN 'public' THEN 'anonymous' ELSE 'public' END",
                    SEE_THE_LEARNER, EnumSet.of(Actor.LEARNER_SELF)));

    private static TestDatabase database;
    private static Connection app;
    /** Re-reads and moves as administrator, on one connection (autocommit): a connection per check was most of the time. */
    private static Connection admin;

    @BeforeAll
    static void arrange(TestDatabase testDatabase) throws SQLException {
        database = testDatabase;
        TenancyFixture.arrange(testDatabase);
        app = testDatabase.connectAsApp();
        app.setAutoCommit(false);
        admin = testDatabase.connect();
        try (Statement sql = admin.createStatement()) { // a published row of each aggregate to try to read
            sql.execute("SELECT analytics.refresh_leaderboards()"); // the learner's board rows, and a delta pending
            sql.execute("INSERT INTO analytics.point_transactions (user_id, points, activity_type) VALUES ('" + LEARNER + "', 1, 'lesson_completed')");
            sql.execute("INSERT INTO analytics.peer_comparison_published (organization_id, competency_level, published, learners,"
                    + " velocity_learners, avg_velocity, score_learners, members, values_as_of, checked_at) VALUES ('" + ORG_A
                    + "', 'intermediate', true, 10, 10, 5, 0, '{}', now(), now())");
            sql.execute("INSERT INTO analytics.skill_demand_published (scope, skill_id, month, published, learners, mean_mastery, members,"
                    + " values_as_of, checked_at) VALUES ('platform', 'skill-react', DATE '2026-01-01', true, 10, 50, '{}', now(), now())");
            sql.execute("INSERT INTO analytics.erasure_receipts (deleted_rows, redacted_rows, refreshed) VALUES ('{\"users\": 1}', '{}', '{}')");
            sql.execute("INSERT INTO analytics.scheduled_tasks (task_name, task_instance, execution_time, picked, version)"
                    + " VALUES ('refresh-leaderboards', 'recurring', now(), false, 1)");
            sql.execute("INSERT INTO analytics.job_runs (job_name, instance, trigger, started_at, finished_at, duration_ms, outcome)"
                    + " VALUES ('refresh-leaderboards', 'test', 'manual', now(), now(), 0, 'succeeded')");
        }
    }

    @AfterAll
    static void close() throws SQLException {
        app.close();
        admin.close();
    }

    @Test
    void the_matrix_covers_every_table_with_row_level_security() throws SQLException {
        Set<String> tables = new TreeSet<>();
        try (Connection admin = database.connect(); Statement sql = admin.createStatement();
             ResultSet rs = sql.executeQuery("SELECT relname FROM pg_class WHERE relnamespace = 'analytics'::regnamespace"
                     + " AND relkind IN ('r', 'p') AND relrowsecurity AND NOT relispartition")) { // partitions: reached through their parent
            while (rs.next()) tables.add(rs.getString(1));
        }
        assertThat(SPECS.stream().map(Spec::table)).containsExactlyInAnyOrderElementsOf(tables);
    }

    @TestFactory
    Stream<DynamicContainer> every_table_every_caller_every_operation() {
        return SPECS.stream().map(spec -> DynamicContainer.dynamicContainer(spec.table(),
                Stream.of(Operation.values()).flatMap(operation -> Stream.of(Actor.values()).map(actor -> {
                    boolean allowed = spec.allowed(operation).contains(actor);
                    String name = actor + (allowed ? " may " : " may not ") + operation.name().toLowerCase(Locale.ROOT);
                    return DynamicTest.dynamicTest(name, () -> check(spec, actor, operation, allowed));
                }))));
    }

    /**
     * A change of organization or role that the course service does not hear of: the course
     * still names the trainer. Who may then read the learner's rows (and the course)?
     */
    record Move(String name, String apply, String undo, Set<Actor> seeTheLearner, Set<Actor> seeTheCourse) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static final List<Move> MOVES = List.of(
            new Move("the trainer moved to organization B",
                    "UPDATE analytics.users SET organization_id = '" + ORG_B + "' WHERE id = '" + TRAINER + "'",
                    "UPDATE analytics.users SET organization_id = '" + ORG_A + "' WHERE id = '" + TRAINER + "'",
                    EnumSet.of(Actor.LEARNER_SELF, Actor.ORG_ADMIN_SAME_ORG, Actor.PLATFORM_ADMIN),
                    EnumSet.of(Actor.LEARNER_SELF, Actor.LEARNER_OTHER, Actor.TRAINER_OF_SOMEONE_ELSE, Actor.ORG_ADMIN_SAME_ORG,
                            Actor.PLATFORM_ADMIN)),
            new Move("the learner moved to organization B",
                    "UPDATE analytics.users SET organization_id = '" + ORG_B + "' WHERE id = '" + LEARNER + "'",
                    "UPDATE analytics.users SET organization_id = '" + ORG_A + "' WHERE id = '" + LEARNER + "'",
                    EnumSet.of(Actor.LEARNER_SELF, Actor.ORG_ADMIN_OTHER_ORG, Actor.PLATFORM_ADMIN),
                    EnumSet.of(Actor.LEARNER_OTHER, Actor.TRAINER_OF_THE_LEARNER, Actor.TRAINER_OF_SOMEONE_ELSE,
                            Actor.ORG_ADMIN_SAME_ORG, Actor.PLATFORM_ADMIN)),
            new Move("the trainer lost the trainer role",
                    "DELETE FROM analytics.user_roles WHERE user_id = '" + TRAINER + "' AND role = 'trainer'",
                    "INSERT INTO analytics.user_roles (user_id, role) VALUES ('" + TRAINER + "', 'trainer')",
                    EnumSet.of(Actor.LEARNER_SELF, Actor.ORG_ADMIN_SAME_ORG, Actor.PLATFORM_ADMIN),
                    IN_ORG_A));

    @TestFactory
    Stream<DynamicContainer> after_a_move_only_the_new_organization_sees_across_it() {
        return MOVES.stream().map(move -> DynamicContainer.dynamicContainer(move.name(),
                SPECS.stream().filter(spec -> spec.readers() == SEE_THE_LEARNER || spec.table().equals("courses"))
                        .map(spec -> DynamicTest.dynamicTest(spec.table(), () -> {
                            Set<Actor> readers = spec.table().equals("courses") ? move.seeTheCourse() : move.seeTheLearner();
                            adminExecute(move.apply());
                            try {
                                for (Actor actor : Actor.values()) {
                                    check(spec, actor, Operation.SELECT, readers.contains(actor));
                                }
                            } finally {
                                adminExecute(move.undo());
                            }
                        }))));
    }

    private static void adminExecute(String statement) throws SQLException {
        try (Statement sql = admin.createStatement()) {
            sql.execute(statement);
        }
    }

    private static void check(Spec spec, Actor actor, Operation operation, boolean expectAllowed) throws SQLException {
        String table = "analytics." + spec.table();
        String before = admin("SELECT md5(coalesce(string_agg(t::text, ',' ORDER BY t::text), '')) || count(*) FROM " + table + " t WHERE " + spec.target());
        String rowsBefore = admin("SELECT count(*) FROM " + table);

        boolean allowed = switch (operation) {
            case SELECT -> runAs(actor, sql -> {
                try (ResultSet rs = sql.executeQuery("SELECT count(*) FROM " + table + " WHERE " + spec.target())) {
                    rs.next();
                    return rs.getInt(1) > 0;
                }
            });
            case INSERT -> runAs(actor, sql -> sql.executeUpdate("INSERT INTO " + table + " " + spec.insert()) >= 0);
            case UPDATE -> runAs(actor, sql -> sql.executeUpdate("UPDATE " + table + " SET " + spec.update() + " WHERE " + spec.target()) > 0);
            case DELETE -> runAs(actor, sql -> sql.executeUpdate("DELETE FROM " + table + " WHERE " + spec.target()) > 0);
        };

        assertThat(allowed).as("%s %s %s", actor, operation, spec.table()).isEqualTo(expectAllowed);
        String after = admin("SELECT md5(coalesce(string_agg(t::text, ',' ORDER BY t::text), '')) || count(*) FROM " + table + " t WHERE " + spec.target());
        if (!allowed || operation == Operation.SELECT || operation == Operation.INSERT) {
            assertThat(after).as("target rows of %s after a denied %s (re-read as administrator)", spec.table(), operation).isEqualTo(before);
        }
        if (!allowed && operation == Operation.INSERT) {
            assertThat(admin("SELECT count(*) FROM " + table)).as("rows of %s after a denied insert", spec.table()).isEqualTo(rowsBefore);
        }
    }

    interface Work {
        boolean run(Statement sql) throws SQLException;
    }

    /** One transaction as {@code actor}; a permission or policy error (42501) counts as denied. */
    private static boolean runAs(Actor actor, Work work) throws SQLException {
        try (Statement sql = app.createStatement()) {
            if (actor.userId != null) {
                sql.execute("SELECT set_config('request.jwt.claims', '{\"sub\": \"" + actor.userId + "\"}', true)");
            }
            sql.execute("SET LOCAL ROLE " + actor.subjectRole());
            boolean result = work.run(sql);
            app.commit();
            return result;
        } catch (SQLException e) {
            app.rollback();
            if ("42501".equals(e.getSQLState())) return false;
            throw e;
        }
    }

    private static String admin(String query) throws SQLException {
        try (Statement sql = admin.createStatement(); ResultSet rs = sql.executeQuery(query)) {
            rs.next();
            return rs.getString(1);
        }
    }

    static List<String> tables() {
        List<String> names = new ArrayList<>();
        SPECS.forEach(spec -> names.add(spec.table()));
        return names;
    }
}
