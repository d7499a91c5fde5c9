package org.learninganalytics.db.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/**
 * A PostgreSQL server the tests may create and drop databases on.
 *
 * <p>{@code adminUrl} points at a maintenance database (usually {@code postgres}); databases for
 * tests are reached by swapping the database name in that URL. Thread-safe (immutable).
 */
public record PostgresServer(String description, String adminUrl, String user, String password) {

    public Connection connectAdmin() throws SQLException {
        return connect(adminUrl);
    }

    public Connection connect(String jdbcUrl) throws SQLException {
        Properties props = new Properties();
        if (user != null) props.setProperty("user", user);
        if (password != null) props.setProperty("password", password);
        props.setProperty("connectTimeout", "5");
        return DriverManager.getConnection(jdbcUrl, props);
    }

    /** The JDBC URL of {@code database} on this server, keeping the admin URL's parameters. */
    public String urlFor(String database) {
        // jdbc:postgresql://host:port/dbname?params
        int slash = adminUrl.indexOf('/', "jdbc:postgresql://".length());
        if (slash < 0) throw new IllegalStateException("JDBC URL has no database part: " + adminUrl);
        int query = adminUrl.indexOf('?', slash);
        String params = query < 0 ? "" : adminUrl.substring(query);
        return adminUrl.substring(0, slash + 1) + database + params;
    }
}
