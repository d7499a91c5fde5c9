package org.learninganalytics.demo;

import org.learninganalytics.db.testing.CapturedLogs;
import static org.assertj.core.api.Assertions.assertThat;

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
import org.learninganalytics.db.testing.FreshDatabase;
import org.learninganalytics.db.testing.TestDatabase;
import org.learninganalytics.http.ServeCommand;

import picocli.CommandLine;

/** The demo jar's serve --demo against a real PostgreSQL: it creates, migrates and fills the database. */
@FreshDatabase
class DemoModePgTest {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<String> databasesToDrop = new ArrayList<>();
    private TestDatabase database;

    @AfterEach
    void dropDatabases() throws SQLException {
        for (String name : databasesToDrop) admin("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    }

    @Test
    void demo_mode_creates_migrates_and_fills_a_missing_database_and_keeps_its_data_next_time(TestDatabase database) throws Exception {
        this.database = database;
        String url = database.server().urlFor(missingDatabase());

        try (ServeCommand.Running server = demo(url, TestDatabase.APP_USER, System.getenv(TestDatabase.APP_PASSWORD_VARIABLE)).start()) {
            assertThat(get(server, "/ready").statusCode()).isEqualTo(200);
            assertThat(count(url, "SELECT count(*) FROM analytics.users")).isEqualTo(DemoScale.demo().users());
        }
        try (CapturedLogs logs = new CapturedLogs();
             ServeCommand.Running again = demo(url, TestDatabase.APP_USER, System.getenv(TestDatabase.APP_PASSWORD_VARIABLE)).start()) {
            assertThat(get(again, "/ready").statusCode()).isEqualTo(200);
            assertThat(count(url, "SELECT count(*) FROM analytics.users")).isEqualTo(DemoScale.demo().users());
            assertThat(logs.infos()).anyMatch(line -> line.startsWith("Demo mode: keeping existing data"));
        }
    }

    @Test
    void demo_mode_serves_through_a_superuser_login_with_a_loud_warning(TestDatabase database) throws Exception {
        this.database = database;
        String url = database.server().urlFor(missingDatabase());

        try (CapturedLogs logs = new CapturedLogs();
             ServeCommand.Running server = demo(url, database.user(), database.password()).start()) {
            assertThat(get(server, "/ready").statusCode()).isEqualTo(200);
            assertThat(logs.warnings()).contains("ANALYTICS_DB_USER " + database.user()
                    + " is a superuser: row-level security would not apply; use analytics_app.");
        }
    }

    /** The demo jar's serve --demo on {@code url} with this serving login, migrating as the test server's administrative user. */
    private ServeCommand demo(String url, String user, String password) {
        List<String> args = new ArrayList<>(List.of("serve", "--demo", "--port", "0", "--db-url", url, "--db-user", user,
                "--migration-user", database.user()));
        if (password != null) args.addAll(List.of("--db-password", password));
        if (database.password() != null) args.addAll(List.of("--migration-password", database.password()));
        CommandLine demoJar = DemoMain.commandLine();
        demoJar.parseArgs(args.toArray(String[]::new));
        return demoJar.getSubcommands().get("serve").getCommand();
    }

    /** A database name that does not exist yet; dropped after the test. */
    private String missingDatabase() {
        String name = "analytics_test_demo_" + UUID.randomUUID().toString().substring(0, 8);
        databasesToDrop.add(name);
        return name;
    }

    private long count(String url, String query) throws SQLException {
        try (Connection connection = database.server().connect(url); Statement sql = connection.createStatement();
             ResultSet rs = sql.executeQuery(query)) {
            rs.next();
            return rs.getLong(1);
        }
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
