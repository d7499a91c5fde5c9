package org.learninganalytics.db.internal;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import javax.sql.DataSource;

import org.learninganalytics.db.AnalyticsDbException;
import org.learninganalytics.db.DatabaseUnavailableException;
import org.learninganalytics.db.LoginRole;

/** What a pool logs in as. Not API. */
public final class Logins {

    private Logins() {
    }

    public static LoginRole loginRole(DataSource dataSource, String description) {
        try (Connection connection = dataSource.getConnection(); Statement sql = connection.createStatement();
             ResultSet rs = sql.executeQuery("SELECT rolname, rolsuper, rolbypassrls FROM pg_roles WHERE rolname = session_user")) {
            if (!rs.next()) throw new AnalyticsDbException("The login role of " + description + " is not in pg_roles");
            return new LoginRole(rs.getString(1), rs.getBoolean(2), rs.getBoolean(3));
        } catch (SQLException e) {
            String message = "Reading the login role of " + description + " failed: " + e.getMessage();
            throw Failures.isConnectionFailure(e) ? new DatabaseUnavailableException(message, e) : new AnalyticsDbException(message, e);
        }
    }
}
