package org.learninganalytics.db.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.learninganalytics.db.AnalyticsDb;
import org.learninganalytics.db.DatabaseUnavailableException;
import org.learninganalytics.db.SchemaStatus;
import org.learninganalytics.db.testing.FreshDatabase;
import org.learninganalytics.db.testing.TestDatabase;
import org.postgresql.ds.PGSimpleDataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

/** Whether a database's schema is at this jar's version, as the owner and as the serving login sees it. */
@FreshDatabase
class SchemaStatusPgTest {

    /** The highest version among the migration files, e.g. "016". */
    private static final String LATEST = migrationFiles().stream().filter(name -> name.startsWith("V"))
            .map(name -> name.substring(1, name.indexOf("__"))).max(String::compareTo).orElseThrow();

    @Test
    void a_migrated_database_is_current_for_the_owner_and_for_the_serving_login(TestDatabase database) {
        SchemaStatus asApp = database.analyticsDb().schemaStatus();
        SchemaStatus asOwner = database.adminAnalyticsDb().schemaStatus();

        assertThat(asApp).isEqualTo(new SchemaStatus(LATEST, LATEST, 0)).isEqualTo(asOwner);
        assertThat(asApp.isCurrent()).isTrue();
        assertThat(database.analyticsDb().schemaVersion()).isEqualTo(LATEST);
    }

    @Test
    void a_database_never_migrated_has_every_migration_pending(TestDatabase database) throws SQLException {
        String empty = "analytics_test_unmigrated_" + UUID.randomUUID().toString().substring(0, 8);
        execute(database, "CREATE DATABASE " + empty);
        try (AnalyticsDb app = AnalyticsDb.builder().jdbcUrl(database.server().urlFor(empty), TestDatabase.APP_USER,
                System.getenv(TestDatabase.APP_PASSWORD_VARIABLE)).build()) {
            SchemaStatus status = app.schemaStatus();

            assertThat(status.currentVersion()).isNull();
            assertThat(status.expectedVersion()).isEqualTo(LATEST);
            assertThat(status.pendingMigrations()).isEqualTo(migrationFiles().size());
            assertThat(status.isCurrent()).isFalse();
            assertThat(app.schemaVersion()).isNull();
        } finally {
            execute(database, "DROP DATABASE " + empty + " WITH (FORCE)");
        }
    }

    @Test
    void a_repeatable_migration_applied_with_other_content_is_pending(TestDatabase database) throws SQLException {
        try (Connection admin = database.connect(); Statement sql = admin.createStatement()) {
            sql.execute("UPDATE analytics.flyway_schema_history SET checksum = checksum + 1 WHERE script = 'R__240_ledger_replay.sql'");
            try {
                assertThat(database.analyticsDb().schemaStatus()).isEqualTo(new SchemaStatus(LATEST, LATEST, 1));
            } finally {
                sql.execute("UPDATE analytics.flyway_schema_history SET checksum = checksum - 1 WHERE script = 'R__240_ledger_replay.sql'");
            }
        }
    }

    @Test
    void reading_the_history_leaves_pooled_connections_as_the_login(TestDatabase database) throws SQLException {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(database.jdbcUrl());
        config.setUsername(TestDatabase.APP_USER);
        config.setPassword(System.getenv(TestDatabase.APP_PASSWORD_VARIABLE));
        config.setMaximumPoolSize(2); // Flyway reads with two connections at once
        config.setMinimumIdle(2);
        try (HikariDataSource pool = new HikariDataSource(config)) {
            assertThat(AnalyticsDb.builder().dataSource(pool).build().schemaStatus().isCurrent()).isTrue();

            try (Connection first = pool.getConnection(); Connection second = pool.getConnection()) {
                assertThat(currentUser(first)).isEqualTo(TestDatabase.APP_USER);
                assertThat(currentUser(second)).isEqualTo(TestDatabase.APP_USER);
            }
        }
    }

    @Test
    void an_unreachable_database_is_reported_as_unavailable() {
        PGSimpleDataSource nowhere = new PGSimpleDataSource();
        nowhere.setURL("jdbc:postgresql://127.0.0.1:1/analytics");
        nowhere.setConnectTimeout(1);
        AnalyticsDb db = AnalyticsDb.builder().dataSource(nowhere).build();

        assertThatThrownBy(db::schemaStatus).isInstanceOf(DatabaseUnavailableException.class).hasMessageContaining("migration history");
        assertThatThrownBy(db::schemaVersion).isInstanceOf(DatabaseUnavailableException.class);
    }

    private static String currentUser(Connection connection) throws SQLException {
        try (Statement sql = connection.createStatement(); ResultSet rs = sql.executeQuery("SELECT current_user")) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static java.util.List<String> migrationFiles() {
        String[] files = new java.io.File(System.getProperty("analytics.migrations.dir", "../migrations"))
                .list((dir, name) -> name.endsWith(".sql"));
        return files == null ? java.util.List.of() : java.util.List.of(files);
    }

    private static void execute(TestDatabase database, String statement) throws SQLException {
        try (Connection admin = database.server().connectAdmin(); Statement sql = admin.createStatement()) {
            sql.execute(statement);
        }
    }
}
