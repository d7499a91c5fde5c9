package org.learninganalytics.db.testing;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** One statement with positional arguments on a given connection, for arranging and checking in tests. */
public final class Sql {

    private Sql() {
    }

    public static void execute(Connection connection, String statement, Object... arguments) throws SQLException {
        try (PreparedStatement query = prepared(connection, statement, arguments)) {
            query.execute();
        }
    }

    /** The first column of the first row as a long (a count, a sum, a pid). */
    public static long count(Connection connection, String statement, Object... arguments) throws SQLException {
        try (PreparedStatement query = prepared(connection, statement, arguments); ResultSet rows = query.executeQuery()) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private static PreparedStatement prepared(Connection connection, String statement, Object... arguments) throws SQLException {
        PreparedStatement query = connection.prepareStatement(statement);
        try {
            for (int i = 0; i < arguments.length; i++) query.setObject(i + 1, arguments[i]);
            return query;
        } catch (SQLException e) {
            query.close();
            throw e;
        }
    }
}
