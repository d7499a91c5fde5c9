package org.learninganalytics.demo;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.sql.SQLException;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import org.learninganalytics.db.AnalyticsDb;
import org.learninganalytics.db.AnalyticsDbException;
import org.learninganalytics.http.DatabaseOptions;
import org.learninganalytics.http.ServeHook;
import org.learninganalytics.http.auth.AuthOptions;
import org.learninganalytics.http.StartupException;
import org.postgresql.ds.PGSimpleDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import picocli.CommandLine.Option;

/**
 * Demo mode around the server's {@code serve} ({@code --demo}): with no database configured it
 * uses {@code analytics_demo} on the local PostgreSQL, or an embedded PostgreSQL 15 when none
 * answers; it creates the database if missing and loads demo data when it is empty. A picocli
 * mixin of the demo jar's {@code serve}. Not thread-safe.
 */
final class DemoMode implements ServeHook {

    private static final Logger LOG = LoggerFactory.getLogger(DemoMode.class);

    /** Demo mode's database on the local server when none is configured. */
    static final String DEMO_DATABASE = "analytics_demo";

    @Option(names = "--demo", defaultValue = "${env:ANALYTICS_DEMO:-false}",
            description = "create the database if missing and load demo data into it when empty; with no database"
                    + " configured: " + DEMO_DATABASE + " on the local PostgreSQL, else an embedded PostgreSQL 15 (env ANALYTICS_DEMO)")
    boolean enabled;

    @Option(names = "--local-postgres", paramLabel = "HOST:PORT", defaultValue = "${env:ANALYTICS_DEMO_LOCAL_ADDRESS:-127.0.0.1:5432}",
            description = "where demo mode looks for a local PostgreSQL when no database is configured"
                    + " (env ANALYTICS_DEMO_LOCAL_ADDRESS, default ${DEFAULT-VALUE}; 127.0.0.1:1 forces the embedded one)")
    String localAddress;

    private EmbeddedDemoPostgres embedded;
    /** Demo tokens, when this run made the secret; null otherwise. */
    private DemoTokens tokens;
    private DatabaseOptions database;

    @Override
    public void beforeAuthentication(AuthOptions auth) {
        if (!enabled) return;
        if (auth.isConfigured()) {
            LOG.info("Demo mode: token keys are configured, so tokens come from your issuer; no demo tokens are printed");
            return;
        }
        String secret = DemoTokens.newSecret();
        auth.secret(secret);
        tokens = new DemoTokens(secret, auth.serviceRole());
        LOG.info("Demo mode: no ANALYTICS_JWT_SECRET set, so this run signs and accepts tokens with a secret of its own");
    }

    @Override
    public void beforeMigrating(DatabaseOptions database) {
        if (!enabled) return;
        if (!database.urlConfigured()) {
            database.url("jdbc:postgresql://" + localAddress + "/" + DEMO_DATABASE);
            if (!answers(localAddress)) {
                try {
                    embedded = EmbeddedDemoPostgres.start(localAddress);
                } catch (IOException e) {
                    throw new StartupException(e.getMessage(), e);
                }
                database.url(embedded.jdbcUrl());
                database.migrationUser("postgres");
            }
        }
        DemoDatabase.createIfMissing(database.url(), database.migrationUser(), database.migrationPassword());
    }

    @Override
    public boolean allowsPrivilegedServingLogin() {
        return enabled;
    }

    @Override
    public void beforeServing(DatabaseOptions database, AnalyticsDb db) {
        if (!enabled) return;
        this.database = database;
        try {
            DemoDataReport report = new DemoDataGenerator(servingDataSource(database)).generate(DemoScale.demo());
            LOG.info("Demo mode: loaded {} organizations, {} users, {} point transactions, {} learning events in {} ms",
                    report.organizations(), report.users(), report.pointTransactions(), report.learningEvents(), report.elapsed().toMillis());
        } catch (AnalyticsDbException e) {
            LOG.info("Demo mode: keeping existing data ({})", e.getMessage());
        }
    }

    /** Ready-to-paste curl lines with a token for each kind of caller. */
    @Override
    public void started(int port) {
        if (tokens == null || database == null) return;
        Map<String, UUID> people;
        try {
            people = DemoTokens.people(servingDataSource(database));
        } catch (SQLException e) {
            LOG.warn("Demo mode: cannot pick demo users for tokens: {}", e.getMessage());
            return;
        }
        String base = "http://localhost:" + port;
        StringBuilder lines = new StringBuilder("Demo mode: try the API (tokens valid for 24 hours; documentation at " + base + "/docs):");
        people.forEach((label, id) -> {
            String path = switch (label) {
                case "learner" -> "/v1/me";
                case "trainer" -> "/v1/users/" + people.get("learner") + "/points";
                default -> "/v1/leaderboards/weekly?limit=5";
            };
            lines.append(System.lineSeparator()).append("  # as a ").append(label).append(System.lineSeparator())
                    .append("  curl -s -H 'Authorization: Bearer ").append(tokens.user(id)).append("' '").append(base).append(path).append("'");
        });
        lines.append(System.lineSeparator()).append("  # as the service").append(System.lineSeparator())
                .append("  curl -s -H 'Authorization: Bearer ").append(tokens.service()).append("' '").append(base)
                .append("/v1/admin/activity-rules'");
        LOG.info("{}", lines);
    }

    @Override
    public synchronized void close() {
        if (embedded == null) return;
        try {
            embedded.close();
        } catch (IOException e) {
            LOG.warn("Embedded PostgreSQL did not stop cleanly: {}", e.getMessage());
        }
        embedded = null;
    }

    /** Connections as the serving login, which may switch to the service role the generator writes as. */
    static DataSource servingDataSource(DatabaseOptions database) {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setURL(database.url());
        dataSource.setUser(database.user());
        dataSource.setPassword(database.password());
        dataSource.setConnectTimeout(5);
        dataSource.setApplicationName("analytics-demo");
        return dataSource;
    }

    private static boolean answers(String hostAndPort) {
        int colon = hostAndPort.lastIndexOf(':');
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(hostAndPort.substring(0, colon), Integer.parseInt(hostAndPort.substring(colon + 1))), 1000);
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
