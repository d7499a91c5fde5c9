package org.learninganalytics.db.tenancy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.learninganalytics.db.AnalyticsDb;
import org.learninganalytics.db.AnalyticsDbException;
import org.learninganalytics.db.gamification.Award;
import org.learninganalytics.db.ingestion.Organization;
import org.learninganalytics.db.ingestion.User;
import org.learninganalytics.db.testing.FreshDatabase;
import org.learninganalytics.db.testing.TestDatabase;

import com.zaxxer.hikari.HikariDataSource;

/**
 * With two logins, an injection on the user path cannot become the service: the user pool's
 * login (analytics_app_user) may switch to the RLS subject roles only, the service pool's
 * (analytics_app_service) to the service role only.
 */
@FreshDatabase
class SplitLoginsPgTest {

    private static final String USER_LOGIN = "analytics_app_user";
    private static final String SERVICE_LOGIN = "analytics_app_service";
    /** Roles are cluster-wide: a password for this run, in case the server asks for one. */
    private static final String PASSWORD = UUID.randomUUID().toString();

    private static TestDatabase database;

    @BeforeAll
    static void arrange(TestDatabase testDatabase) throws SQLException {
        database = testDatabase;
        try (Connection admin = database.connect(); Statement sql = admin.createStatement()) {
            sql.execute("ALTER ROLE " + USER_LOGIN + " PASSWORD '" + PASSWORD + "'");
            sql.execute("ALTER ROLE " + SERVICE_LOGIN + " PASSWORD '" + PASSWORD + "'");
        }
    }

    @Test
    void the_user_login_cannot_become_the_service_and_the_service_login_cannot_become_a_user() throws SQLException {
        try (HikariDataSource users = pool(USER_LOGIN); Connection injected = users.getConnection(); Statement sql = injected.createStatement()) {
            assertThatThrownBy(() -> sql.execute("SET ROLE analytics_service")).isInstanceOf(SQLException.class)
                    .hasMessageContaining("permission denied");
            assertThatThrownBy(() -> sql.executeQuery("SELECT count(*) FROM analytics.users")).as("no privilege without a role switch")
                    .isInstanceOf(SQLException.class).hasMessageContaining("permission denied");
            sql.execute("SET ROLE analytics_authenticated"); // what it is for
        }
        try (HikariDataSource service = pool(SERVICE_LOGIN); Connection connection = service.getConnection();
             Statement sql = connection.createStatement()) {
            assertThatThrownBy(() -> sql.execute("SET ROLE analytics_authenticated")).isInstanceOf(SQLException.class);
            assertThatThrownBy(() -> sql.execute("SET ROLE analytics_owner")).isInstanceOf(SQLException.class);
            sql.execute("SET ROLE analytics_service");
        }
    }

    @Test
    void the_library_runs_each_path_on_its_own_pool() {
        UUID org = UUID.randomUUID();
        UUID learner = UUID.randomUUID();
        try (HikariDataSource users = pool(USER_LOGIN); HikariDataSource service = pool(SERVICE_LOGIN);
             AnalyticsDb db = AnalyticsDb.builder().dataSource(users).serviceDataSource(service).build()) {
            db.system().ingestion().upsertOrganizations(List.of(new Organization(org, "Split Org", null, null)));
            db.system().ingestion().upsertUsers(List.of(new User(learner, "split@org.test", null, null, org, Set.of(Role.LEARNER))));
            db.system().gamification().awards().award(Award.of(learner, "lesson_completed", "split-1"));

            var me = db.as(new Principal(learner, org, Set.of(Role.LEARNER)));
            assertThat(me.points().summary(learner)).hasValueSatisfying(summary -> assertThat(summary.totalPoints()).isEqualTo(10));
        }
    }

    @Test
    void with_only_the_user_login_the_service_path_is_refused() {
        try (HikariDataSource users = pool(USER_LOGIN); AnalyticsDb db = AnalyticsDb.builder().dataSource(users).build()) {
            assertThatThrownBy(() -> db.system().gamification().rules().levelCurve())
                    .isInstanceOfSatisfying(AnalyticsDbException.class, e -> assertThat(e.kind()).isEqualTo(AnalyticsDbException.Kind.FAILED))
                    .hasMessageContaining("permission denied");
        }
    }

    private static HikariDataSource pool(String login) {
        HikariDataSource pool = new HikariDataSource();
        pool.setJdbcUrl(database.jdbcUrl());
        pool.setUsername(login);
        pool.setPassword(PASSWORD);
        pool.setMaximumPoolSize(2);
        return pool;
    }
}
