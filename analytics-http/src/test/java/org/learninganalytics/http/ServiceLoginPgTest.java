package org.learninganalytics.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.Statement;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.learninganalytics.db.AnalyticsDb;
import org.learninganalytics.db.AnalyticsDbException;
import org.learninganalytics.db.testing.FreshDatabase;
import org.learninganalytics.db.testing.TestDatabase;

/**
 * ANALYTICS_DB_SERVICE_USER gives the service path a login of its own: the serving login
 * then need not (and analytics_app_user cannot) become the service.
 */
@FreshDatabase
class ServiceLoginPgTest {

    @Test
    void with_a_service_login_each_path_uses_its_own(TestDatabase database) throws Exception {
        String password = UUID.randomUUID().toString(); // roles are cluster-wide: a password for this run
        try (Connection admin = database.connect(); Statement sql = admin.createStatement()) {
            sql.execute("ALTER ROLE analytics_app_user PASSWORD '" + password + "'");
            sql.execute("ALTER ROLE analytics_app_service PASSWORD '" + password + "'");
        }
        DatabaseOptions split = options(database, "analytics_app_user", password);
        split.serviceUser = "analytics_app_service";
        split.servicePassword = password;
        try (AnalyticsDb db = split.openServing()) {
            assertThat(db.loginRole().name()).isEqualTo("analytics_app_user");
            assertThat(db.system().gamification().rules().activityRules()).isNotEmpty();
        }

        DatabaseOptions userLoginOnly = options(database, "analytics_app_user", password);
        try (AnalyticsDb db = userLoginOnly.openServing()) {
            assertThatThrownBy(() -> db.system().gamification().rules().activityRules())
                    .isInstanceOf(AnalyticsDbException.class).hasMessageContaining("permission denied");
        }
    }

    @Test
    void a_service_login_that_cannot_connect_is_named(TestDatabase database) {
        DatabaseOptions split = options(database, "analytics_app", null);
        split.serviceUser = "no_such_service_login";
        assertThatThrownBy(split::openServing)
                .isInstanceOfSatisfying(org.learninganalytics.db.DatabaseUnavailableException.class,
                        e -> assertThat(e.login()).contains("no_such_service_login"))
                .hasMessageStartingWith("the service login no_such_service_login cannot connect to ");
    }

    private static DatabaseOptions options(TestDatabase database, String user, String password) {
        DatabaseOptions options = new DatabaseOptions();
        options.url = database.jdbcUrl();
        options.user = user;
        options.password = password;
        options.userStatementTimeoutMs = 5000;
        options.userLockTimeoutMs = 2000;
        return options;
    }
}
