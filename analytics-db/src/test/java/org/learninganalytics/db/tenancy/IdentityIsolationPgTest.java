package org.learninganalytics.db.tenancy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.learninganalytics.db.AnalyticsDb;
import org.learninganalytics.db.gamification.Award;
import org.learninganalytics.db.gamification.PointsSummary;
import org.learninganalytics.db.ingestion.Organization;
import org.learninganalytics.db.ingestion.User;
import org.learninganalytics.db.testing.FreshDatabase;
import org.learninganalytics.db.testing.PgBouncer;
import org.learninganalytics.db.testing.TestDatabase;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

/**
 * A caller's identity lives exactly as long as its transaction: the next user of the same
 * physical connection — through HikariCP and through PgBouncer in transaction mode — sees
 * nothing of it.
 */
@FreshDatabase
class IdentityIsolationPgTest {

    private static final int THREADS = 8;
    private static final int UNITS_PER_THREAD = 500;

    private static TestDatabase database;
    private static final List<UUID> learners = new ArrayList<>();
    private static final UUID awardee = UUID.randomUUID(); // receives the service-path awards, apart from the totals above
    private static PgBouncer bouncer;

    @BeforeAll
    static void arrange(TestDatabase testDatabase) throws Exception {
        database = testDatabase;
        UUID org = UUID.randomUUID();
        List<User> users = new ArrayList<>();
        for (int i = 0; i < THREADS; i++) {
            UUID id = UUID.randomUUID();
            learners.add(id);
            users.add(new User(id, "isolated" + i + "@org.test", "Learner " + i, null, org, Set.of(Role.LEARNER)));
        }
        users.add(new User(awardee, "awardee@org.test", "Awardee", null, org, Set.of(Role.LEARNER)));
        try (AnalyticsDb db = testDatabase.analyticsDb()) {
            db.system().ingestion().upsertOrganizations(List.of(new Organization(org, "Isolation Org", null, null)));
            db.system().ingestion().upsertUsers(users);
        }
        try (Connection admin = testDatabase.connect(); Statement sql = admin.createStatement()) {
            for (int i = 0; i < THREADS; i++) {
                sql.execute("INSERT INTO analytics.user_points (user_id, total_points) VALUES ('%s', %d)".formatted(learners.get(i), 1000 + i));
            }
        }
        // Fewer server connections (3) than concurrent clients (8).
        bouncer = PgBouncer.start(testDatabase.server(), 3);
    }

    @AfterAll
    static void stopBouncer() throws Exception {
        if (bouncer != null) bouncer.close();
    }

    @Test
    void after_a_users_unit_of_work_the_same_hikari_connection_carries_no_identity() throws Exception {
        try (HikariDataSource pool = pool(database.jdbcUrl(), 1)) {
            assertNoIdentitySurvives(pool);
        }
    }

    @Test
    void after_a_users_unit_of_work_the_same_pgbouncer_server_connection_carries_no_identity() throws Exception {
        // One server connection behind PgBouncer: every transaction gets the same backend.
        try (PgBouncer single = PgBouncer.start(database.server(), 1);
             HikariDataSource pool = pool(single.jdbcUrl(database.name()), 2)) {
            assertNoIdentitySurvives(pool);
        }
    }

    @Test
    void eight_threads_as_different_users_through_pgbouncer_each_see_only_their_own_rows() throws Exception {
        try (HikariDataSource pool = pool(bouncer.jdbcUrl(database.name()), THREADS)) {
            assertEachSeesOnlyItsOwn(pool);
        }
    }

    @Test
    void eight_threads_as_different_users_through_hikari_each_see_only_their_own_rows() throws Exception {
        try (HikariDataSource pool = pool(database.jdbcUrl(), 3)) {
            assertEachSeesOnlyItsOwn(pool);
        }
    }

    private static void assertNoIdentitySurvives(DataSource pool) throws SQLException {
        long backendBefore = backendPid(pool);
        UUID learner = learners.get(0);
        try (AnalyticsDb db = AnalyticsDb.builder().dataSource(pool).build()) {
            assertThat(db.as(principal(learner)).points().summary(learner)).map(PointsSummary::totalPoints).contains(1000);
            // An award sends its role switch in the same round trip as the call: it must end with the transaction too.
            assertThat(db.system().gamification().awards().award(Award.of(awardee, "lesson_completed", UUID.randomUUID().toString())).points())
                    .isEqualTo(10);
        }
        try (Connection connection = pool.getConnection(); Statement sql = connection.createStatement()) {
            assertThat(value(sql, "SELECT pg_backend_pid()")).as("same physical connection").isEqualTo(String.valueOf(backendBefore));
            assertThat(value(sql, "SELECT current_user")).isEqualTo("analytics_app");
            assertThat(value(sql, "SELECT coalesce(current_setting('request.jwt.claims', true), '<unset>')")).isIn("", "<unset>");
            // The login role itself may read nothing at all...
            assertThatThrownBy(() -> value(sql, "SELECT count(*) FROM analytics.user_points"))
                    .isInstanceOf(SQLException.class).hasMessageContaining("permission denied");
            // ...and as the subject role, without an identity, RLS shows no rows.
            connection.setAutoCommit(false);
            sql.execute("SET LOCAL ROLE analytics_authenticated");
            assertThat(value(sql, "SELECT analytics.current_user_id()")).isNull();
            assertThat(value(sql, "SELECT count(*) FROM analytics.user_points")).isEqualTo("0");
            connection.rollback();
        }
    }

    private static void assertEachSeesOnlyItsOwn(DataSource pool) throws Exception {
        AtomicInteger units = new AtomicInteger();
        try (AnalyticsDb db = AnalyticsDb.builder().dataSource(pool).build();
             ExecutorService threads = Executors.newFixedThreadPool(THREADS)) {
            List<Future<?>> results = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int me = t;
                results.add(threads.submit(() -> {
                    var session = db.as(principal(learners.get(me)));
                    for (int unit = 0; unit < UNITS_PER_THREAD; unit++) {
                        UUID someoneElse = learners.get((me + 1 + unit % (THREADS - 1)) % THREADS);
                        assertThat(session.points().summary(learners.get(me)))
                                .map(PointsSummary::totalPoints).contains(1000 + me);
                        assertThat(session.points().summary(someoneElse)).isEmpty();
                        units.incrementAndGet();
                    }
                    return null;
                }));
            }
            for (Future<?> result : results) result.get();
        }
        assertThat(units.get()).isEqualTo(THREADS * UNITS_PER_THREAD);
    }

    private static Principal principal(UUID userId) {
        return new Principal(userId, null, Set.of(Role.LEARNER));
    }

    private static HikariDataSource pool(String jdbcUrl, int size) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        config.setUsername(TestDatabase.APP_USER);
        config.setPassword(System.getenv(TestDatabase.APP_PASSWORD_VARIABLE));
        config.setMaximumPoolSize(size);
        config.setMinimumIdle(size);
        return new HikariDataSource(config);
    }

    private static long backendPid(DataSource pool) throws SQLException {
        try (Connection connection = pool.getConnection(); Statement sql = connection.createStatement()) {
            return Long.parseLong(value(sql, "SELECT pg_backend_pid()"));
        }
    }

    private static String value(Statement sql, String query) throws SQLException {
        try (ResultSet rs = sql.executeQuery(query)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
