package org.learninganalytics.db.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import org.junit.jupiter.api.Test;
import org.learninganalytics.db.Migration;
import org.learninganalytics.db.MigrationInfo;
import org.learninganalytics.db.MigrationValidation;
import org.learninganalytics.db.testing.FreshDatabase;
import org.learninganalytics.db.testing.TestDatabase;

/** The library's typed view of the migrations: info and validation, for the DBA commands and embedders. */
@FreshDatabase
class MigrationApiPgTest {

    @Test
    void info_lists_every_migration_applied_in_order_and_the_serving_login_may_read_it(TestDatabase database) {
        MigrationInfo asOwner = database.adminAnalyticsDb().migrationInfo();
        MigrationInfo asApp = database.analyticsDb().migrationInfo();

        assertThat(asOwner.status().isCurrent()).isTrue();
        assertThat(asOwner.inState(Migration.State.PENDING)).isEmpty();
        Migration first = asOwner.migrations().stream().filter(m -> m.type() == Migration.Type.VERSIONED).findFirst().orElseThrow();
        assertThat(first.version()).isEqualTo("001");
        assertThat(first.description()).isEqualTo("create core tables");
        assertThat(first.script()).isEqualTo("V001__create_core_tables.sql");
        assertThat(first.installedOn()).isNotNull();
        assertThat(first.state()).isEqualTo(Migration.State.APPLIED);
        assertThat(asOwner.migrations()).anySatisfy(m -> assertThat(m.type()).isEqualTo(Migration.Type.REPEATABLE));
        assertThat(asApp).as("the serving login reads the same history through the monitor role").isEqualTo(asOwner);
    }

    @Test
    void validation_names_a_tampered_checksum_and_ignores_a_changed_repeatable(TestDatabase database) throws SQLException {
        assertThat(database.adminAnalyticsDb().validateMigrations().isValid()).isTrue();
        try (Connection admin = database.connect(); Statement sql = admin.createStatement()) {
            sql.execute("UPDATE analytics.flyway_schema_history SET checksum = checksum + 1 WHERE version = '002'");
            sql.execute("UPDATE analytics.flyway_schema_history SET checksum = checksum + 1 WHERE script = 'R__240_ledger_replay.sql'");
            try {
                MigrationValidation validation = database.analyticsDb().validateMigrations();

                assertThat(validation.isValid()).isFalse();
                assertThat(validation.problems()).singleElement().satisfies(problem -> {
                    assertThat(problem.kind()).isEqualTo(MigrationValidation.Kind.CHECKSUM_MISMATCH);
                    assertThat(problem.version()).isEqualTo("002");
                    assertThat(problem.script()).isEqualTo("V002__create_learning_data_tables.sql");
                    assertThat(problem.message()).startsWith("migration 002 'create learning data tables'").doesNotContain("\n");
                });
            } finally {
                sql.execute("UPDATE analytics.flyway_schema_history SET checksum = checksum - 1 WHERE version = '002'");
                sql.execute("UPDATE analytics.flyway_schema_history SET checksum = checksum - 1 WHERE script = 'R__240_ledger_replay.sql'");
            }
        }
    }
}
