package org.learninganalytics.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.learninganalytics.db.testing.FreshDatabase;
import org.learninganalytics.db.testing.TestDatabase;
import org.postgresql.ds.PGSimpleDataSource;

/** Which role a pool logs in as, so that a server can refuse a login that row-level security does not apply to. */
@FreshDatabase
class LoginRolePgTest {

    @Test
    void the_serving_login_is_subject_to_row_level_security(TestDatabase database) {
        assertThat(database.analyticsDb().loginRole()).isEqualTo(new LoginRole(TestDatabase.APP_USER, false, false));
        assertThat(database.analyticsDb().loginRole().bypassesRowLevelSecurity()).isFalse();
    }

    @Test
    void a_superuser_login_bypasses_row_level_security(TestDatabase database) {
        LoginRole admin = database.adminAnalyticsDb().loginRole(); // the test server's administrative user

        assertThat(admin.name()).isEqualTo(database.user());
        assertThat(admin.superuser()).isTrue();
        assertThat(admin.bypassesRowLevelSecurity()).isTrue();
    }

    @Test
    void an_unreachable_database_is_reported_as_unavailable() {
        PGSimpleDataSource nowhere = new PGSimpleDataSource();
        nowhere.setURL("jdbc:postgresql://127.0.0.1:1/analytics");
        nowhere.setConnectTimeout(1);

        assertThatThrownBy(() -> AnalyticsDb.builder().dataSource(nowhere).build().loginRole())
                .isInstanceOf(DatabaseUnavailableException.class).hasMessageContaining("login role");
    }
}
