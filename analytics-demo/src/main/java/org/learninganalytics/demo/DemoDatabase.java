package org.learninganalytics.demo;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

import org.learninganalytics.http.DatabaseOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Demo mode only: creates the configured database when the server answers but lacks it. */
final class DemoDatabase {

    private static final Logger LOG = LoggerFactory.getLogger(DemoDatabase.class);

    private DemoDatabase() {
    }

    static void createIfMissing(String jdbcUrl, String user, String password) {
        Properties props = new Properties();
        if (user != null) props.setProperty("user", user);
        if (password != null) props.setProperty("password", password);
        props.setProperty("connectTimeout", "5");
        try (Connection ignored = DriverManager.getConnection(jdbcUrl, props)) {
            return;
        } catch (SQLException e) {
            if (!"3D000".equals(e.getSQLState())) return; // not "database does not exist": let the pool report it
        }
        String database = databaseName(jdbcUrl);
        String maintenanceUrl = jdbcUrl.replaceFirst("/" + java.util.regex.Pattern.quote(database) + "(\\?|$)", "/postgres$1");
        try (Connection connection = DriverManager.getConnection(maintenanceUrl, props);
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE \"" + database.replace("\"", "\"\"") + "\"");
            LOG.info("Demo mode: created database {} on {}", database, DatabaseOptions.maskPassword(maintenanceUrl));
        } catch (SQLException e) {
            LOG.warn("Demo mode: could not create database {}: {}", database, e.getMessage());
        }
    }

    static String databaseName(String jdbcUrl) {
        int slash = jdbcUrl.indexOf('/', "jdbc:postgresql://".length());
        int query = jdbcUrl.indexOf('?', slash);
        return jdbcUrl.substring(slash + 1, query < 0 ? jdbcUrl.length() : query);
    }
}
