package org.learninganalytics.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.learninganalytics.db.testing.CapturedLogs;
import org.learninganalytics.db.testing.FreshDatabase;
import org.learninganalytics.db.testing.TestDatabase;

import picocli.CommandLine;

/**
 * The DBA commands of the server jar (migrate, info, validate) against a real PostgreSQL, run
 * in-process through the jar's command line, as a DBA reads them: standard output, standard
 * error and the exit code.
 */
@FreshDatabase
class DbaCommandsPgTest {

    /** The jar's migrations, from migrations/: file names, e.g. V001__create_core_tables.sql. */
    private static final List<String> FILES = migrationFiles();
    private static final String LATEST = FILES.stream().filter(name -> name.startsWith("V"))
            .map(name -> name.substring(1, name.indexOf("__"))).max(String::compareTo).orElseThrow();

    private final List<String> databasesToDrop = new ArrayList<>();
    private TestDatabase database;

    @BeforeEach
    void keep(TestDatabase database) {
        this.database = database;
    }

    @AfterEach
    void dropDatabases() throws SQLException {
        for (String name : databasesToDrop) admin("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    }

    @Test
    void migrate_on_an_empty_database_applies_every_migration_then_info_shows_them_all_applied_and_none_pending() throws Exception {
        String url = emptyDatabase();

        Run migrate = run("migrate", url);

        assertThat(migrate.exitCode).isZero();
        assertThat(migrate.err).isEmpty();
        assertThat(migrate.out).contains("Applied " + FILES.size() + " migrations to ", "Schema version: none -> " + LATEST);
        for (String file : FILES) assertThat(row(migrate.out, file)).as(file).contains("Applied");

        Run info = run("info", url);

        assertThat(info.exitCode).isZero();
        assertThat(info.err).isEmpty();
        for (String file : FILES) assertThat(row(info.out, file)).as(file).endsWith("Applied");
        assertThat(info.out).contains("Current version: " + LATEST + " (this jar's latest: " + LATEST + ")", "Pending: 0\n");

        Run again = run("migrate", url);
        assertThat(again.exitCode).isZero();
        assertThat(again.out).startsWith("Nothing to migrate: ").contains("schema version " + LATEST);
    }

    @Test
    void info_on_an_empty_database_lists_every_migration_pending_and_creates_nothing() throws Exception {
        String url = emptyDatabase();

        Run info = run("info", url);

        assertThat(info.exitCode).isZero();
        assertThat(info.err).isEmpty();
        for (String file : FILES) assertThat(row(info.out, file)).as(file).endsWith("Pending");
        assertThat(info.out).contains("Current version: none (this jar's latest: " + LATEST + ")",
                "Pending: " + FILES.size() + " (run migrate to apply them)");
        assertThat(hasSchema(url)).as("info created nothing").isFalse();

        Run validate = run("validate", url);
        assertThat(validate.exitCode).as("pending migrations are migrate's work, not a mismatch").isZero();
        assertThat(validate.out).startsWith("Valid: ").contains("0 applied, " + FILES.size() + " pending");
        assertThat(hasSchema(url)).as("validate created nothing").isFalse();
    }

    @Test
    void validate_passes_on_a_migrated_database_and_info_and_validate_write_nothing() throws Exception {
        String url = database.jdbcUrl();
        List<String> before = history(url);

        Run validate = run("validate", url);
        Run info = run("info", url);

        assertThat(validate.exitCode).isZero();
        assertThat(validate.err).isEmpty();
        assertThat(validate.out).startsWith("Valid: ").contains("schema version " + LATEST + ", " + FILES.size() + " applied, 0 pending.");
        assertThat(info.exitCode).isZero();
        assertThat(history(url)).as("flyway_schema_history unchanged").isEqualTo(before);
    }

    @Test
    void validate_fails_naming_the_migration_whose_checksum_was_tampered_with_and_migrate_refuses_it() throws Exception {
        String url = emptyDatabase();
        assertThat(run("migrate", url).exitCode).isZero();
        execute(url, "UPDATE analytics.flyway_schema_history SET checksum = checksum + 1 WHERE version = '003'");
        List<String> before = history(url);

        Run validate = run("validate", url);

        assertThat(validate.exitCode).isEqualTo(1);
        assertThat(validate.out).startsWith("Invalid: 1 problem in ").contains("\n  migration 003 'create learner analytics tables'"
                + " (V003__create_learner_analytics_tables.sql): checksum differs: applied ");
        assertThat(run("info", url).exitCode).isZero();
        assertThat(history(url)).as("validate and info wrote nothing").isEqualTo(before);

        Run migrate = run("migrate", url);
        assertThat(migrate.exitCode).isEqualTo(1);
        assertThat(migrate.out).isEmpty();
        assertThat(lines(migrate.err)).singleElement().asString()
                .startsWith("Cannot migrate: the migration login " + database.user() + " could not migrate: ")
                .contains("do not match this jar's: migration 003 'create learner analytics tables'", "checksum differs");
        assertThat(history(url)).as("a refused migrate writes nothing either").isEqualTo(before);
    }

    @Test
    void a_migration_that_fails_is_named_in_one_line() throws Exception {
        String url = emptyDatabase();
        assertThat(run("migrate", url).exitCode).isZero();
        // V017's row and every later one gone, V017's index still there: applying it again fails.
        execute(url, "DELETE FROM analytics.flyway_schema_history WHERE version >= '017'");

        try (CapturedLogs logs = new CapturedLogs()) {
            Run migrate = run("migrate", url);

            assertThat(migrate.exitCode).isEqualTo(1);
            assertThat(lines(migrate.err)).singleElement().asString()
                    .startsWith("Cannot migrate: the migration login " + database.user() + " could not migrate: Migrating ")
                    .contains("failed at V017__index_trainer_visibility.sql: ", "already exists");
            assertThat(logs.withStackTraces()).isEmpty();
        }
    }

    @Test
    void a_database_that_cannot_be_reached_gives_exit_1_and_one_line() {
        try (CapturedLogs logs = new CapturedLogs()) {
            Run migrate = run("migrate", "jdbc:postgresql://127.0.0.1:1/analytics?password=hunter2");
            Run info = run("info", "jdbc:postgresql://127.0.0.1:1/analytics");
            Run validate = run("validate", database.server().urlFor("analytics_test_no_such_database"));

            for (Run run : List.of(migrate, info, validate)) {
                assertThat(run.exitCode).isEqualTo(1);
                assertThat(run.out).isEmpty();
                assertThat(lines(run.err)).singleElement().asString().doesNotContain("\tat ", "hunter2");
            }
            assertThat(migrate.err).startsWith("Cannot migrate: the migration login " + database.user()
                    + " cannot connect to jdbc:postgresql://127.0.0.1:1/analytics?password=***: Connection to 127.0.0.1:1 refused");
            assertThat(info.err).startsWith("Cannot read the migration history: the migration login " + database.user()
                    + " cannot connect to jdbc:postgresql://127.0.0.1:1/analytics: ");
            assertThat(validate.err).startsWith("Cannot validate the migrations: the migration login " + database.user()
                    + " cannot connect to ").contains("analytics_test_no_such_database\" does not exist");
            assertThat(logs.withStackTraces()).isEmpty();
        }
    }

    @Test
    void the_dba_commands_take_the_url_and_the_migration_login_of_serve_and_no_serving_option() {
        CommandLine main = new CommandLine(new Main());
        List<String> serveOptions = main.getSubcommands().get("serve").getCommandSpec().options().stream()
                .map(CommandLine.Model.OptionSpec::longestName).toList();
        assertThat(serveOptions).contains("--db-url", "--migration-user", "--migration-password", "--db-user");

        for (String command : List.of("migrate", "info", "validate")) {
            assertThat(main.getSubcommands().get(command).getCommandSpec().options().stream()
                    .map(CommandLine.Model.OptionSpec::longestName).toList())
                    .as(command).containsExactlyInAnyOrder("--db-url", "--migration-user", "--migration-password", "--help", "--version");
        }
    }

    /** What one command printed and returned. */
    private record Run(int exitCode, String out, String err) {
    }

    /** {@code command} of the server jar against {@code url}, as the test server's administrative login. */
    private Run run(String command, String url) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine main = new CommandLine(new Main());
        main.setOut(new PrintWriter(out, true));
        main.setErr(new PrintWriter(err, true));
        List<String> args = new ArrayList<>(List.of(command, "--db-url", url, "--migration-user", database.user()));
        if (database.password() != null) args.addAll(List.of("--migration-password", database.password()));
        int exitCode = main.execute(args.toArray(String[]::new));
        return new Run(exitCode, out.toString(), err.toString());
    }

    /** The table row of a migration file, e.g. "003  create learner analytics tables  Versioned  ...  Applied". */
    private static String row(String table, String file) {
        boolean versioned = file.startsWith("V");
        String version = versioned ? file.substring(1, file.indexOf("__")) : "";
        String description = file.substring(file.indexOf("__") + 2, file.length() - ".sql".length()).replace('_', ' ');
        return lines(table).stream()
                .filter(line -> versioned ? line.startsWith(version + " ") : line.startsWith(" "))
                .filter(line -> line.contains(" " + description + " "))
                .reduce((first, later) -> later)
                .orElseThrow(() -> new AssertionError("no row for " + file + " in\n" + table));
    }

    private static List<String> lines(String text) {
        return text.isEmpty() ? List.of() : List.of(text.split("\\R"));
    }

    /** Every row of the migration history, as text. */
    private List<String> history(String url) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection connection = database.server().connect(url); Statement sql = connection.createStatement();
             ResultSet rs = sql.executeQuery("SELECT h::text FROM analytics.flyway_schema_history h ORDER BY installed_rank")) {
            while (rs.next()) rows.add(rs.getString(1));
        }
        assertThat(rows).isNotEmpty();
        return rows;
    }

    private boolean hasSchema(String url) throws SQLException {
        try (Connection connection = database.server().connect(url); Statement sql = connection.createStatement();
             ResultSet rs = sql.executeQuery("SELECT count(*) FROM pg_namespace WHERE nspname = 'analytics'")) {
            rs.next();
            return rs.getInt(1) > 0;
        }
    }

    /** A new database with nothing in it: the roles exist (they are cluster-wide), the schema does not. */
    private String emptyDatabase() throws SQLException {
        String name = "analytics_test_dba_" + UUID.randomUUID().toString().substring(0, 8);
        admin("CREATE DATABASE " + name);
        databasesToDrop.add(name);
        return database.server().urlFor(name);
    }

    private void execute(String url, String statement) throws SQLException {
        try (Connection connection = database.server().connect(url); Statement sql = connection.createStatement()) {
            sql.execute(statement);
        }
    }

    private void admin(String statement) throws SQLException {
        try (Connection connection = database.server().connectAdmin(); Statement sql = connection.createStatement()) {
            sql.execute(statement);
        }
    }

    private static List<String> migrationFiles() {
        String[] files = new File(System.getProperty("analytics.migrations.dir", "../migrations")).list((dir, name) -> name.endsWith(".sql"));
        assertThat(files).as("the migrations directory").isNotEmpty();
        return Arrays.stream(files).sorted().toList();
    }
}
