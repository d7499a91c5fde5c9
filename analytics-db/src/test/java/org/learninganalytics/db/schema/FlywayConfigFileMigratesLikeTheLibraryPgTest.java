package org.learninganalytics.db.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.flywaydb.core.api.output.ValidateResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.learninganalytics.db.testing.FreshDatabase;
import org.learninganalytics.db.testing.PostgresServer;
import org.learninganalytics.db.testing.SchemaDump;
import org.learninganalytics.db.testing.TestDatabase;

/**
 * db/flyway.conf, the settings a DBA gives Flyway's command line, applies migrations/ exactly as
 * AnalyticsDb.migrate() does: the same schema (pg_dump) and the same history, and Flyway with
 * that file validates a database the library migrated. The file is read as the command line
 * reads a legacy configuration file (Flyway's own property parser); the URL and login come as
 * on the command line, and the working directory is the repository root. (Flyway's command line
 * itself does not resolve from Maven Central at 13.12.0: flyway-core-utilities and the
 * flyway-verb-* modules it needs are not published there.)
 */
@FreshDatabase
class FlywayConfigFileMigratesLikeTheLibraryPgTest {

    private static PostgresServer server;
    private static String viaConfigFile;

    @BeforeAll
    static void createEmptyDatabase(TestDatabase libraryMigrated) throws SQLException {
        server = libraryMigrated.server();
        viaConfigFile = "analytics_test_flyway_conf_" + UUID.randomUUID().toString().substring(0, 8);
        try (Connection connection = server.connectAdmin(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + viaConfigFile);
        }
    }

    @AfterAll
    static void dropIt() throws SQLException {
        try (Connection connection = server.connectAdmin(); Statement statement = connection.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS " + viaConfigFile + " WITH (FORCE)");
        }
    }

    @Test
    void the_config_file_makes_the_schema_and_history_that_the_library_makes(TestDatabase libraryMigrated) throws Exception {
        MigrateResult result = flyway(viaConfigFile).migrate();
        assertThat(result.success).isTrue();
        assertThat(result.migrationsExecuted).as("every migration applied from migrations/").isGreaterThan(30);

        assertThat(SchemaDump.of(server, viaConfigFile))
                .as("pg_dump of the database migrated with db/flyway.conf vs. with AnalyticsDb.migrate()")
                .isEqualTo(SchemaDump.of(server, libraryMigrated.name()));
        assertThat(history(viaConfigFile)).isEqualTo(history(libraryMigrated.name()));
    }

    @Test
    void flyway_with_the_config_file_validates_a_database_the_library_migrated(TestDatabase libraryMigrated) throws Exception {
        Flyway flyway = flyway(libraryMigrated.name());
        ValidateResult validation = flyway.validateWithResult();
        assertThat(validation.invalidMigrations).as("validate on a library-migrated database").isEmpty();
        assertThat(validation.validationSuccessful).isTrue();
        assertThat(flyway.info().pending()).as("pending migrations").isEmpty();
    }

    private static Flyway flyway(String database) throws Exception {
        Path file = Path.of(System.getProperty("analytics.flyway.config", "../db/flyway.conf")).toAbsolutePath().normalize();
        Properties settings = new Properties();
        try (Reader reader = Files.newBufferedReader(file)) {
            settings.load(reader);
        }
        // The command line runs in the repository root; Flyway's API resolves filesystem
        // locations against the JVM's working directory (analytics-db/ here), so resolve them.
        Path repositoryRoot = file.getParent().getParent();
        String locations = settings.getProperty("flyway.locations");
        assertThat(locations).as("flyway.locations in " + file).isNotBlank();
        settings.setProperty("flyway.locations", java.util.Arrays.stream(locations.split(","))
                .map(String::trim)
                .map(location -> location.startsWith("filesystem:") && !location.startsWith("filesystem:/")
                        ? "filesystem:" + repositoryRoot.resolve(location.substring("filesystem:".length()))
                        : location)
                .collect(java.util.stream.Collectors.joining(",")));
        return Flyway.configure()
                .configuration(settings)
                .dataSource(server.urlFor(database), server.user(), server.password())
                .load();
    }

    /** The history as Flyway compares it: version, description, type, script, checksum, success, in order. */
    private static List<String> history(String database) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection connection = server.connect(server.urlFor(database));
             Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("""
                     SELECT concat_ws(' | ', version, description, type, script, checksum, success)
                     FROM analytics.flyway_schema_history ORDER BY installed_rank""")) {
            while (row.next()) rows.add(row.getString(1));
        }
        return rows;
    }
}
