package org.learninganalytics.http;

import org.learninganalytics.db.testing.CapturedLogs;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.learninganalytics.db.AnalyticsDb;
import org.learninganalytics.db.testing.FreshDatabase;
import org.learninganalytics.db.testing.TestDatabase;

import picocli.CommandLine;

/** Start-up of the serve command against a real PostgreSQL: what it checks before it serves. */
@FreshDatabase
class ServeCommandPgTest {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final String LOGIN_PASSWORD = "analytics-test";

    private final List<String> databasesToDrop = new ArrayList<>();
    private final List<String> rolesToDrop = new ArrayList<>();
    private TestDatabase database;

    @AfterEach
    void dropDatabasesAndRoles() throws SQLException {
        for (String name : databasesToDrop) admin("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        for (String name : rolesToDrop) admin("DROP ROLE IF EXISTS " + name);
    }

    @Test
    void with_no_migrate_the_server_is_not_ready_until_the_schema_is_migrated(TestDatabase database) throws Exception {
        this.database = database;
        String url = emptyDatabase();

        try (ServeCommand.Running server = command("--no-migrate", "--port", "0", "--db-url", url).start()) {
            HttpResponse<String> unmigrated = get(server, "/ready");
            assertThat(unmigrated.statusCode()).isEqualTo(503);
            assertThat(unmigrated.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
            assertThat(unmigrated.body()).contains("schema").doesNotContain("jdbc", "Exception");
            assertThat(get(server, "/health").statusCode()).as("the process itself is up").isEqualTo(200);

            try (AnalyticsDb owner = AnalyticsDb.builder().jdbcUrl(url, database.user(), database.password()).build()) {
                owner.migrate(); // as a DBA would, while the server runs
            }

            HttpResponse<String> migrated = get(server, "/ready");
            assertThat(migrated.statusCode()).isEqualTo(200);
            assertThat(migrated.body()).contains("READY");
        }
    }

    @Test
    void serve_runs_the_jobs_on_their_configured_schedules_unless_told_to_only_serve(TestDatabase database) throws Exception {
        this.database = database;
        try (ServeCommand.Running server = command("--no-migrate", "--port", "0", "--db-url", database.jdbcUrl(),
                "--job-polling-interval-ms", "200", "--job-schedules", "refresh-leaderboards=every:1h; recompute-analytics=off").start()) {
            assertThat(scheduledJobs(database)).contains("refresh-leaderboards", "refresh-peer-comparison", "refresh-skill-demand")
                    .doesNotContain("recompute-analytics");
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (count(database, "SELECT count(*) FROM analytics.job_runs WHERE job_name = 'refresh-leaderboards' AND trigger = 'scheduled'"
                    + " AND outcome = 'succeeded'") == 0) { // every:1h is due at once
                assertThat(System.nanoTime()).as("a scheduled run of refresh-leaderboards").isLessThan(deadline);
                Thread.sleep(100);
            }
        }
        try (Connection admin = database.connect(); Statement sql = admin.createStatement()) {
            sql.execute("DELETE FROM analytics.scheduled_tasks");
        }
        try (ServeCommand.Running server = command("--no-migrate", "--port", "0", "--db-url", database.jdbcUrl(), "--no-jobs").start()) {
            assertThat(scheduledJobs(database)).isEmpty();
        }
        assertThat(new CommandLine(new Main()).execute("serve", "--port", "0", "--db-url", database.jdbcUrl(),
                "--job-schedules", "refresh-leaderboards=sometimes")).as("a wrong schedule stops the start").isEqualTo(1);
    }

    private static List<String> scheduledJobs(TestDatabase database) throws SQLException {
        List<String> names = new ArrayList<>();
        try (Connection admin = database.connect(); Statement sql = admin.createStatement();
             ResultSet rows = sql.executeQuery("SELECT task_name FROM analytics.scheduled_tasks")) {
            while (rows.next()) names.add(rows.getString(1));
        }
        return names;
    }

    private static long count(TestDatabase database, String query) throws SQLException {
        try (Connection admin = database.connect(); Statement sql = admin.createStatement(); ResultSet rows = sql.executeQuery(query)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    @Test
    void a_port_in_use_stops_the_start_before_migrating_with_one_clear_line(TestDatabase database) throws Exception {
        this.database = database;
        String url = emptyDatabase();
        StringWriter err = new StringWriter();

        int exitCode;
        try (ServerSocket taken = new ServerSocket(0); CapturedLogs logs = new CapturedLogs()) {
            CommandLine main = new CommandLine(new Main());
            main.setErr(new PrintWriter(err));
            exitCode = main.execute(withAppPassword("serve", "--port", String.valueOf(taken.getLocalPort()), "--db-url", url));

            assertThat(logs.errors()).containsExactly("Cannot start: port " + taken.getLocalPort() + " is already in use");
            assertThat(logs.withStackTraces()).isEmpty();
        }
        assertThat(exitCode).isEqualTo(1);
        assertThat(err.toString()).as("no stack trace from picocli").isEmpty();
        assertThat(hasSchema(url)).as("nothing migrated").isFalse();
    }

    @Test
    void a_superuser_serving_login_is_refused(TestDatabase database) throws Exception {
        this.database = database;
        String superuser = loginRole("SUPERUSER");

        try (CapturedLogs logs = new CapturedLogs()) {
            assertThat(serveAs(superuser)).isEqualTo(1);
            assertThat(logs.errors()).containsExactly("Cannot start: ANALYTICS_DB_USER " + superuser
                    + " is a superuser: row-level security would not apply; use analytics_app");
            assertThat(logs.withStackTraces()).isEmpty();
        }
    }

    @Test
    void a_serving_login_with_BYPASSRLS_is_refused(TestDatabase database) throws Exception {
        this.database = database;
        String bypassing = loginRole("BYPASSRLS");

        try (CapturedLogs logs = new CapturedLogs()) {
            assertThat(serveAs(bypassing)).isEqualTo(1);
            assertThat(logs.errors()).containsExactly("Cannot start: ANALYTICS_DB_USER " + bypassing
                    + " has BYPASSRLS: row-level security would not apply; use analytics_app");
        }
    }

    @Test
    void a_login_that_cannot_connect_is_named_with_the_servers_reason(TestDatabase database) throws Exception {
        this.database = database;

        try (CapturedLogs logs = new CapturedLogs()) {
            assertThat(new CommandLine(new Main()).execute("serve", "--port", "0", "--db-url", database.jdbcUrl(),
                    "--migration-user", "no_such_dba")).isEqualTo(1);
            assertThat(new CommandLine(new Main()).execute("serve", "--port", "0", "--db-url", database.jdbcUrl(),
                    "--no-migrate", "--db-user", "no_such_app")).isEqualTo(1);

            assertThat(logs.errors()).hasSize(2);
            assertThat(logs.errors().get(0))
                    .startsWith("Cannot start: the migration login no_such_dba cannot connect to " + database.jdbcUrl() + ": ")
                    .contains("\"no_such_dba\"");
            assertThat(logs.errors().get(1))
                    .startsWith("Cannot start: the serving login no_such_app cannot connect to " + database.jdbcUrl() + ": ")
                    .contains("\"no_such_app\"");
            assertThat(logs.withStackTraces()).isEmpty();
        }
    }

    private int serveAs(String login) {
        return new CommandLine(new Main()).execute("serve", "--no-migrate", "--port", "0", "--db-url", database.jdbcUrl(),
                "--db-user", login, "--db-password", LOGIN_PASSWORD);
    }

    /** A login role with {@code attribute}, dropped after the test. */
    private String loginRole(String attribute) throws SQLException {
        String name = "analytics_test_" + attribute.toLowerCase(java.util.Locale.ROOT) + "_" + UUID.randomUUID().toString().substring(0, 8);
        admin("CREATE ROLE " + name + " LOGIN " + attribute + " PASSWORD '" + LOGIN_PASSWORD + "'");
        rolesToDrop.add(name);
        return name;
    }

    /** The serve command as parsed from {@code args}, as the serving login analytics_app. */
    private static ServeCommand command(String... args) {
        ServeCommand serve = new ServeCommand();
        new CommandLine(serve).parseArgs(withAppPassword(args));
        return serve;
    }

    /** {@code args} with analytics_app's password for the tests, when it needs one. */
    private static String[] withAppPassword(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        String appPassword = System.getenv(TestDatabase.APP_PASSWORD_VARIABLE);
        if (appPassword != null) all.addAll(List.of("--db-password", appPassword));
        return all.toArray(String[]::new);
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
        String name = "analytics_test_serve_" + UUID.randomUUID().toString().substring(0, 8);
        admin("CREATE DATABASE " + name);
        databasesToDrop.add(name);
        return database.server().urlFor(name);
    }

    private void admin(String statement) throws SQLException {
        try (Connection connection = database.server().connectAdmin(); Statement sql = connection.createStatement()) {
            sql.execute(statement);
        }
    }

    private HttpResponse<String> get(ServeCommand.Running server, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + server.port() + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
