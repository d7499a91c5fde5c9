package org.learninganalytics.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

import org.learninganalytics.db.AnalyticsDb;
import org.learninganalytics.db.testing.PostgresServer;
import org.learninganalytics.db.testing.PostgresServers;
import org.learninganalytics.db.testing.TestDatabase;
import org.learninganalytics.demo.DemoDataGenerator;
import org.learninganalytics.demo.DemoDataReport;
import org.learninganalytics.demo.DemoScale;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The benchmarks' database: {@code analytics_bench} on the test server (see
 * {@link PostgresServers}), migrated and filled at benchmark scale (200,000 users, 5,000,000
 * point transactions) on first use, then kept for later runs. Drop it to start over.
 */
final class BenchmarkDatabase {

    static final String NAME = System.getProperty("bench.database", "analytics_bench");

    private BenchmarkDatabase() {
    }

    static PostgresServer prepare() throws SQLException {
        PostgresServer server = PostgresServers.get();
        boolean exists;
        try (Connection admin = server.connectAdmin(); Statement sql = admin.createStatement();
             ResultSet rs = sql.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + NAME + "'")) {
            exists = rs.next();
        }
        if (exists && generatedBeforeThisWeek(server)) {
            // The generated history ends on the day it was made; from the next Monday on, the
            // weekly board would hold only what benchmarks added. Start over.
            System.out.println("[bench] " + NAME + " was generated before this week began: dropping it");
            try (Connection admin = server.connectAdmin(); Statement sql = admin.createStatement()) {
                sql.execute("DROP DATABASE " + NAME + " WITH (FORCE)");
            }
            exists = false;
        }
        if (!exists) {
            try (Connection admin = server.connectAdmin(); Statement sql = admin.createStatement()) {
                sql.execute("CREATE DATABASE " + NAME);
            }
        }
        try (AnalyticsDb owner = AnalyticsDb.builder().jdbcUrl(server.urlFor(NAME), server.user(), server.password()).build()) {
            owner.migrate();
        }
        if (count(server, "SELECT count(*) FROM analytics.organizations") == 0) {
            System.out.println("[bench] generating benchmark-scale data into " + NAME + " (about a minute)...");
            PGSimpleDataSource app = new PGSimpleDataSource();
            app.setURL(server.urlFor(NAME));
            app.setUser(TestDatabase.APP_USER);
            app.setPassword(System.getenv(TestDatabase.APP_PASSWORD_VARIABLE));
            DemoDataReport report = new DemoDataGenerator(app).generate(DemoScale.benchmark());
            System.out.printf("[bench] generated %d users, %d transactions, %d learning events (loaded in %.1f s) in %.1f s%n",
                    report.users(), report.pointTransactions(), report.learningEvents(), report.eventsLoad().toMillis() / 1000.0,
                    report.elapsed().toMillis() / 1000.0);
            try (Connection admin = adminConnection(server); Statement sql = admin.createStatement()) {
                // Only the loaded tables. Analyzing an empty table (award_keys) records "0 pages",
                // and PL/pgSQL then caches a sequential-scan plan for its key lookup that stays
                // while the table grows during the run: awards/s fell to a third.
                sql.execute("VACUUM ANALYZE analytics.organizations, analytics.users, analytics.user_roles, analytics.courses,"
                        + " analytics.enrollments, analytics.user_skills, analytics.point_transactions, analytics.daily_activity,"
                        + " analytics.user_points, analytics.user_preferences, analytics.course_skills, analytics.learning_events");
            }
        }
        return server;
    }

    /** Whether the generated point history (not the benchmarks' own awards) ends before this week's Monday. */
    private static boolean generatedBeforeThisWeek(PostgresServer server) throws SQLException {
        try (Connection admin = adminConnection(server); Statement sql = admin.createStatement();
             ResultSet rs = sql.executeQuery("SELECT to_regclass('analytics.point_transactions') IS NOT NULL")) {
            rs.next();
            if (!rs.getBoolean(1)) return false;
        }
        return count(server, "SELECT count(*) FROM analytics.organizations") > 0
                && count(server, "SELECT count(*) FROM analytics.point_transactions WHERE activity_type NOT LIKE 'bench\\_%'"
                        + " AND \"timestamp\" >= date_trunc('week', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'") == 0;
    }

    /**
     * Removes what earlier benchmark runs added (awards of the bench_* activity types and their
     * keys), so every run starts from the generated 5,000,000 transactions. Totals in
     * user_points keep those awards; no measurement reads them.
     */
    static void removeEarlierRuns(PostgresServer server) throws SQLException {
        try (Connection admin = adminConnection(server); Statement sql = admin.createStatement()) {
            int removed = sql.executeUpdate("DELETE FROM analytics.point_transactions WHERE activity_type LIKE 'bench\\_%'");
            // TRUNCATE, not DELETE + ANALYZE: an analyzed empty award_keys makes PL/pgSQL cache a
            // sequential-scan plan for the key lookup (see prepare()).
            sql.execute("TRUNCATE analytics.award_keys");
            if (removed > 0) {
                System.out.printf("[bench] removed %d point transactions of earlier runs%n", removed);
                sql.execute("VACUUM ANALYZE analytics.point_transactions");
            }
        }
    }

    static Connection adminConnection(PostgresServer server) throws SQLException {
        return server.connect(server.urlFor(NAME));
    }

    static Connection appConnection(PostgresServer server) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", TestDatabase.APP_USER);
        String password = System.getenv(TestDatabase.APP_PASSWORD_VARIABLE);
        if (password != null) props.setProperty("password", password);
        return DriverManager.getConnection(server.urlFor(NAME), props);
    }

    static long count(PostgresServer server, String query) throws SQLException {
        try (Connection admin = adminConnection(server); Statement sql = admin.createStatement(); ResultSet rs = sql.executeQuery(query)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
