package org.learninganalytics.db.testing;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.learninganalytics.db.AnalyticsDb;

/**
 * A freshly migrated database that belongs to one test class (see {@link FreshDatabase}).
 * {@link #connect()} opens a connection as the server's administrative user, for arranging
 * and checking rows outside the library. Not thread-safe to close; everything else is.
 */
public final class TestDatabase implements AutoCloseable {

    private final PostgresServer server;
    private final String name;
    private final List<AutoCloseable> resources = new ArrayList<>();

    TestDatabase(PostgresServer server, String name) {
        this.server = server;
        this.name = name;
    }

    public PostgresServer server() {
        return server;
    }

    public String name() {
        return name;
    }

    public String jdbcUrl() {
        return server.urlFor(name);
    }

    public String user() {
        return server.user();
    }

    public String password() {
        return server.password();
    }

    /** The login role the service's pool uses in production; password from {@value #APP_PASSWORD_VARIABLE}. */
    public static final String APP_USER = "analytics_app";
    public static final String APP_PASSWORD_VARIABLE = "ANALYTICS_TEST_APP_PASSWORD";

    /** A library instance connected as the service's login role (analytics_app), closed with this database. */
    public synchronized AnalyticsDb analyticsDb() {
        return register(AnalyticsDb.builder().jdbcUrl(jdbcUrl(), APP_USER, System.getenv(APP_PASSWORD_VARIABLE)).build());
    }

    /** A library instance connected as the administrative user, e.g. to run migrations. */
    public synchronized AnalyticsDb adminAnalyticsDb() {
        return register(AnalyticsDb.builder().jdbcUrl(jdbcUrl(), user(), password()).build());
    }

    private AnalyticsDb register(AnalyticsDb db) {
        resources.add(db);
        return db;
    }

    /** Connections as the service's login role (analytics_app), for code that takes a {@link javax.sql.DataSource}. */
    public javax.sql.DataSource appDataSource() {
        org.postgresql.ds.PGSimpleDataSource dataSource = new org.postgresql.ds.PGSimpleDataSource();
        dataSource.setURL(jdbcUrl());
        dataSource.setUser(APP_USER);
        dataSource.setPassword(System.getenv(APP_PASSWORD_VARIABLE));
        return dataSource;
    }

    /** A connection as the service's login role (analytics_app): no privileges until it SETs ROLE. */
    public Connection connectAsApp() throws SQLException {
        java.util.Properties props = new java.util.Properties();
        props.setProperty("user", APP_USER);
        String password = System.getenv(APP_PASSWORD_VARIABLE);
        if (password != null) props.setProperty("password", password);
        return java.sql.DriverManager.getConnection(jdbcUrl(), props);
    }

    /** An administrative connection (superuser on the local server): bypasses row-level security. */
    public Connection connect() throws SQLException {
        return server.connect(jdbcUrl());
    }

    /** Runs {@code work} with a jOOQ context over an administrative connection. */
    public <T> T withAdmin(java.util.function.Function<DSLContext, T> work) {
        try (Connection connection = connect()) {
            return work.apply(DSL.using(connection, SQLDialect.POSTGRES));
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public synchronized void close() throws Exception {
        for (AutoCloseable resource : resources) {
            resource.close();
        }
        resources.clear();
        TemplateDatabase.dropQuietly(server, name);
    }
}
