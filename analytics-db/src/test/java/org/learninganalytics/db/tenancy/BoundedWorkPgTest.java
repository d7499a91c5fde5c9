package org.learninganalytics.db.tenancy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.learninganalytics.db.AnalyticsDb;
import org.learninganalytics.db.AnalyticsDbException;
import org.learninganalytics.db.DatabaseUnavailableException;
import org.learninganalytics.db.QueryTimeoutException;
import org.learninganalytics.db.ingestion.Organization;
import org.learninganalytics.db.ingestion.User;
import org.learninganalytics.db.preferences.LeaderboardPrivacy;
import org.learninganalytics.db.testing.FreshDatabase;
import org.learninganalytics.db.testing.TestDatabase;

import com.zaxxer.hikari.HikariDataSource;

/**
 * User work is bounded: a transaction-local statement timeout and lock timeout, set with the
 * identity, cancel what runs or waits too long; nothing is changed and the pooled connection
 * comes back without them. A pool with no connection to spare is "unavailable", never a raw
 * JDBC or jOOQ exception.
 */
@FreshDatabase
class BoundedWorkPgTest {

    private static final UUID ORG = UUID.randomUUID();
    private static final UUID LEARNER = UUID.randomUUID();
    private static final Principal ME = new Principal(LEARNER, ORG, Set.of(Role.LEARNER));

    private static TestDatabase database;

    @BeforeAll
    static void arrange(TestDatabase testDatabase) {
        database = testDatabase;
        AnalyticsDb db = testDatabase.analyticsDb();
        db.system().ingestion().upsertOrganizations(List.of(new Organization(ORG, "Bounded Org", null, null)));
        db.system().ingestion().upsertUsers(List.of(new User(LEARNER, "bounded@org.test", null, null, ORG, Set.of(Role.LEARNER))));
        db.as(ME).preferences().setLeaderboardPrivacy(LeaderboardPrivacy.PUBLIC);
    }

    @Test
    void a_statement_running_past_the_user_statement_timeout_is_cancelled() throws Exception {
        try (HikariDataSource pool = pool(1); AnalyticsDb db = AnalyticsDb.builder().dataSource(pool)
                .userStatementTimeout(Duration.ofMillis(300)).userLockTimeout(Duration.ofSeconds(30)).build();
             Connection blocker = database.connect(); Statement sql = blocker.createStatement()) {
            blocker.setAutoCommit(false);
            sql.execute("LOCK TABLE analytics.user_points IN ACCESS EXCLUSIVE MODE");

            assertThatThrownBy(() -> db.as(ME).points().summary(LEARNER))
                    .isInstanceOfSatisfying(QueryTimeoutException.class, e -> assertThat(e.kind()).isEqualTo(AnalyticsDbException.Kind.TIMED_OUT))
                    .hasMessageContaining("ran longer than its time limit");
            blocker.rollback();
            assertThat(settingsOfTheIdleConnection(pool)).as("transaction-local: gone after the unit").isEqualTo(defaultSettings());
        }
    }

    @Test
    void waiting_past_the_user_lock_timeout_fails_and_changes_nothing() throws Exception {
        try (HikariDataSource pool = pool(1); AnalyticsDb db = AnalyticsDb.builder().dataSource(pool)
                .userStatementTimeout(Duration.ofSeconds(30)).userLockTimeout(Duration.ofMillis(200)).build();
             Connection blocker = database.connect(); Statement sql = blocker.createStatement()) {
            blocker.setAutoCommit(false);
            sql.execute("SELECT 1 FROM analytics.user_preferences WHERE user_id = '" + LEARNER + "' FOR UPDATE");

            assertThatThrownBy(() -> db.as(ME).preferences().setLeaderboardPrivacy(LeaderboardPrivacy.HIDDEN))
                    .isInstanceOf(QueryTimeoutException.class).hasMessageContaining("lock");
            blocker.rollback();
            assertThat(db.as(ME).preferences().mine().leaderboardPrivacy()).isEqualTo(LeaderboardPrivacy.PUBLIC);
            assertThat(settingsOfTheIdleConnection(pool)).isEqualTo(defaultSettings());
        }
    }

    @Test
    void service_work_is_not_bounded_by_the_user_timeouts() throws Exception {
        try (HikariDataSource pool = pool(1); AnalyticsDb db = AnalyticsDb.builder().dataSource(pool)
                .userStatementTimeout(Duration.ofMillis(1)).build()) {
            // 1 ms would cancel any refresh of a materialized view; the service path is not bounded by it.
            db.system().leaderboards().refresh();
            assertThat(db.system().gamification().rules().activityRules()).isNotEmpty();
        }
    }

    /**
     * What injected SQL could leave on a pooled connection (found by an attack review):
     * a read-only default, a search_path through pg_temp, a temporary table named uuid, which
     * shadows the type, and a 1 ms statement timeout. The next user unit on that connection
     * must not notice. (Service units honour a session's statement timeout: an embedder may
     * set one on purpose.)
     */
    @Test
    void what_a_session_left_behind_does_not_reach_the_next_unit_of_work() throws Exception {
        try (HikariDataSource pool = pool(1); AnalyticsDb db = AnalyticsDb.builder().dataSource(pool).build()) {
            try (Connection injected = pool.getConnection(); Statement sql = injected.createStatement()) {
                sql.execute("CREATE TEMP TABLE uuid (x int)");
                sql.execute("SELECT set_config('search_path', 'pg_temp, pg_catalog', false),"
                        + " set_config('default_transaction_read_only', 'on', false), set_config('statement_timeout', '1', false)");
            }
            var me = db.as(ME);
            assertThat(me.preferences().setLeaderboardPrivacy(LeaderboardPrivacy.ANONYMOUS).leaderboardPrivacy())
                    .isEqualTo(LeaderboardPrivacy.ANONYMOUS);
            assertThat(me.points().reportActivity("forum_post", "after-injection", "{\"post\": 1}").points()).isEqualTo(10);
            assertThat(me.leaderboards().top(org.learninganalytics.db.leaderboard.Board.ALL_TIME, 10).entries()).isNotEmpty();
            me.preferences().setLeaderboardPrivacy(LeaderboardPrivacy.PUBLIC);
        }
    }

    @Test
    void a_pool_without_a_free_connection_is_reported_as_unavailable() throws Exception {
        try (HikariDataSource pool = pool(1); AnalyticsDb db = AnalyticsDb.builder().dataSource(pool).build();
             Connection taken = pool.getConnection()) {
            assertThat(taken.isValid(1)).isTrue();
            assertThatThrownBy(() -> db.as(ME).points().summary(LEARNER))
                    .isInstanceOfSatisfying(DatabaseUnavailableException.class,
                            e -> assertThat(e.kind()).isEqualTo(AnalyticsDbException.Kind.UNAVAILABLE));
            assertThatThrownBy(() -> db.system().gamification().rules().levelCurve()).isInstanceOf(DatabaseUnavailableException.class);
        }
    }

    private static HikariDataSource pool(int size) {
        HikariDataSource pool = new HikariDataSource();
        pool.setJdbcUrl(database.jdbcUrl());
        pool.setUsername(TestDatabase.APP_USER);
        pool.setPassword(System.getenv(TestDatabase.APP_PASSWORD_VARIABLE));
        pool.setMaximumPoolSize(size);
        pool.setConnectionTimeout(250);
        return pool;
    }

    private static String settingsOfTheIdleConnection(HikariDataSource pool) throws SQLException {
        try (Connection connection = pool.getConnection(); Statement sql = connection.createStatement();
             ResultSet rs = sql.executeQuery("SELECT current_setting('statement_timeout') || '/' || current_setting('lock_timeout')")) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static String defaultSettings() throws SQLException {
        try (Connection connection = database.connectAsApp(); Statement sql = connection.createStatement();
             ResultSet rs = sql.executeQuery("SELECT current_setting('statement_timeout') || '/' || current_setting('lock_timeout')")) {
            rs.next();
            return rs.getString(1);
        }
    }
}
