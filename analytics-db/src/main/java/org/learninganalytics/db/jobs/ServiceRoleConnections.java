package org.learninganalytics.db.jobs;

import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.Set;
import java.util.logging.Logger;

import javax.sql.DataSource;

import org.learninganalytics.db.internal.DbRoles;

/**
 * db-scheduler's connections: the service pool's, and every transaction on them runs as the
 * service role, the only role granted {@code scheduled_tasks}. The pool's logins are NOINHERIT,
 * so they must switch; a session-level {@code SET ROLE} would outlive the borrowing (and, through
 * PgBouncer in transaction mode, land on another client's server connection), so each
 * transaction starts with {@code SET LOCAL ROLE} instead: the connection is lent with
 * auto-commit off (db-scheduler then commits after each statement,
 * {@code commitWhenAutocommitDisabled}), and the role is set again after every commit or
 * rollback. On close, an open transaction is rolled back and auto-commit restored, so the pool
 * gets its connection back as it lent it. Thread-safe (each connection is one thread's).
 */
final class ServiceRoleConnections implements DataSource {

    private static final String SET_ROLE = "SET LOCAL ROLE " + DbRoles.SERVICE;
    private static final Set<String> STATEMENTS = Set.of("createStatement", "prepareStatement", "prepareCall");

    private final DataSource pool;

    ServiceRoleConnections(DataSource pool) {
        this.pool = pool;
    }

    @Override
    public Connection getConnection() throws SQLException {
        Connection connection = pool.getConnection();
        try {
            connection.setAutoCommit(false);
        } catch (SQLException e) {
            connection.close();
            throw e;
        }
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                new AsServiceRole(connection));
    }

    /** Sets the role at the start of each transaction; see the class comment. */
    private static final class AsServiceRole implements InvocationHandler {
        private final Connection connection;
        private boolean inTransaction;
        private boolean closed;

        AsServiceRole(Connection connection) {
            this.connection = connection;
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] arguments) throws Throwable {
            switch (method.getName()) {
                case "close" -> {
                    close();
                    return null;
                }
                case "isClosed" -> {
                    return closed || connection.isClosed();
                }
                case "setAutoCommit" -> {
                    return null; // stays off: every statement must follow the role switch in its transaction
                }
                case "getAutoCommit" -> {
                    return false;
                }
                case "commit", "rollback" -> {
                    inTransaction = false;
                }
                case "unwrap", "isWrapperFor" -> throw new SQLFeatureNotSupportedException("not unwrapped: the role must stay switched");
                default -> {
                    if (STATEMENTS.contains(method.getName()) && !inTransaction) {
                        try (Statement role = connection.createStatement()) {
                            role.execute(SET_ROLE);
                        }
                        inTransaction = true;
                    }
                }
            }
            try {
                return method.invoke(connection, arguments);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        }

        private void close() throws SQLException {
            if (closed) return;
            closed = true;
            try {
                if (inTransaction) connection.rollback();
                connection.setAutoCommit(true);
            } finally {
                connection.close();
            }
        }
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        throw new SQLFeatureNotSupportedException("the service pool's login only");
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return pool.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        pool.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        pool.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return pool.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return pool.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        throw new SQLException("not a wrapper");
    }

    @Override
    public boolean isWrapperFor(Class<?> type) {
        return false;
    }
}
