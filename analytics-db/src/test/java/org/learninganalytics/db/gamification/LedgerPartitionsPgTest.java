package org.learninganalytics.db.gamification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.learninganalytics.db.AnalyticsDb;
import org.learninganalytics.db.ingestion.Organization;
import org.learninganalytics.db.ingestion.User;
import org.learninganalytics.db.tenancy.Role;
import org.learninganalytics.db.testing.FreshDatabase;
import org.learninganalytics.db.testing.TestDatabase;

/**
 * The ledger by month (V036) and its archive (V037): partitions ahead, awards in their month,
 * strays in DEFAULT, leaderboard refreshes that read only their months, archived months still
 * counted by the replay, and expired award keys that refuse late replays.
 */
@FreshDatabase
class LedgerPartitionsPgTest {

    private static final DateTimeFormatter MONTH = DateTimeFormatter.ofPattern("yyyy_MM");

    private static TestDatabase database;
    private static AnalyticsDb db;
    private static UUID org;

    @BeforeAll
    static void arrange(TestDatabase testDatabase) throws Exception {
        database = testDatabase;
        db = testDatabase.analyticsDb();
        org = UUID.randomUUID();
        db.system().ingestion().upsertOrganizations(List.of(new Organization(org, "Ledger Org", null, null)));
        admin("INSERT INTO analytics.activity_rules (activity_type, points) VALUES ('ledger_test', 10)");
    }

    @AfterAll
    static void close() {
        db.close();
    }

    @Test
    void the_migration_makes_this_and_three_next_months_and_the_function_adds_more_idempotently() throws SQLException {
        LocalDate month = LocalDate.now(ZoneOffset.UTC).withDayOfMonth(1);
        for (int ahead = -1; ahead <= 3; ahead++) {
            assertThat(exists("analytics.point_transactions_" + month.plusMonths(ahead).format(MONTH))).isTrue();
        }
        assertThat(exists("analytics.point_transactions_default")).isTrue();

        LocalDate later = month.plusMonths(30);
        assertThat(single("SELECT analytics.create_point_transaction_partitions(DATE '" + later + "', 2)")).isEqualTo("2");
        assertThat(single("SELECT analytics.create_point_transaction_partitions(DATE '" + later + "', 2)"))
                .as("idempotent").isEqualTo("0");
        assertThat(exists("analytics.point_transactions_" + later.plusMonths(1).format(MONTH))).isTrue();
        assertThat(single("SELECT has_function_privilege('analytics_service',"
                + " 'analytics.create_point_transaction_partitions(date, integer)', 'EXECUTE')")).isEqualTo("t");
    }

    @Test
    void an_award_lands_in_its_month_and_a_stray_far_future_row_in_default_until_its_month_exists() throws SQLException {
        UUID learner = learner();
        db.system().gamification().awards().award(Award.of(learner, "ledger_test", UUID.randomUUID().toString()));
        assertThat(single("SELECT tableoid::regclass::text FROM analytics.point_transactions WHERE user_id = '" + learner + "'"))
                .isEqualTo("analytics.point_transactions_" + LocalDate.now(ZoneOffset.UTC).format(MONTH));

        // Nothing writes such a row through the award API (it refuses the future); a DBA's correction might.
        admin("INSERT INTO analytics.point_transactions (user_id, points, activity_type, \"timestamp\")"
                + " VALUES ('" + learner + "', 5, 'ledger_test', '2100-01-15T00:00:00Z')");
        assertThat(single("SELECT tableoid::regclass::text FROM analytics.point_transactions WHERE \"timestamp\" = '2100-01-15T00:00:00Z'"))
                .isEqualTo("analytics.point_transactions_default");

        assertThat(single("SELECT analytics.create_point_transaction_partitions(DATE '2100-01-01', 1)")).isEqualTo("1");
        assertThat(single("SELECT tableoid::regclass::text FROM analytics.point_transactions WHERE \"timestamp\" = '2100-01-15T00:00:00Z'"))
                .as("moved out of DEFAULT when its month's partition is made").isEqualTo("analytics.point_transactions_2100_01");
        assertThat(single("SELECT count(*) FROM analytics.point_transactions_default")).isEqualTo("0");
    }

    @Test
    void leaderboard_refreshes_read_only_the_partitions_of_their_period() throws SQLException {
        UUID learner = learner();
        LocalDate old = LocalDate.now(ZoneOffset.UTC).withDayOfMonth(1).minusMonths(4);
        admin("SELECT analytics.create_point_transaction_partitions(DATE '" + old + "', 1)");
        admin("INSERT INTO analytics.point_transactions (user_id, points, activity_type, \"timestamp\")"
                + " VALUES ('" + learner + "', 7, 'ledger_test', '" + old.plusDays(3) + "T12:00:00Z')");
        String oldPartition = "point_transactions_" + old.format(MONTH);

        for (String period : List.of("week", "month")) {
            // The views' own query (V015): leaderboard_points_since is inlined, its start is pruned at executor start-up.
            String plan = plan("SELECT * FROM analytics.leaderboard_points_since(date_trunc('" + period + "', now(), 'UTC'))");
            assertThat(plan).as(period).contains("Subplans Removed").doesNotContain(oldPartition)
                    .contains("point_transactions_" + LocalDate.now(ZoneOffset.UTC).format(MONTH));
        }
        // The boards are tables refreshed from deltas (V044); a board is rebuilt with that query in a new period.
        String definition = single("SELECT pg_get_functiondef('analytics.refresh_leaderboard(text)'::regprocedure)");
        assertThat(definition).as("the rebuild is still that query").contains("leaderboard_points_since(week_start)")
                .contains("leaderboard_points_since(month_start)");
        assertThat(plan("SELECT * FROM analytics.leaderboard_points_since(now() - interval '10 years')"))
                .as("control: a period that covers it reads it").contains(oldPartition);
    }

    @Test
    void an_archived_month_leaves_the_ledger_and_is_still_counted_by_the_replay() throws Exception {
        UUID learner = learner();
        Instant archivedMonth = Instant.parse("2025-03-10T10:00:00Z");
        admin("SELECT analytics.create_point_transaction_partitions(DATE '2025-03-01', 2)");
        awards().award(new Award(learner, "ledger_test", UUID.randomUUID().toString(), null, null, archivedMonth));
        awards().award(new Award(learner, "ledger_test", UUID.randomUUID().toString(), 15, null, Instant.parse("2025-04-02T10:00:00Z")));
        awards().award(Award.of(learner, "ledger_test", UUID.randomUUID().toString()));
        assertThat(db.system().gamification().ledgerReplay().dryRun(learner)).isEmpty();

        try {
            archiveAndReplay(learner, archivedMonth);
        } finally {
            admin("UPDATE analytics.ledger_horizons SET archived_before = '-infinity'"); // for the other tests' past awards
        }
    }

    private static void archiveAndReplay(UUID learner, Instant archivedMonth) throws Exception {
        List<String> moved = rows("SELECT partition_name || ' ' || moved_rows FROM analytics.archive_point_transactions('2025-05-01T00:00:00Z')"
                + " WHERE partition_name IN ('point_transactions_2025_03', 'point_transactions_2025_04')");
        assertThat(moved).containsExactly("point_transactions_2025_03 1", "point_transactions_2025_04 1");
        assertThat(exists("analytics.point_transactions_2025_03")).isFalse();
        assertThat(single("SELECT count(*) FROM analytics_archive.point_transactions WHERE user_id = '" + learner + "'")).isEqualTo("2");
        assertThat(single("SELECT count(*) FROM analytics.point_transactions WHERE user_id = '" + learner + "'")).isEqualTo("1");

        assertThat(db.system().gamification().ledgerReplay().dryRun(learner)).as("archived points still count").isEmpty();
        admin("UPDATE analytics.user_points SET total_points = 1 WHERE user_id = '" + learner + "'");
        assertThat(db.system().gamification().ledgerReplay().apply(learner)).singleElement()
                .satisfies(difference -> assertThat(difference.replayedTotal()).isEqualTo(35));

        assertThatThrownBy(() -> awards().award(new Award(learner, "ledger_test", UUID.randomUUID().toString(), null, null,
                archivedMonth.plusSeconds(3600))))
                .as("an award in an archived month is refused").isInstanceOf(AwardRejectedException.class)
                .hasMessageContaining("horizon");
        assertThat(single("SELECT analytics.create_point_transaction_partitions(DATE '2025-03-01', 1)"))
                .as("an archived month is not made again").isEqualTo("0");
        assertThat(single("SELECT has_table_privilege('analytics_service', 'analytics_archive.point_transactions', 'SELECT')")).isEqualTo("t");
        assertThat(single("SELECT has_table_privilege('analytics_authenticated', 'analytics_archive.point_transactions', 'SELECT')")).isEqualTo("f");
        assertThatThrownBy(() -> admin("SELECT analytics.archive_point_transactions(now())"))
                .as("the previous and the current month stay").hasMessageContaining("previous month");
    }

    @Test
    void expired_keys_refuse_a_late_replay_instead_of_counting_it_twice() throws Exception {
        UUID learner = learner();
        Instant occurred = Instant.now().minusSeconds(10 * 86_400);
        Award late = new Award(learner, "ledger_test", "late-" + UUID.randomUUID(), null, null, occurred);
        assertThat(awards().award(late).replayed()).isFalse();
        assertThat(awards().award(late).replayed()).isTrue();
        admin("UPDATE analytics.award_keys SET created_at = now() - interval '9 days' WHERE idempotency_key = '" + late.idempotencyKey() + "'");

        try {
            assertThat(single("SELECT analytics.expire_award_keys(now() - interval '5 days')")).isEqualTo("1");
            refusesTheLateReplay(learner, late);
        } finally {
            admin("UPDATE analytics.ledger_horizons SET award_keys_expired_before = '-infinity'"); // for the other tests' past awards
        }
    }

    private static void refusesTheLateReplay(UUID learner, Award late) throws Exception {
        assertThat(single("SELECT count(*) FROM analytics.award_keys WHERE idempotency_key = '" + late.idempotencyKey() + "'")).isEqualTo("0");
        assertThatThrownBy(() -> awards().award(late)).isInstanceOf(AwardRejectedException.class).hasMessageContaining("horizon");
        assertThat(single("SELECT sum(points) FROM analytics.point_transactions WHERE user_id = '" + learner + "'"))
                .as("counted once").isEqualTo("10");
        assertThat(awards().award(new Award(learner, "ledger_test", UUID.randomUUID().toString(), null, null, Instant.now().minusSeconds(60)))
                .replayed()).as("awards after the horizon go on").isFalse();
        assertThatThrownBy(() -> admin("SELECT analytics.expire_award_keys(now())")).hasMessageContaining("a day ago");
    }

    @Test
    void partitions_of_the_ledger_and_the_archive_belong_to_the_owner_and_are_granted_to_nobody() throws SQLException {
        assertThat(rows("""
                SELECT c.oid::regclass || ' ' || a.privilege_type || ' to ' || a.grantee::regrole
                FROM pg_class c, aclexplode(c.relacl) a
                WHERE c.relnamespace IN ('analytics'::regnamespace, 'analytics_archive'::regnamespace) AND c.relispartition
                  AND a.grantee <> c.relowner""")).isEmpty();
        assertThat(single("SELECT count(*) FROM pg_policy WHERE polrelid = 'analytics.point_transactions'::regclass")).isEqualTo("3");
        assertThat(single("SELECT relforcerowsecurity FROM pg_class WHERE oid = 'analytics.point_transactions'::regclass")).isEqualTo("t");
    }

    private static Awards awards() {
        return db.system().gamification().awards();
    }

    private static UUID learner() {
        UUID learner = UUID.randomUUID();
        db.system().ingestion().upsertUsers(List.of(new User(learner, learner + "@org.test", null, null, org, Set.of(Role.LEARNER))));
        return learner;
    }

    private static boolean exists(String table) throws SQLException {
        return !"null".equals(String.valueOf(single("SELECT to_regclass('" + table + "')")));
    }

    private static String plan(String query) throws SQLException {
        return String.join("\n", rows("EXPLAIN " + query));
    }

    static String single(String query) throws SQLException {
        List<String> rows = rows(query);
        assertThat(rows).hasSize(1);
        return rows.get(0);
    }

    static List<String> rows(String query) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection admin = database.connect(); Statement sql = admin.createStatement(); ResultSet rs = sql.executeQuery(query)) {
            while (rs.next()) rows.add(rs.getString(1));
        }
        return rows;
    }

    static void admin(String sql) throws SQLException {
        try (Connection admin = database.connect(); Statement statement = admin.createStatement()) {
            statement.execute(sql);
        }
    }
}
