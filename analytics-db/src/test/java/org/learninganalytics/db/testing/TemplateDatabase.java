package org.learninganalytics.db.testing;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

import org.learninganalytics.db.AnalyticsDb;

/**
 * One migrated database per test JVM, used as the template every test class's database is
 * copied from: {@code CREATE DATABASE ... TEMPLATE} is much faster than migrating each time.
 * Dropped when the JVM exits.
 */
final class TemplateDatabase {

    private static String name;

    private TemplateDatabase() {
    }

    static synchronized String get(PostgresServer server) {
        if (name == null) {
            String template = "analytics_test_tpl_" + UUID.randomUUID().toString().substring(0, 8);
            execute(server, "CREATE DATABASE " + template);
            try (AnalyticsDb db = AnalyticsDb.builder()
                    .jdbcUrl(server.urlFor(template), server.user(), server.password())
                    .maximumPoolSize(2) // Flyway holds one connection for its lock, one to migrate
                    .build()) {
                db.migrate();
            } catch (RuntimeException e) {
                dropQuietly(server, template);
                throw e;
            }
            Runtime.getRuntime().addShutdownHook(new Thread(() -> dropQuietly(server, template)));
            name = template;
        }
        return name;
    }

    /** Creates {@code database} as a copy of the template, retrying while the template's last session exits. */
    static void copyTo(PostgresServer server, String database) {
        String template = get(server);
        SQLException last = null;
        for (int attempt = 0; attempt < 50; attempt++) {
            try (Connection connection = server.connectAdmin(); Statement statement = connection.createStatement()) {
                statement.execute("CREATE DATABASE " + database + " TEMPLATE " + template);
                return;
            } catch (SQLException e) {
                if (!"55006".equals(e.getSQLState())) { // object_in_use: a session on the template is still closing
                    throw new IllegalStateException("Cannot create test database " + database, e);
                }
                last = e;
                sleep(100);
            }
        }
        throw new IllegalStateException("Template " + template + " stayed busy", last);
    }

    static void dropQuietly(PostgresServer server, String database) {
        try {
            execute(server, "DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
        } catch (RuntimeException e) {
            System.err.println("[analytics tests] could not drop " + database + ": " + e.getMessage());
        }
    }

    static void execute(PostgresServer server, String sql) {
        try (Connection connection = server.connectAdmin(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("Failed: " + sql, e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
