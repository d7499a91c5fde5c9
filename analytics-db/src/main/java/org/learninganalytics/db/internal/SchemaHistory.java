package org.learninganalytics.db.internal;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import javax.sql.DataSource;

import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationInfoService;
import org.flywaydb.core.api.MigrationState;
import org.flywaydb.core.api.MigrationVersion;
import org.learninganalytics.db.AnalyticsDbException;
import org.learninganalytics.db.SchemaStatus;

/**
 * Reads Flyway's history of the schema. Not API.
 *
 * <p>The pool's login (analytics_app) has no privilege of its own, and the request roles may
 * not touch the history; {@link DbRoles#MONITOR} may read it and nothing else (migration V016).
 */
public final class SchemaHistory {

    /** Switches to the monitor role when the login is a member of it and not a superuser; one row when it did. */
    private static final String SWITCH_TO_MONITOR = """
            SELECT set_config('role', m.rolname, false) FROM pg_roles m
            WHERE m.rolname = '%s'
              AND NOT (SELECT r.rolsuper FROM pg_roles r WHERE r.rolname = session_user)
              AND pg_has_role(session_user, m.oid, 'MEMBER')
            """.formatted(DbRoles.MONITOR);

    private SchemaHistory() {
    }

    /** {@code dataSource} whose connections read the history as the monitor role when the login may switch to it. */
    public static DataSource readableBy(DataSource dataSource) {
        return (DataSource) Proxy.newProxyInstance(SchemaHistory.class.getClassLoader(), new Class<?>[] {DataSource.class},
                (proxy, method, args) -> {
                    Object result = invoke(dataSource, method, args);
                    return result instanceof Connection connection ? asMonitor(connection) : result;
                });
    }

    private static Connection asMonitor(Connection connection) throws SQLException {
        boolean switched;
        try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(SWITCH_TO_MONITOR)) {
            switched = rs.next();
        } catch (SQLException e) {
            connection.close();
            throw e;
        }
        if (!switched) return connection;
        return (Connection) Proxy.newProxyInstance(SchemaHistory.class.getClassLoader(), new Class<?>[] {Connection.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("close") && !connection.isClosed()) {
                        try (Statement statement = connection.createStatement()) {
                            statement.execute("RESET ROLE"); // a pooled connection goes back as the login
                        } catch (SQLException e) {
                            // closing anyway; the pool validates connections before handing them out
                        }
                    }
                    return invoke(connection, method, args);
                });
    }

    private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    /**
     * This jar's migrations against the applied ones. A repeatable migration applied with other
     * content is pending again (Flyway lists it once as applied and outdated, once as pending),
     * unless a newer release has migrated the database: then it applied its own content.
     */
    public static SchemaStatus status(MigrationInfoService info) {
        MigrationVersion expected = null;
        int pendingVersioned = 0;
        int pendingRepeatable = 0;
        boolean newerRelease = false;
        for (MigrationInfo migration : info.all()) {
            MigrationState state = migration.getState();
            if (migration.isVersioned() && state.isResolved()
                    && (expected == null || migration.getVersion().compareTo(expected) > 0)) {
                expected = migration.getVersion();
            }
            switch (state) {
                case PENDING -> {
                    if (migration.isRepeatable()) pendingRepeatable++;
                    else pendingVersioned++;
                }
                case IGNORED -> pendingVersioned++; // older than the current version, never applied
                case FUTURE_SUCCESS, FUTURE_FAILED -> newerRelease = true;
                default -> { }
            }
        }
        MigrationInfo current = info.current();
        String currentVersion = current == null || current.getVersion() == null ? null : current.getVersion().getVersion();
        return new SchemaStatus(currentVersion, expected == null ? null : expected.getVersion(),
                pendingVersioned + (newerRelease ? 0 : pendingRepeatable));
    }

    /** A Flyway failure as the library's exception: unavailable when the database could not be reached. */
    public static AnalyticsDbException translate(String what, FlywayException e) {
        SQLException sql = Failures.sqlCause(e);
        String reason = sql != null ? sql.getMessage() : e.getMessage();
        return Failures.isConnectionFailure(e)
                ? new org.learninganalytics.db.DatabaseUnavailableException(what + ": " + reason, e)
                : new AnalyticsDbException(what + ": " + reason, e);
    }
}
