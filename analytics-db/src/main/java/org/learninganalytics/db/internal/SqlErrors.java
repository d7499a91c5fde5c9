package org.learninganalytics.db.internal;

import java.sql.SQLTransientConnectionException;

import org.jooq.exception.DataAccessException;
import org.learninganalytics.db.AnalyticsDbException;
import org.learninganalytics.db.AnalyticsDbException.Kind;
import org.learninganalytics.db.DatabaseUnavailableException;
import org.learninganalytics.db.QueryTimeoutException;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/** What PostgreSQL said about an error, without the SQL text jOOQ adds to its messages. Not API. */
public final class SqlErrors {

    private SqlErrors() {
    }

    /** The server's own message (e.g. a RAISE ... MESSAGE), or null. */
    public static String serverMessage(DataAccessException e) {
        ServerErrorMessage server = server(e);
        return server == null ? null : server.getMessage();
    }

    /** The violated constraint's name, or null. */
    public static String constraint(DataAccessException e) {
        ServerErrorMessage server = server(e);
        return server == null ? null : server.getConstraint();
    }

    /**
     * The generic translation of a database error a service did not translate itself, by
     * SQLSTATE class. The message is PostgreSQL's own (never jOOQ's, which carries the SQL).
     */
    public static AnalyticsDbException translate(DataAccessException e) {
        String state = e.sqlState() == null ? "" : e.sqlState();
        String said = serverMessage(e);
        if (e.getCause(SQLTransientConnectionException.class) != null || state.startsWith("08")
                || state.equals("53300") || state.equals("57P01") || state.equals("57P02") || state.equals("57P03")) {
            return new DatabaseUnavailableException("the database is not available" + (said == null ? "" : ": " + said), e);
        }
        return switch (state) {
            case "57014" -> new QueryTimeoutException("the request ran longer than its time limit and was cancelled", e);
            case "55P03" -> new QueryTimeoutException("the request waited longer than its time limit for a lock", e);
            case "40001", "40P01" -> new AnalyticsDbException(Kind.CONFLICT,
                    "the request kept conflicting with concurrent changes; try again", e);
            default -> state.startsWith("22") || state.startsWith("23")
                    ? new AnalyticsDbException(Kind.INVALID_INPUT, said != null ? said : "the database refused the values (SQLSTATE " + state + ")", e)
                    : new AnalyticsDbException(Kind.FAILED, "database error (SQLSTATE " + (state.isEmpty() ? "unknown" : state) + ")"
                            + (said == null ? "" : ": " + said), e);
        };
    }

    private static ServerErrorMessage server(DataAccessException e) {
        PSQLException psql = e.getCause(PSQLException.class);
        return psql == null ? null : psql.getServerErrorMessage();
    }
}
