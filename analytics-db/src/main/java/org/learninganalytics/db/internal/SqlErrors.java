package org.learninganalytics.db.internal;

import org.jooq.exception.DataAccessException;
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

    private static ServerErrorMessage server(DataAccessException e) {
        PSQLException psql = e.getCause(PSQLException.class);
        return psql == null ? null : psql.getServerErrorMessage();
    }
}
