package org.learninganalytics.db.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.learninganalytics.db.AnalyticsDb;
import org.learninganalytics.db.AnalyticsDbException;
import org.learninganalytics.db.gamification.Award;
import org.learninganalytics.db.leaderboard.Board;
import org.learninganalytics.db.leaderboard.LeaderboardEntry;
import org.learninganalytics.db.predictions.PredictionType;
import org.learninganalytics.db.tenancy.Principal;
import org.learninganalytics.db.testing.FreshDatabase;
import org.learninganalytics.db.testing.TestDatabase;

/**
 * The right to be forgotten and of access. {@code erased} has rows in every table that can
 * hold a user's rows (ledger, archive, events, the six analytics, predictions, achievements,
 * preferences, award keys, skills, enrollments, a course they train), is first on the weekly
 * and monthly boards and a member of published peer and skill demand cells, and is mentioned
 * in rows of another learner. Ten peers in the same organization make the aggregates publish.
 * The tests run in order: export and the failed erasure see everything still there.
 */
@FreshDatabase
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ErasurePgTest {

    private static AnalyticsDb db;
    private static Connection admin;

    private static final UUID ORG = UUID.randomUUID();
    private static final UUID erased = UUID.randomUUID();
    private static final UUID trainer = UUID.randomUUID();
    private static final List<UUID> peers = new ArrayList<>();
    private static final UUID COURSE = UUID.randomUUID();
    private static final UUID TRAINED_BY_ERASED = UUID.randomUUID();

    @BeforeAll
    static void arrange(TestDatabase database) throws SQLException {
        db = database.analyticsDb();
        admin = database.connect();
        sql("SET search_path = analytics");
        sql("INSERT INTO organizations (id, name) VALUES ('" + ORG + "', 'Erasure Org')");
        user(trainer, "trainer");
        sql("INSERT INTO courses (id, name, organization_id, trainer_id) VALUES ('" + COURSE + "', 'Course', '" + ORG + "', '" + trainer + "')");
        user(erased, "learner");
        sql("INSERT INTO user_roles (user_id, role) VALUES ('" + erased + "', 'trainer')");
        sql("INSERT INTO courses (id, name, organization_id, trainer_id) VALUES ('" + TRAINED_BY_ERASED + "', 'Theirs', '" + ORG + "', '"
                + erased + "')");
        for (int i = 0; i < 10; i++) {
            UUID peer = UUID.randomUUID();
            user(peer, "learner");
            peers.add(peer);
        }
        List<UUID> learners = new ArrayList<>(peers);
        learners.add(erased);
        for (UUID learner : learners) {
            sql("INSERT INTO enrollments (user_id, course_id, enrolled_at, progress_percent) VALUES ('" + learner + "', '" + COURSE
                    + "', now() - interval '20 days', 40)");
            sql("INSERT INTO user_skills (user_id, skill_id, mastery_level, last_assessed_at) VALUES ('" + learner
                    + "', 'skill-react', 50, now())");
            for (int day = 1; day <= 5; day++) {
                sql("INSERT INTO learning_events (event_id, user_id, verb, object_id, object_type, course_id, skill_id, score_scaled,"
                        + " progress_percent, duration_seconds, occurred_at, context) VALUES (gen_random_uuid(), '" + learner
                        + "', 'passed', 'quiz-1', 'quiz', '" + COURSE + "', 'skill-react', 0." + (60 + day) + ", " + (day * 8) + ", 600,"
                        + " greatest(date_trunc('month', now()), now() - interval '" + day + " hours'), '{\"device\": \"web\"}')");
            }
        }
        sql("INSERT INTO user_preferences (user_id, leaderboard_privacy, notification_preferences) VALUES ('" + erased
                + "', 'public', '{\"email\": true}')");
        // Points this week: the erased learner first with 125, peers 10, 20, ... (one lesson each per 10).
        for (int i = 0; i < 5; i++) {
            db.system().gamification().awards().award(Award.of(erased, "quiz_completed", "quiz-service:" + erased + ":" + i));
        }
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j <= i; j++) {
                db.system().gamification().awards().award(Award.of(peers.get(i), "lesson_completed", "lessons:" + peers.get(i) + ":" + j));
            }
        }
        // Another learner's rows that mention the erased one (a peer review), in upper case.
        String mention = erased.toString().toUpperCase(Locale.ROOT);
        db.system().gamification().awards().award(new Award(peers.get(4), "assignment_submitted", "review-of-" + mention, null,
                "{\"reviewed\": \"" + mention + "\", \"note\": \"kept\"}", null));
        sql("INSERT INTO learning_events (event_id, user_id, verb, object_id, object_type, occurred_at, context) VALUES (gen_random_uuid(), '"
                + peers.get(4) + "', 'experienced', 'profile-" + mention + "', 'other', now() - interval '1 hour', '{\"peer\": \"" + erased
                + "\"}')");
        // Two ledger rows of a month more than a year ago, archived the way the retention job does (V037), and another archived table.
        sql("SELECT analytics.create_point_transaction_partitions((date_trunc('month', now() - interval '400 days'))::date, 1)");
        sql("INSERT INTO point_transactions (id, user_id, points, activity_type, metadata, \"timestamp\") VALUES"
                + " (gen_random_uuid(), '" + erased + "', 7, 'lesson_completed', '{\"archived\": true}', now() - interval '400 days'),"
                + " (gen_random_uuid(), '" + peers.get(4) + "', 9, 'lesson_completed', '{\"about\": \"" + erased + "\"}',"
                + "  now() - interval '400 days')");
        sql("SELECT * FROM analytics.archive_point_transactions(date_trunc('month', now() - interval '400 days') + interval '1 month')");
        sql("CREATE TABLE analytics_archive.erasure_test_notes (id serial PRIMARY KEY, user_id uuid NOT NULL, note jsonb)");
        sql("ALTER TABLE analytics_archive.erasure_test_notes OWNER TO analytics_owner");
        sql("INSERT INTO analytics_archive.erasure_test_notes (user_id, note) VALUES ('" + erased + "', '{\"n\": 1}'), ('" + peers.get(5)
                + "', '{\"n\": 2}')");

        db.system().analytics().organization(ORG);
        for (PredictionType type : PredictionType.values()) db.system().predictions().refresh(erased, type);
        db.system().leaderboards().refresh();
        db.system().aggregates().refresh();
    }

    @AfterAll
    static void close() throws SQLException {
        admin.close();
    }

    @Test
    @Order(1)
    void the_fixture_puts_the_user_in_every_table_on_the_boards_and_in_the_aggregates() throws SQLException {
        for (String table : List.of("user_roles", "enrollments", "user_skills", "point_transactions", "user_points", "user_achievements",
                "daily_activity", "user_preferences", "award_keys", "learning_events", "learner_velocity_analytics",
                "skill_gap_analytics", "engagement_analytics", "mastery_analytics", "performance_analytics",
                "content_effectiveness_analytics", "predictive_analytics_cache", "leaderboard_weekly", "leaderboard_monthly",
                "analytics_archive.point_transactions", "analytics_archive.erasure_test_notes")) {
            assertThat(count(table + " WHERE user_id = '" + erased + "'")).as(table).isPositive();
        }
        for (String table : List.of("peer_comparison_aggregates", "peer_comparison_published", "skill_demand_aggregates",
                "skill_demand_published")) {
            assertThat(count(table + " WHERE array_to_string(members, ',') LIKE '%" + erased + "%'")).as(table).isPositive();
        }
        assertThat(mentions(erased)).isNotEmpty();
    }

    @Test
    @Order(2)
    void export_holds_every_section_and_only_the_users_own_rows() throws SQLException {
        String export = db.system().privacy().export(erased);

        assertThat(json(export, "$.userId")).isEqualTo("\"" + erased + "\"");
        assertThat(json(export, "$.profile.email")).isEqualTo("\"" + erased + "@erasure.test\"");
        assertThat(json(export, "$.profile.organizationId")).isEqualTo("\"" + ORG + "\"");
        assertThat(json(export, "$.organization.name")).isEqualTo("\"Erasure Org\"");
        assertThat(json(export, "$.profile.passwordHash")).as("credentials are never exported").isNull();
        assertThat(json(export, "$.roles[*].role")).contains("learner").contains("trainer");
        assertThat(length(export, "$.enrollments")).isEqualTo(1);
        assertThat(json(export, "$.coursesTrained[0].id")).isEqualTo("\"" + TRAINED_BY_ERASED + "\"");
        assertThat(json(export, "$.skills[0].skillId")).isEqualTo("\"skill-react\"");
        assertThat(json(export, "$.points.totalPoints")).isEqualTo("125");
        assertThat(length(export, "$.ledger")).as("5 awards and the archived row").isEqualTo(6);
        assertThat(json(export, "$.ledger[0].metadata.archived")).as("archived rows first, oldest first").isEqualTo("true");
        assertThat(length(export, "$.achievements")).isPositive();
        assertThat(length(export, "$.dailyActivity")).isEqualTo(1);
        assertThat(json(export, "$.preferences.notificationPreferences.email")).isEqualTo("true");
        assertThat(length(export, "$.awardKeys")).isEqualTo(5);
        assertThat(length(export, "$.learningEvents")).isEqualTo(5);
        for (String analytic : List.of("velocity", "skillGaps", "engagement", "mastery", "performance", "contentEffectiveness")) {
            assertThat(length(export, "$.analytics." + analytic)).as(analytic).isPositive();
        }
        assertThat(length(export, "$.predictions")).isEqualTo(PredictionType.values().length);
        assertThat(length(export, "$.archive.\"analytics_archive.erasure_test_notes\"")).isEqualTo(1);
        assertThat(json(export, "$.ledger[*].userId")).as("the shared user id is left out of rows").isEqualTo("[]");
        for (UUID other : List.of(trainer, peers.get(0), peers.get(4), peers.get(5))) {
            assertThat(export).as("nothing of another user").doesNotContainIgnoringCase(other.toString());
        }
        assertThatThrownBy(() -> db.system().privacy().export(UUID.randomUUID())).isInstanceOf(UserNotFoundException.class)
                .extracting(e -> ((AnalyticsDbException) e).kind()).isEqualTo(AnalyticsDbException.Kind.NOT_VISIBLE);
    }

    @Test
    @Order(3)
    void a_failure_at_the_last_step_rolls_the_whole_erasure_back() throws SQLException {
        Map<String, String> before = fingerprints();
        sql("CREATE FUNCTION analytics.fail_receipt() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'disk full'; END $$");
        sql("CREATE TRIGGER fail_receipt BEFORE INSERT ON analytics.erasure_receipts FOR EACH ROW EXECUTE FUNCTION analytics.fail_receipt()");
        try {
            assertThatThrownBy(() -> db.system().privacy().erase(erased)).isInstanceOf(AnalyticsDbException.class);
        } finally {
            sql("DROP TRIGGER fail_receipt ON analytics.erasure_receipts");
            sql("DROP FUNCTION analytics.fail_receipt()");
        }
        assertThat(fingerprints()).as("every table, partition and view as it was").isEqualTo(before);
    }

    @Test
    @Order(4)
    void erasure_leaves_nothing_anywhere_and_takes_the_user_off_the_boards_at_once() throws SQLException {
        Principal viewer = db.principal(peers.get(0)).orElseThrow();
        List<LeaderboardEntry> weeklyBefore = db.as(viewer).leaderboards().top(Board.WEEKLY, 50).entries();
        assertThat(weeklyBefore.get(0).userId()).isEqualTo(erased);
        assertThat(weeklyBefore).extracting(LeaderboardEntry::rank).containsExactly(1L, 2L, 3L, 4L, 5L);
        Map<String, Long> othersBefore = othersRows();
        var refreshedBefore = db.as(viewer).leaderboards().top(Board.WEEKLY, 50).refreshedAt();

        ErasureReceipt receipt = db.system().privacy().erase(erased);

        assertThat(mentions(erased)).as("the id anywhere in schemas analytics and analytics_archive").isEmpty();
        List<LeaderboardEntry> weeklyAfter = db.as(viewer).leaderboards().top(Board.WEEKLY, 50).entries();
        assertThat(weeklyAfter).extracting(LeaderboardEntry::userId).doesNotContain(erased)
                .containsExactlyElementsOf(weeklyBefore.subList(1, 5).stream().map(LeaderboardEntry::userId).toList());
        assertThat(weeklyAfter).as("the others' ranks closed up").extracting(LeaderboardEntry::rank).containsExactly(1L, 2L, 3L, 4L);
        assertThat(db.as(viewer).leaderboards().top(Board.MONTHLY, 50).entries()).extracting(LeaderboardEntry::userId).doesNotContain(erased);
        assertThat(db.as(viewer).leaderboards().top(Board.ALL_TIME, 50).entries()).extracting(LeaderboardEntry::userId).doesNotContain(erased);
        assertThat(db.as(viewer).leaderboards().top(Board.WEEKLY, 50).refreshedAt()).isAfter(refreshedBefore);

        assertThat(othersRows()).as("other users' rows are all still there").isEqualTo(othersBefore);
        assertThat(query("SELECT metadata ->> 'note' || ' ' || (metadata ->> 'reviewed') FROM point_transactions WHERE user_id = '"
                + peers.get(4) + "' AND activity_type = 'assignment_submitted'")).isEqualTo("kept [erased]");
        assertThat(count("courses WHERE id = '" + TRAINED_BY_ERASED + "' AND trainer_id IS NULL")).isEqualTo(1);
        assertThat(count("peer_comparison_published WHERE published AND array_length(members, 1) = 11"
                + " AND EXISTS (SELECT 1 FROM unnest(members) m WHERE m LIKE 'erased-%')"))
                .as("the cell keeps its figures and counts the erased learner as one who left").isEqualTo(1);

        assertThat(receipt.deletedRows()).containsEntry("users", 1L).containsEntry("point_transactions", 5L)
                .containsEntry("learning_events", 5L).containsEntry("award_keys", 5L).containsEntry("predictive_analytics_cache", 3L)
                .containsEntry("analytics_archive.point_transactions", 1L).containsEntry("analytics_archive.erasure_test_notes", 1L);
        assertThat(receipt.redactedRows()).containsEntry("courses.trainer_id", 1L).containsEntry("point_transactions.metadata", 1L)
                .containsEntry("learning_events.object_id", 1L).containsEntry("award_keys.idempotency_key", 1L)
                .containsEntry("analytics_archive.point_transactions.metadata", 1L);
        assertThat(receipt.refreshed()).containsExactlyInAnyOrder("leaderboard_weekly", "leaderboard_monthly",
                "peer_comparison_aggregates", "skill_demand_aggregates");
        assertThat(count("erasure_receipts WHERE id = '" + receipt.receiptId() + "'")).isEqualTo(1);

        assertThatThrownBy(() -> db.system().privacy().erase(erased)).as("a second erasure finds nobody")
                .isInstanceOf(UserNotFoundException.class);
        assertThatThrownBy(() -> db.system().privacy().export(erased)).isInstanceOf(UserNotFoundException.class);
    }

    /** Every relation of both schemas (tables, partitions, materialized views) x column where the id occurs as text. */
    private static List<String> mentions(UUID id) throws SQLException {
        List<String> found = new ArrayList<>();
        List<String[]> columns = new ArrayList<>();
        try (Statement sql = admin.createStatement(); ResultSet rows = sql.executeQuery(
                "SELECT n.nspname, c.relname, a.attname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                        + " JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped"
                        + " WHERE n.nspname IN ('analytics', 'analytics_archive') AND c.relkind IN ('r', 'p', 'm')"
                        + " AND a.atttypid IN ('uuid'::regtype, 'uuid[]'::regtype, 'text'::regtype, 'text[]'::regtype,"
                        + " 'varchar'::regtype, 'varchar[]'::regtype, 'json'::regtype, 'jsonb'::regtype)")) {
            while (rows.next()) columns.add(new String[] {rows.getString(1), rows.getString(2), rows.getString(3)});
        }
        assertThat(columns.size()).as("columns searched").isGreaterThan(60);
        for (String[] column : columns) {
            String relation = "\"" + column[0] + "\".\"" + column[1] + "\"";
            if (count(relation + " WHERE \"" + column[2] + "\"::text ILIKE '%" + id + "%'") > 0) found.add(relation + "." + column[2]);
        }
        // And whole rows, whatever their column types.
        try (Statement sql = admin.createStatement(); ResultSet rows = sql.executeQuery(
                "SELECT format('%I.%I', n.nspname, c.relname) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                        + " WHERE n.nspname IN ('analytics', 'analytics_archive') AND c.relkind IN ('r', 'p', 'm')")) {
            List<String> relations = new ArrayList<>();
            while (rows.next()) relations.add(rows.getString(1));
            for (String relation : relations) {
                if (count(relation + " t WHERE t::text ILIKE '%" + id + "%'") > 0) found.add(relation + " (row)");
            }
        }
        return found;
    }

    /** Per relation of both schemas (partitions and materialized views included): a hash of all its rows. */
    private static Map<String, String> fingerprints() throws SQLException {
        Map<String, String> hashes = new LinkedHashMap<>();
        List<String> relations = new ArrayList<>();
        try (Statement sql = admin.createStatement(); ResultSet rows = sql.executeQuery(
                "SELECT format('%I.%I', n.nspname, c.relname) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                        + " WHERE n.nspname IN ('analytics', 'analytics_archive') AND c.relkind IN ('r', 'p', 'm') ORDER BY 1")) {
            while (rows.next()) relations.add(rows.getString(1));
        }
        for (String relation : relations) {
            hashes.put(relation, query("SELECT count(*) || ':' || coalesce(md5(string_agg(t::text, '|' ORDER BY t::text)), '')"
                    + " FROM " + relation + " t"));
        }
        return hashes;
    }

    /** Rows of everyone but the erased user, per table with a user_id column. */
    private static Map<String, Long> othersRows() throws SQLException {
        Map<String, Long> counts = new LinkedHashMap<>();
        List<String> tables = new ArrayList<>();
        try (Statement sql = admin.createStatement(); ResultSet rows = sql.executeQuery(
                "SELECT format('%I.%I', schema_name, table_name) FROM analytics.erasure_user_tables()")) {
            while (rows.next()) tables.add(rows.getString(1));
        }
        assertThat(tables).contains("analytics.point_transactions", "analytics.learning_events", "analytics_archive.point_transactions");
        for (String table : tables) counts.put(table, count(table + " WHERE user_id <> '" + erased + "'"));
        counts.put("analytics.users", count("analytics.users WHERE id <> '" + erased + "'"));
        return counts;
    }

    private static void user(UUID id, String role) throws SQLException {
        sql("INSERT INTO users (id, email, full_name, organization_id) VALUES ('" + id + "', '" + id + "@erasure.test', 'Name "
                + id.toString().substring(0, 8) + "', '" + ORG + "')");
        sql("INSERT INTO user_roles (user_id, role) VALUES ('" + id + "', '" + role + "')");
    }

    private static String json(String document, String path) throws SQLException {
        try (PreparedStatement query = admin.prepareStatement("SELECT jsonb_path_query_array(?::jsonb, ?::jsonpath)::text")) {
            query.setString(1, document);
            query.setString(2, path);
            try (ResultSet row = query.executeQuery()) {
                row.next();
                String array = row.getString(1);
                if (path.contains("[*]")) return array;
                return "[]".equals(array) ? null : array.substring(1, array.length() - 1);
            }
        }
    }

    private static int length(String document, String path) throws SQLException {
        String array = json(document, path);
        assertThat(array).as(path).isNotNull();
        return Integer.parseInt(query("SELECT jsonb_array_length('" + array.replace("'", "''") + "'::jsonb)"));
    }

    private static long count(String fromWhere) throws SQLException {
        return Long.parseLong(query("SELECT count(*) FROM " + fromWhere));
    }

    private static void sql(String statement) throws SQLException {
        try (Statement sql = admin.createStatement()) {
            sql.execute(statement);
        }
    }

    private static String query(String query) throws SQLException {
        try (Statement sql = admin.createStatement(); ResultSet rows = sql.executeQuery(query)) {
            rows.next();
            return rows.getString(1);
        }
    }
}
