package org.learninganalytics.db.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;
import org.learninganalytics.db.AnalyticsDb;
import org.learninganalytics.db.testing.FreshDatabase;
import org.learninganalytics.db.testing.TestDatabase;

/**
 * The migrated schema is the seed's (shared/seed/database-architecture.md): this test holds
 * its own copy of the seed's tables, columns, foreign keys, unique constraints and indexes, so
 * a drift on either side fails here.
 */
@FreshDatabase
class SeedSchemaPgTest {

    /** table -> column -> "type NULL|NOT NULL [default]" as the seed's Prisma model says. */
    private static final Map<String, Map<String, String>> COLUMNS = new LinkedHashMap<>();

    static {
        table("organizations",
                "id", "uuid NOT NULL gen_random_uuid()", "name", "text NOT NULL", "domain", "text NULL",
                "settings", "jsonb NULL", "created_at", "timestamptz NOT NULL now()");
        table("users",
                "id", "uuid NOT NULL gen_random_uuid()", "email", "text NOT NULL",
                "password_hash", "text NULL", // deliberate: see V001
                "full_name", "text NULL", "avatar_url", "text NULL", "organization_id", "uuid NULL",
                "created_at", "timestamptz NOT NULL now()", "updated_at", "timestamptz NOT NULL now()");
        table("user_roles",
                "id", "uuid NOT NULL gen_random_uuid()", "user_id", "uuid NOT NULL", "role", "text NOT NULL",
                "granted_at", "timestamptz NOT NULL now()");
        table("courses",
                "id", "uuid NOT NULL gen_random_uuid()", "name", "text NOT NULL", "description", "text NULL",
                "organization_id", "uuid NULL", "trainer_id", "uuid NULL", "created_at", "timestamptz NOT NULL now()",
                "expected_weeks", "integer NOT NULL 12"); // not in the seed: V019
        table("enrollments",
                "id", "uuid NOT NULL gen_random_uuid()", "user_id", "uuid NOT NULL", "course_id", "uuid NOT NULL",
                "enrolled_at", "timestamptz NOT NULL now()", "completed_at", "timestamptz NULL",
                "progress_percent", "numeric(5,2) NOT NULL");
        table("skills", "id", "text NOT NULL", "name", "text NOT NULL", "domain", "text NULL", "level", "text NULL");
        table("user_skills",
                "id", "uuid NOT NULL gen_random_uuid()", "user_id", "uuid NOT NULL", "skill_id", "text NOT NULL",
                "mastery_level", "numeric(5,2) NOT NULL", "last_assessed_at", "timestamptz NULL");
        // V025: the seed's result columns are NULL on insufficient_data rows (a CHECK requires them on ok rows); every
        // analytics table adds result_status, data and the inputs' window (V025's header).
        String[] v025 = {"result_status", "text NOT NULL 'ok'::text", "data", "jsonb NOT NULL '{}'::jsonb",
                "window_start", "timestamptz NULL", "window_end", "timestamptz NULL"};
        table("learner_velocity_analytics", with(v025,
                "id", "uuid NOT NULL gen_random_uuid()", "user_id", "uuid NOT NULL",
                "current_pace", "numeric(5,2) NULL", "target_pace", "numeric(5,2) NULL",
                "trend_direction", "text NULL", "trend_percentage", "numeric(5,2) NULL",
                "status", "text NULL", "estimated_completion", "timestamptz NULL",
                "calculated_at", "timestamptz NOT NULL now()", "expires_at", "timestamptz NOT NULL"));
        table("skill_gap_analytics", with(v025,
                "id", "uuid NOT NULL gen_random_uuid()", "user_id", "uuid NOT NULL", "total_gaps", "integer NULL",
                "critical_gaps", "integer NULL", "gaps", "jsonb NULL", "top_priority", "jsonb NULL",
                "calculated_at", "timestamptz NOT NULL now()", "expires_at", "timestamptz NOT NULL"));
        table("engagement_analytics", with(v025,
                "id", "uuid NOT NULL gen_random_uuid()", "user_id", "uuid NOT NULL", "overall_score", "integer NULL",
                "trend", "text NULL", "sessions_per_week", "numeric(5,2) NULL",
                "avg_session_duration", "integer NULL", "last_active", "timestamptz NULL",
                "engagement_by_type", "jsonb NULL", "weekly_trend", "jsonb NULL",
                "calculated_at", "timestamptz NOT NULL now()", "expires_at", "timestamptz NOT NULL"));
        table("mastery_analytics", with(v025,
                "id", "uuid NOT NULL gen_random_uuid()", "user_id", "uuid NOT NULL", "mastered_skills", "integer NULL",
                "in_progress_skills", "integer NULL", "skills", "jsonb NULL", "mastery_distribution", "jsonb NULL",
                "calculated_at", "timestamptz NOT NULL now()", "expires_at", "timestamptz NOT NULL"));
        table("performance_analytics", with(v025,
                "id", "uuid NOT NULL gen_random_uuid()", "user_id", "uuid NOT NULL", "avg_score", "numeric(5,2) NULL",
                "trend", "text NULL", "assessments_taken", "integer NULL", "pass_rate", "numeric(5,2) NULL",
                "performance_by_skill", "jsonb NULL", "recent_scores", "jsonb NULL",
                "calculated_at", "timestamptz NOT NULL now()", "expires_at", "timestamptz NOT NULL"));
        table("content_effectiveness_analytics", with(v025,
                "id", "uuid NOT NULL gen_random_uuid()", "user_id", "uuid NOT NULL", "most_effective", "jsonb NULL",
                "least_effective", "jsonb NULL", "recommendations", "jsonb NULL",
                "calculated_at", "timestamptz NOT NULL now()", "expires_at", "timestamptz NOT NULL"));
        table("user_points",
                "user_id", "uuid NOT NULL", "total_points", "integer NOT NULL 0", "current_level", "integer NOT NULL 1",
                "current_streak", "integer NOT NULL 0", "longest_streak", "integer NOT NULL 0",
                "updated_at", "timestamptz NOT NULL now()",
                "last_activity_date", "date NULL"); // addition (V007): the streak's last local day
        table("point_transactions",
                "id", "uuid NOT NULL gen_random_uuid()", "user_id", "uuid NOT NULL", "points", "integer NOT NULL",
                "activity_type", "text NOT NULL", "metadata", "jsonb NULL", "timestamp", "timestamptz NOT NULL now()");
        table("achievements",
                "id", "text NOT NULL", "name", "text NOT NULL", "description", "text NOT NULL", "icon", "text NOT NULL",
                "tier", "text NOT NULL", "criteria", "jsonb NOT NULL");
        table("user_achievements",
                "id", "uuid NOT NULL gen_random_uuid()", "user_id", "uuid NOT NULL", "achievement_id", "text NOT NULL",
                "earned_at", "timestamptz NOT NULL now()");
        table("daily_activity",
                "id", "uuid NOT NULL gen_random_uuid()", "user_id", "uuid NOT NULL", "date", "date NOT NULL",
                "last_activity_at", "timestamptz NOT NULL");
        table("predictive_analytics_cache",
                "id", "uuid NOT NULL gen_random_uuid()", "user_id", "uuid NOT NULL", "analytics_type", "text NOT NULL",
                "data", "jsonb NOT NULL", "confidence_score", "numeric(5,2) NULL",
                "calculated_at", "timestamptz NOT NULL now()", "expires_at", "timestamptz NOT NULL");
        table("user_preferences",
                "user_id", "uuid NOT NULL", "leaderboard_privacy", "text NOT NULL 'public'::text",
                "predictive_analytics_enabled",
                // jsonb stores keys shortest first
                "jsonb NOT NULL '{\"dropOffRisk\": true, \"forecasting\": true, \"recommendations\": true}'::jsonb",
                "notification_preferences", "jsonb NULL", "updated_at", "timestamptz NOT NULL now()",
                "time_zone", "text NOT NULL 'UTC'::text", // addition (V007): streaks count local days
                "time_zone_changed_at", "timestamptz NULL"); // addition (V011): one change per 7 days
        // not in the seed: V019
        table("learning_events",
                "event_id", "uuid NOT NULL", "user_id", "uuid NOT NULL", "verb", "text NOT NULL", "object_id", "text NOT NULL",
                "object_type", "text NOT NULL", "course_id", "uuid NULL", "skill_id", "text NULL", "score_scaled", "numeric(5,4) NULL",
                "success", "boolean NULL", "completion", "boolean NULL", "duration_seconds", "integer NULL",
                "progress_percent", "numeric(5,2) NULL", "occurred_at", "timestamptz NOT NULL", "stored_at", "timestamptz NOT NULL now()",
                "context", "jsonb NULL");
        table("course_skills", "course_id", "uuid NOT NULL", "skill_id", "text NOT NULL", "required_level", "numeric(5,2) NOT NULL 80");

        // Additions beyond the seed (V007): what awarding points needs.
        table("activity_rules",
                "activity_type", "text NOT NULL", "points", "integer NOT NULL", "self_reportable", "boolean NOT NULL false",
                "max_per_window", "integer NULL", "window_seconds", "integer NULL", "min_spacing_seconds", "integer NULL",
                "max_per_local_day", "integer NULL"); // V010: a cap per day of the learner's calendar
        table("level_curve", "id", "boolean NOT NULL true", "kind", "text NOT NULL 'progressive'::text",
                "base_points", "integer NOT NULL 100");
        // Additions (V008): leaderboard bookkeeping.
        table("leaderboard_refreshes", "board", "text NOT NULL", "refreshed_at", "timestamptz NOT NULL",
                "period_start", "timestamptz NULL"); // V044: the period the board holds
        // Additions (V044): the weekly and monthly boards as tables (the seed's views), and their pending deltas.
        table("leaderboard_weekly", "organization_id", "uuid NOT NULL", "user_id", "uuid NOT NULL", "points", "bigint NOT NULL");
        table("leaderboard_monthly", "organization_id", "uuid NOT NULL", "user_id", "uuid NOT NULL", "points", "bigint NOT NULL");
        table("leaderboard_point_deltas", "user_id", "uuid NOT NULL", "points", "integer NULL", "timestamp", "timestamptz NOT NULL");
        table("leaderboard_settings", "id", "boolean NOT NULL true",
                "pseudonym_salt", "text NOT NULL md5(((random())::text || (clock_timestamp())::text))");
        table("award_keys", "idempotency_key", "text NOT NULL", "user_id", "uuid NOT NULL", "request_hash", "text NOT NULL",
                "result", "jsonb NULL", "created_at", "timestamptz NOT NULL now()");
        // Addition (V037): how far award keys expired and ledger months were archived.
        table("ledger_horizons", "id", "boolean NOT NULL true",
                "award_keys_expired_before", "timestamptz NOT NULL '-infinity'::timestamptz",
                "archived_before", "timestamptz NOT NULL '-infinity'::timestamptz");
        // Additions (V035): what the aggregates publish, and when they were refreshed.
        table("peer_comparison_published", "organization_id", "uuid NOT NULL", "competency_level", "text NOT NULL",
                "published", "boolean NOT NULL", "learners", "integer NOT NULL", "velocity_learners", "integer NOT NULL",
                "avg_velocity", "numeric(7,1) NULL", "median_velocity", "numeric(7,1) NULL", "score_learners", "integer NOT NULL",
                "avg_score", "numeric(5,0) NULL", "members", "text[] NOT NULL", "values_as_of", "timestamptz NOT NULL",
                "checked_at", "timestamptz NOT NULL");
        table("skill_demand_published", "scope", "text NOT NULL", "organization_id", "uuid NULL", "skill_id", "text NOT NULL",
                "month", "date NOT NULL", "published", "boolean NOT NULL", "learners", "integer NOT NULL",
                "mean_mastery", "numeric(5,1) NOT NULL", "members", "text[] NOT NULL", "values_as_of", "timestamptz NOT NULL",
                "checked_at", "timestamptz NOT NULL");
        table("aggregate_refreshes", "aggregate", "text NOT NULL", "refreshed_at", "timestamptz NOT NULL");
        // Addition (V042): receipts of erasures, without personal data.
        table("erasure_receipts", "id", "uuid NOT NULL gen_random_uuid()", "erased_at", "timestamptz NOT NULL now()",
                "deleted_rows", "jsonb NOT NULL", "redacted_rows", "jsonb NOT NULL", "refreshed", "text[] NOT NULL");
        // Additions (V040, V041): db-scheduler's table, and the history of job runs.
        table("scheduled_tasks", "task_name", "text NOT NULL", "task_instance", "text NOT NULL", "task_data", "bytea NULL",
                "execution_time", "timestamptz NOT NULL", "picked", "boolean NOT NULL", "picked_by", "text NULL",
                "last_success", "timestamptz NULL", "last_failure", "timestamptz NULL", "consecutive_failures", "integer NULL",
                "last_heartbeat", "timestamptz NULL", "version", "bigint NOT NULL", "priority", "smallint NULL");
        table("job_runs", "id", "bigint NOT NULL", "job_name", "text NOT NULL", "instance", "text NOT NULL", "trigger", "text NOT NULL",
                "scheduled_for", "timestamptz NULL", "started_at", "timestamptz NOT NULL", "finished_at", "timestamptz NOT NULL",
                "duration_ms", "bigint NOT NULL", "outcome", "text NOT NULL", "error", "text NULL");
    }

    /** "table(columns) -> referenced table ON DELETE action", from the seed's relations and ERD. */
    private static final List<String> FOREIGN_KEYS = List.of(
            "users(organization_id) -> organizations SET NULL",
            "user_roles(user_id) -> users CASCADE",
            "courses(organization_id) -> organizations SET NULL",
            "courses(trainer_id) -> users SET NULL",
            "enrollments(user_id) -> users RESTRICT",
            "enrollments(course_id) -> courses RESTRICT",
            "user_skills(user_id) -> users RESTRICT",
            "user_skills(skill_id) -> skills RESTRICT",
            "learner_velocity_analytics(user_id) -> users RESTRICT",
            "skill_gap_analytics(user_id) -> users RESTRICT",
            "engagement_analytics(user_id) -> users RESTRICT",
            "mastery_analytics(user_id) -> users RESTRICT",
            "performance_analytics(user_id) -> users RESTRICT",
            "content_effectiveness_analytics(user_id) -> users RESTRICT",
            "user_points(user_id) -> users CASCADE",
            "point_transactions(user_id) -> users RESTRICT",
            "user_achievements(user_id) -> users RESTRICT",
            "user_achievements(achievement_id) -> achievements RESTRICT",
            "daily_activity(user_id) -> users RESTRICT",
            "predictive_analytics_cache(user_id) -> users RESTRICT",
            "user_preferences(user_id) -> users RESTRICT",
            // not in the seed: V019
            "learning_events(user_id) -> users CASCADE",
            "learning_events(course_id) -> courses SET NULL",
            "learning_events(skill_id) -> skills SET NULL",
            "course_skills(course_id) -> courses CASCADE",
            "course_skills(skill_id) -> skills CASCADE",
            // V035: published aggregates go with their organization and skill
            "peer_comparison_published(organization_id) -> organizations CASCADE",
            "skill_demand_published(organization_id) -> organizations CASCADE",
            "skill_demand_published(skill_id) -> skills CASCADE");

    /** "table(columns)" of every unique constraint (@unique, @@unique). */
    private static final List<String> UNIQUE_CONSTRAINTS = List.of(
            "users(email)",
            "user_roles(user_id,role)",
            "enrollments(user_id,course_id)",
            "user_skills(user_id,skill_id)",
            "user_achievements(user_id,achievement_id)",
            "daily_activity(user_id,date)",
            "predictive_analytics_cache(user_id,analytics_type)");

    /** Every index of the seed's "Indexing Strategy" section (name: definition). */
    private static final Map<String, String> INDEXES = new TreeMap<>(Map.ofEntries(
            Map.entry("idx_users_organization", "users (organization_id)"),
            Map.entry("idx_user_roles_user", "user_roles (user_id)"),
            Map.entry("idx_enrollments_user", "enrollments (user_id)"),
            Map.entry("idx_enrollments_course", "enrollments (course_id)"),
            Map.entry("idx_user_skills_user", "user_skills (user_id)"),
            Map.entry("idx_user_skills_skill", "user_skills (skill_id)"),
            Map.entry("idx_learner_velocity_user", "learner_velocity_analytics (user_id)"),
            Map.entry("idx_learner_velocity_calculated", "learner_velocity_analytics (calculated_at DESC)"),
            Map.entry("idx_skill_gap_user", "skill_gap_analytics (user_id)"),
            Map.entry("idx_engagement_user", "engagement_analytics (user_id)"),
            Map.entry("idx_mastery_user", "mastery_analytics (user_id)"),
            Map.entry("idx_performance_user", "performance_analytics (user_id)"),
            Map.entry("idx_content_user", "content_effectiveness_analytics (user_id)"),
            // The seed's (user_id, "timestamp" DESC) with the row id last, for keyset pages of the ledger (V018).
            Map.entry("idx_point_transactions_user_time", "point_transactions (user_id, \"timestamp\" DESC, id DESC)"),
            Map.entry("idx_user_achievements_user", "user_achievements (user_id)"),
            Map.entry("idx_daily_activity_user_date", "daily_activity (user_id, date DESC)"),
            Map.entry("idx_users_org_created", "users (organization_id, created_at DESC)"),
            Map.entry("idx_user_points_points", "user_points (total_points DESC)")));

    /** The seed's columns followed by additions. */
    private static String[] with(String[] additions, String... seedColumnsAndTypes) {
        String[] all = java.util.Arrays.copyOf(seedColumnsAndTypes, seedColumnsAndTypes.length + additions.length);
        System.arraycopy(additions, 0, all, seedColumnsAndTypes.length, additions.length);
        return all;
    }

    private static void table(String name, String... columnsAndTypes) {
        Map<String, String> columns = new LinkedHashMap<>();
        for (int i = 0; i < columnsAndTypes.length; i += 2) {
            columns.put(columnsAndTypes[i], columnsAndTypes[i + 1]);
        }
        COLUMNS.put(name, columns);
    }

    @Test
    void every_seed_table_exists_with_its_columns_types_nullability_and_defaults(TestDatabase database) throws SQLException {
        Map<String, Map<String, String>> actual = new TreeMap<>();
        query(database, """
                SELECT c.relname, a.attname,
                       format_type(a.atttypid, a.atttypmod)
                         || CASE WHEN a.attnotnull THEN ' NOT NULL' ELSE ' NULL' END
                         || coalesce(' ' || pg_get_expr(d.adbin, d.adrelid), '')
                FROM pg_class c
                JOIN pg_namespace n ON n.oid = c.relnamespace
                JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
                LEFT JOIN pg_attrdef d ON d.adrelid = c.oid AND d.adnum = a.attnum
                WHERE n.nspname = 'analytics' AND c.relkind IN ('r', 'p') AND NOT c.relispartition AND c.relname <> 'flyway_schema_history'
                """, rs -> actual.computeIfAbsent(rs.getString(1), t -> new TreeMap<>())
                .put(rs.getString(2), rs.getString(3)
                        .replace("timestamp with time zone", "timestamptz")));

        Map<String, Map<String, String>> expected = new TreeMap<>();
        COLUMNS.forEach((table, columns) -> expected.put(table, new TreeMap<>(columns)));
        assertThat(actual).isEqualTo(expected);
    }

    @Test
    void every_foreign_key_exists_with_its_on_delete_action(TestDatabase database) throws SQLException {
        List<String> actual = new ArrayList<>();
        query(database, """
                SELECT c.conrelid::regclass::text, c.confrelid::regclass::text, c.confdeltype,
                       (SELECT string_agg(a.attname, ',' ORDER BY k.ord)
                          FROM unnest(c.conkey) WITH ORDINALITY k(attnum, ord)
                          JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum)
                FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace
                WHERE n.nspname = 'analytics' AND c.contype = 'f'
                  AND NOT (SELECT r.relispartition FROM pg_class r WHERE r.oid = c.conrelid) -- a partition repeats its parent's keys
                """, rs -> actual.add(unqualified(rs.getString(1)) + "(" + rs.getString(4) + ") -> "
                + unqualified(rs.getString(2)) + " " + switch (rs.getString(3)) {
                    case "a" -> "NO ACTION";
                    case "r" -> "RESTRICT";
                    case "c" -> "CASCADE";
                    case "n" -> "SET NULL";
                    default -> "SET DEFAULT";
                }));
        assertThat(actual).containsExactlyInAnyOrderElementsOf(FOREIGN_KEYS);
    }

    @Test
    void every_unique_constraint_exists(TestDatabase database) throws SQLException {
        List<String> actual = new ArrayList<>();
        query(database, """
                SELECT c.conrelid::regclass::text,
                       (SELECT string_agg(a.attname, ',' ORDER BY k.ord)
                          FROM unnest(c.conkey) WITH ORDINALITY k(attnum, ord)
                          JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum)
                FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace
                WHERE n.nspname = 'analytics' AND c.contype = 'u'
                """, rs -> actual.add(unqualified(rs.getString(1)) + "(" + rs.getString(2) + ")"));
        assertThat(actual).containsExactlyInAnyOrderElementsOf(UNIQUE_CONSTRAINTS);
    }

    @Test
    void every_index_of_the_indexing_strategy_exists(TestDatabase database) throws SQLException {
        Map<String, String> actual = new TreeMap<>();
        query(database, """
                SELECT indexname, regexp_replace(indexdef, '^CREATE INDEX \\S+ ON (?:ONLY )?analytics\\.(\\S+) USING btree ', '\\1 ')
                FROM pg_indexes WHERE schemaname = 'analytics'
                """, rs -> actual.put(rs.getString(1), rs.getString(2)));
        assertThat(actual).containsAllEntriesOf(INDEXES);
    }

    @Test
    void every_table_and_every_constraint_is_named_and_commented(TestDatabase database) throws SQLException {
        List<String> uncommented = new ArrayList<>();
        query(database, """
                SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = 'analytics' AND c.relkind IN ('r', 'p') AND NOT c.relispartition AND c.relname <> 'flyway_schema_history'
                  AND obj_description(c.oid, 'pg_class') IS NULL
                """, rs -> uncommented.add(rs.getString(1)));
        assertThat(uncommented).as("tables without COMMENT ON").isEmpty();

        List<String> unnamed = new ArrayList<>();
        query(database, """
                SELECT conname FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace
                WHERE n.nspname = 'analytics' AND c.contype IN ('p', 'f', 'u', 'c')
                  AND conname !~ '^(pk|fk|uq|ck)_' AND c.conrelid <> 'analytics.flyway_schema_history'::regclass
                  AND NOT (SELECT r.relispartition FROM pg_class r WHERE r.oid = c.conrelid) -- named by PostgreSQL, after the parent's
                """, rs -> unnamed.add(rs.getString(1)));
        assertThat(unnamed).as("constraints without a pk_/fk_/uq_/ck_ name").isEmpty();
    }

    @Test
    void nothing_is_created_in_the_public_schema(TestDatabase database) throws SQLException {
        List<String> inPublic = new ArrayList<>();
        query(database, """
                SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = 'public'
                """, rs -> inPublic.add(rs.getString(1)));
        assertThat(inPublic).isEmpty();
    }

    @Test
    void reference_data_is_present_once_after_migrating_again(TestDatabase database) throws SQLException {
        try (AnalyticsDb db = database.adminAnalyticsDb()) {
            assertThat(db.migrate()).as("nothing left to apply").isZero();
        }
        // Re-run the repeatable migration's statements by hand: the upserts must not duplicate.
        String referenceData = readReferenceData();
        try (Connection connection = database.connect(); Statement statement = connection.createStatement()) {
            statement.execute("SET search_path = analytics");
            statement.execute(referenceData);
            statement.execute(referenceData);
        }
        Map<String, Integer> counts = new TreeMap<>();
        query(database, "SELECT tier, count(*) FROM analytics.achievements GROUP BY tier",
                rs -> counts.put(rs.getString(1), rs.getInt(2)));
        assertThat(counts.keySet()).containsExactly("advanced", "beginner", "elite", "intermediate");
        assertThat(counts.values().stream().mapToInt(Integer::intValue).sum()).isGreaterThanOrEqualTo(10);

        List<Integer> duplicates = new ArrayList<>();
        query(database, "SELECT count(*) - count(DISTINCT id) FROM analytics.achievements", rs -> duplicates.add(rs.getInt(1)));
        query(database, "SELECT count(*) - count(DISTINCT id) FROM analytics.skills", rs -> duplicates.add(rs.getInt(1)));
        assertThat(duplicates).containsOnly(0);

        TreeSet<String> domains = new TreeSet<>();
        List<Integer> skillCount = new ArrayList<>();
        query(database, "SELECT domain FROM analytics.skills", rs -> domains.add(rs.getString(1)));
        query(database, "SELECT count(*) FROM analytics.skills", rs -> skillCount.add(rs.getInt(1)));
        assertThat(skillCount.get(0)).isGreaterThanOrEqualTo(20);
        assertThat(domains).hasSizeGreaterThanOrEqualTo(4).contains("frontend", "backend");
        List<String> seedSkills = new ArrayList<>();
        query(database, "SELECT id FROM analytics.skills WHERE id IN ('skill-react', 'skill-node')", rs -> seedSkills.add(rs.getString(1)));
        assertThat(seedSkills).containsExactlyInAnyOrder("skill-react", "skill-node");
    }

    @Test
    void every_achievement_has_machine_readable_criteria(TestDatabase database) throws SQLException {
        List<String> bad = new ArrayList<>();
        query(database, """
                SELECT id FROM analytics.achievements
                WHERE criteria = '{}'::jsonb
                   OR NOT (criteria ?| array['coursesCompleted', 'totalPoints', 'streakDays', 'skillsMastered', 'activityCount'])
                """, rs -> bad.add(rs.getString(1)));
        assertThat(bad).isEmpty();
        List<String> firstCourse = new ArrayList<>();
        query(database, "SELECT criteria::text FROM analytics.achievements WHERE id = 'first-course'", rs -> firstCourse.add(rs.getString(1)));
        assertThat(firstCourse).containsExactly("{\"coursesCompleted\": 1}");
    }

    private static String readReferenceData() {
        try (var in = SeedSchemaPgTest.class.getResourceAsStream("/db/migration/analytics/R__100_reference_data.sql")) {
            assertThat(in).as("reference data migration on the classpath").isNotNull();
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String unqualified(String name) {
        return name.startsWith("analytics.") ? name.substring("analytics.".length()) : name;
    }

    interface RowHandler {
        void handle(ResultSet rs) throws SQLException;
    }

    private static void query(TestDatabase database, String sql, RowHandler handler) throws SQLException {
        try (Connection connection = database.connect(); Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery(sql)) {
            while (rs.next()) handler.handle(rs);
        }
    }
}
