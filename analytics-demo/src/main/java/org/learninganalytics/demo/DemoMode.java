package org.learninganalytics.demo;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;

import javax.sql.DataSource;

import org.learninganalytics.db.AnalyticsDb;
import org.learninganalytics.db.AnalyticsDbException;
import org.learninganalytics.http.DatabaseOptions;
import org.learninganalytics.http.ServeHook;
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
        try {
            DemoDataReport report = new DemoDataGenerator(servingDataSource(database)).generate(DemoScale.demo());
            LOG.info("Demo mode: loaded {} organizations, {} users, {} point transactions in {} ms",
                    report.organizations(), report.users(), report.pointTransactions(), report.elapsed().toMillis());
        } catch (AnalyticsDbException e) {
            LOG.info("Demo mode: keeping existing data ({})", e.getMessage());
        }
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
