package org.learninganalytics.db.leaderboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.learninganalytics.db.AnalyticsDb;
import org.learninganalytics.db.gamification.Award;
import org.learninganalytics.db.ingestion.Organization;
import org.learninganalytics.db.ingestion.User;
import org.learninganalytics.db.tenancy.Role;
import org.learninganalytics.db.testing.FreshDatabase;
import org.learninganalytics.db.testing.TestDatabase;

/**
 * The weekly and monthly boards are refreshed from deltas (V044, R__230) and must always equal
 * what the full query, leaderboard_points_since(start of the period), gives as of the refresh:
 * after awards of every kind, awards committed while a refresh runs, a new period, and users
 * who change organization.
 */
@FreshDatabase
class IncrementalLeaderboardsPgTest {

    private static TestDatabase database;
    private static AnalyticsDb db;
    private static final UUID ORG = UUID.randomUUID();
    private static final UUID OTHER_ORG = UUID.randomUUID();
    private static final List<UUID> learners = new ArrayList<>();

    @BeforeAll
    static void arrange(TestDatabase testDatabase) throws Exception {
        database = testDatabase;
        db = testDatabase.analyticsDb();
        admin("INSERT INTO analytics.activity_rules (activity_type, points) VALUES ('delta_test', 5)");
        db.system().ingestion().upsertOrganizations(List.of(new Organization(ORG, "Delta Org", null, null),
                new Organization(OTHER_ORG, "Other Delta Org", null, null)));
        for (int i = 0; i < 30; i++) learners.add(learner(i % 3 == 0 ? OTHER_ORG : ORG));
        db.system().leaderboards().refresh();
    }

    @AfterAll
    static void close() {
        db.close();
    }

    @Test
    void after_awards_of_every_kind_the_boards_equal_the_full_query() throws Exception {
        Random random = new Random(12);
        for (int i = 1; i <= 300; i++) {
            UUID learner = learners.get(random.nextInt(learners.size()));
            // Anywhere in the last 40 days: this week, last week, this month, last month.
            Instant past = Instant.now().minusSeconds(random.nextLong(40L * 24 * 3600));
            switch (random.nextInt(4)) {
                case 0 -> award(learner, 1 + random.nextInt(100), null);
                case 1 -> award(learner, 1 + random.nextInt(100), past); // back-dated
                case 2 -> ledger(learner, -1 - random.nextInt(50), past); // a correction
                default -> admin("INSERT INTO analytics.point_transactions (user_id, points, activity_type, \"timestamp\") VALUES "
                        + "('" + learner + "', 7, 'delta_test', '" + past + "'), ('" + learner + "', -7, 'delta_test', now())");
            }
            if (i % 60 == 0) {
                db.system().leaderboards().refresh();
                assertBoardsEqualTheFullQuery();
            }
        }
        assertThat(single("SELECT count(*) FROM analytics.leaderboard_point_deltas")).as("all consumed").isEqualTo("0");
    }

    @Test
    void an_award_committed_while_a_refresh_runs_is_counted_once_by_the_next_refresh() throws Exception {
        UUID learner = learners.get(1);
        db.system().leaderboards().refresh();
        try (Connection award = database.connect(); Statement sql = award.createStatement()) {
            award.setAutoCommit(false);
            sql.execute("INSERT INTO analytics.point_transactions (user_id, points, activity_type) VALUES ('" + learner + "', 1000, 'delta_test')");
            db.system().leaderboards().refresh(); // does not see the award in flight
            award.commit();
        }
        assertThat(Long.parseLong(weeklyPoints(learner)))
                .isEqualTo(Long.parseLong(single("SELECT points FROM analytics.leaderboard_points_since(date_trunc('week', now(), 'UTC'))"
                        + " WHERE user_id = '" + learner + "'")) - 1000);

        db.system().leaderboards().refresh();
        assertBoardsEqualTheFullQuery();
        db.system().leaderboards().refresh();
        assertBoardsEqualTheFullQuery(); // not twice
    }

    @Test
    void a_refresh_that_waits_for_another_sees_what_the_first_consumed_and_what_came_meanwhile() throws Exception {
        UUID learner = learners.get(2);
        award(learner, 40, null);
        try (Connection first = database.connect(); Statement sql = first.createStatement();
             ExecutorService threads = Executors.newSingleThreadExecutor()) {
            first.setAutoCommit(false);
            sql.execute("SELECT analytics.refresh_leaderboard('weekly')"); // holds the refresh lock until commit
            award(learner, 60, null);
            Future<Duration> second = threads.submit(() -> db.system().leaderboards().refresh(Board.MONTHLY));
            Thread.sleep(300);
            assertThat(second).as("waits for the first refresh").isNotDone();
            award(learner, 70, null);
            first.commit();
            second.get(30, TimeUnit.SECONDS);
        }
        assertBoardsEqualTheFullQuery();
    }

    @Test
    void awards_and_refreshes_running_together_leave_the_boards_equal_to_the_full_query() throws Exception {
        try (ExecutorService threads = Executors.newFixedThreadPool(3)) {
            List<CompletableFuture<Void>> awarders = new ArrayList<>();
            for (int t = 0; t < 3; t++) {
                int seed = t;
                awarders.add(CompletableFuture.runAsync(() -> {
                    Random random = new Random(seed);
                    for (int i = 0; i < 60; i++) {
                        award(learners.get(random.nextInt(learners.size())), 1 + random.nextInt(20),
                                random.nextBoolean() ? null : Instant.now().minusSeconds(random.nextLong(20L * 24 * 3600)));
                    }
                }, threads));
            }
            CompletableFuture<Void> all = CompletableFuture.allOf(awarders.toArray(CompletableFuture[]::new));
            int refreshes = 0;
            while (!all.isDone()) {
                db.system().leaderboards().refresh(refreshes % 2 == 0 ? Board.WEEKLY : Board.MONTHLY);
                refreshes++;
            }
            all.get();
            assertThat(refreshes).isGreaterThan(1);
        }
        db.system().leaderboards().refresh();
        assertBoardsEqualTheFullQuery();
    }

    @Test
    void in_a_new_period_a_board_is_rebuilt_from_the_ledger() throws Exception {
        award(learners.get(3), 30, null);
        db.system().leaderboards().refresh();
        // As if the boards held last week and last month: their rows are then wrong for this period.
        admin("UPDATE analytics.leaderboard_refreshes SET period_start = period_start - CASE board WHEN 'weekly'"
                + " THEN interval '7 days' ELSE interval '1 month' END");
        admin("UPDATE analytics.leaderboard_weekly SET points = points + 11");
        admin("UPDATE analytics.leaderboard_monthly SET points = points - 5");
        UUID stranger = learner(ORG);
        admin("INSERT INTO analytics.leaderboard_weekly VALUES ('" + ORG + "', '" + stranger + "', 999)");
        award(learners.get(4), 25, null); // a delta the rebuild reads from the ledger (and must not add again)

        db.system().leaderboards().refresh(Board.WEEKLY);

        assertBoardsEqualTheFullQuery();
        assertThat(single("SELECT count(*) FROM analytics.leaderboard_refreshes WHERE period_start = date_trunc(CASE board"
                + " WHEN 'weekly' THEN 'week' ELSE 'month' END, now(), 'UTC')")).isEqualTo("2");
        db.system().leaderboards().refresh();
        assertBoardsEqualTheFullQuery();
    }

    @Test
    void a_user_who_changes_organization_moves_at_the_next_refresh_and_leaves_with_none() throws Exception {
        UUID mover = learner(ORG);
        award(mover, 45, null);
        db.system().leaderboards().refresh();
        assertThat(single("SELECT organization_id FROM analytics.leaderboard_weekly WHERE user_id = '" + mover + "'")).isEqualTo(ORG.toString());

        move(mover, OTHER_ORG);
        assertThat(single("SELECT organization_id FROM analytics.leaderboard_weekly WHERE user_id = '" + mover + "'"))
                .as("until the refresh").isEqualTo(ORG.toString());
        db.system().leaderboards().refresh();
        assertBoardsEqualTheFullQuery();
        assertThat(single("SELECT organization_id FROM analytics.leaderboard_weekly WHERE user_id = '" + mover + "'")).isEqualTo(OTHER_ORG.toString());

        move(mover, null);
        ledger(mover, 5, Instant.now()); // points earned while in no organization
        db.system().leaderboards().refresh();
        assertBoardsEqualTheFullQuery();
        assertThat(rows("SELECT 1 FROM analytics.leaderboard_weekly WHERE user_id = '" + mover + "'")).isEmpty();

        move(mover, ORG); // back, with everything earned this period
        db.system().leaderboards().refresh();
        assertBoardsEqualTheFullQuery();
        assertThat(weeklyPoints(mover)).isEqualTo("50");
    }

    private static void assertBoardsEqualTheFullQuery() throws SQLException {
        for (String[] board : new String[][] {{"weekly", "week"}, {"monthly", "month"}}) {
            List<String> stored = rows("SELECT organization_id || ' ' || user_id || ' ' || points FROM analytics.leaderboard_" + board[0]
                    + " ORDER BY user_id");
            List<String> full = rows("SELECT organization_id || ' ' || user_id || ' ' || points"
                    + " FROM analytics.leaderboard_points_since(date_trunc('" + board[1] + "', now(), 'UTC')) ORDER BY user_id");
            assertThat(full).as(board[0]).isNotEmpty();
            assertThat(stored).as(board[0]).isEqualTo(full);
        }
    }

    private static String weeklyPoints(UUID learner) throws SQLException {
        return single("SELECT points FROM analytics.leaderboard_weekly WHERE user_id = '" + learner + "'");
    }

    private static void award(UUID learner, int points, Instant occurredAt) {
        db.system().gamification().awards().award(new Award(learner, "delta_test", UUID.randomUUID().toString(), points, null, occurredAt));
    }

    private static void ledger(UUID learner, int points, Instant at) throws SQLException {
        admin("INSERT INTO analytics.point_transactions (user_id, points, activity_type, \"timestamp\") VALUES ('"
                + learner + "', " + points + ", 'delta_test', '" + at + "')");
    }

    private static UUID learner(UUID org) {
        UUID id = UUID.randomUUID();
        db.system().ingestion().upsertUsers(List.of(new User(id, id + "@delta.test", "Learner", null, org, Set.of(Role.LEARNER))));
        return id;
    }

    private static void move(UUID learner, UUID org) throws SQLException {
        admin("UPDATE analytics.users SET organization_id = " + (org == null ? "NULL" : "'" + org + "'") + " WHERE id = '" + learner + "'");
    }

    private static String single(String query) throws SQLException {
        List<String> rows = rows(query);
        assertThat(rows).hasSize(1);
        return rows.get(0);
    }

    private static List<String> rows(String query) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection admin = database.connect(); Statement sql = admin.createStatement(); ResultSet rs = sql.executeQuery(query)) {
            while (rs.next()) rows.add(rs.getString(1));
        }
        return rows;
    }

    private static void admin(String sql) throws SQLException {
        try (Connection admin = database.connect(); Statement statement = admin.createStatement()) {
            statement.execute(sql);
        }
    }
}
