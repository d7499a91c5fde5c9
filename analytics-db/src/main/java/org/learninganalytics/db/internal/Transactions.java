package org.learninganalytics.db.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.time.Duration;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import org.jooq.ConnectionProvider;
import org.jooq.DSLContext;
import org.jooq.TransactionContext;
import org.jooq.TransactionProvider;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.DSL;
import org.jooq.impl.DefaultConnectionProvider;
import org.learninganalytics.db.AnalyticsDbException;
import org.learninganalytics.db.tenancy.Principal;
import org.learninganalytics.db.tenancy.Role;

/**
 * Runs units of work as single transactions, and decides in one place what each transaction
 * first sets up:
 * <ul>
 *   <li>user work: the caller's claims in {@code request.jwt.claims} and {@code SET LOCAL ROLE}
 *       to the RLS subject role, both transaction-local, so a pooled connection (HikariCP or
 *       PgBouncer in transaction mode) never carries one caller's identity into the next;</li>
 *   <li>service work: {@code SET LOCAL ROLE} to the service role.</li>
 * </ul>
 * User work also gets a transaction-local {@code statement_timeout} and {@code lock_timeout}, in
 * the same statement as the identity, so no user can make the database work unboundedly.
 * Service work may run on a pool of its own (a login that is a member of the service role
 * only), so that the user pool's login cannot become the service.
 * <p>
 * Serialization failures and deadlocks (40001, 40P01) retry the whole unit a bounded number
 * of times. This is the one boundary where failures become {@link AnalyticsDbException}s:
 * a service's own {@link ErrorTranslator} first, then {@link SqlErrors#translate}. Thread-safe.
 * Not API.
 */
public final class Transactions {

    private static final int MAX_ATTEMPTS = 4;
    private static final Set<String> RETRYABLE = Set.of("40001", "40P01");

    /**
     * Claims, role and limits in one statement, as PostgREST sets claims and role:
     * set_config('role', ..., true) is SET LOCAL ROLE; the timeouts are SET LOCAL too.
     */
    /** Claims, role, search_path and lock timeout; the statement timeout comes first, in {@link #userSetUp}. */
    private static final String USER_IDENTITY = "SELECT " + Session.SEARCH_PATH
            + ", set_config('request.jwt.claims', ?, true), set_config('role', ?, true), set_config('lock_timeout', ?, true)";
    /** Results of {@link #userSetUp} before a query's own: two SETs and the set_config row. */
    private static final int USER_SET_UP_RESULTS = 3;

    private static final String SERVICE_SET_UP = Session.GUARD + "; SELECT " + Session.SEARCH_PATH
            + ", set_config('role', '" + DbRoles.SERVICE + "', true)";
    private static final int SERVICE_SET_UP_RESULTS = 2;

    /**
     * What a unit of work must not inherit from its pooled connection's session, undone for
     * the unit only (so an embedder's own session settings on a shared pool stay as they
     * were). Our own units leave nothing behind (everything they set is transaction-local),
     * but SQL that someone injected could: a read-only default would fail every later write,
     * and a temporary table named {@code uuid} or a search_path through another schema would
     * redirect unqualified types and functions. So each unit starts read-write and with a
     * search_path of pg_catalog and, explicitly last, pg_temp (temporary objects are found
     * only after the real ones). The statement and lock timeouts of user work are set locally
     * anyway. {@code SET TRANSACTION} must come first in the transaction.
     */
    private static final class Session {
        static final String GUARD = "SET TRANSACTION READ WRITE";
        static final String SEARCH_PATH = "set_config('search_path', 'pg_catalog, pg_temp', true)";
    }

    private final DSLContext userDsl;
    private final DSLContext serviceDsl;
    private final String lockTimeout;
    /**
     * The user set-up: the statement timeout first, so that a session-level one (say, 1 ms
     * left by injected SQL) does not cancel the set-up itself; it is a number we format, not input.
     */
    private final String userSetUp;

    /**
     * @param userDsl          pool of user work (its login may become the RLS subject roles)
     * @param serviceDsl       pool of service work (its login may become the service role); may be {@code userDsl}
     * @param statementTimeout bound of every statement of user work
     * @param lockTimeout      bound of every lock wait of user work
     */
    public Transactions(DSLContext userDsl, DSLContext serviceDsl, Duration statementTimeout, Duration lockTimeout) {
        this.userDsl = userDsl;
        this.serviceDsl = serviceDsl;
        this.lockTimeout = lockTimeout.toMillis() + "ms";
        this.userSetUp = "SET LOCAL statement_timeout = '" + statementTimeout.toMillis() + "ms'; " + Session.GUARD + "; " + USER_IDENTITY;
    }

    /** Turns a service's own database errors into its typed exceptions; returns null for the rest. */
    @FunctionalInterface
    public interface ErrorTranslator {
        AnalyticsDbException translate(DataAccessException e);

        ErrorTranslator NONE = e -> null;
    }

    /** {@link #asService(Function, ErrorTranslator)} with only the generic translation. */
    public <T> T asService(Function<DSLContext, T> work) {
        return asService(work, ErrorTranslator.NONE);
    }

    /**
     * Runs {@code work} in one transaction on the service path; inside, use only the given
     * context. A {@code ctx.transaction(...)} inside is a savepoint of this transaction.
     */
    public <T> T asService(Function<DSLContext, T> work, ErrorTranslator errors) {
        return translated(errors, () -> withRetries(() -> jdbcTransaction(serviceDsl, connection -> {
            try (Statement setUp = connection.createStatement()) {
                setUp.execute(SERVICE_SET_UP);
            }
            return work.apply(contextOn(serviceDsl, connection));
        })));
    }

    /**
     * Runs one query on the service path as its own transaction, with the role switch sent in
     * the same round trip: {@code SET LOCAL ROLE ...; <sql>}. For hot single-query paths
     * (awards), where the separate set-up statement was a third of the round trips.
     *
     * @param sql  one query returning rows; {@code bind} sets its parameters from index 1
     * @param read reads its rows (positioned before the first)
     */
    public <T> T asServiceQuery(String sql, Binder bind, SqlFunction<ResultSet, T> read, ErrorTranslator errors) {
        String withRole = SERVICE_SET_UP + "; " + sql;
        return translated(errors, () -> withRetries(() -> jdbcTransaction(serviceDsl,
                connection -> afterSetUp(connection, withRole, SERVICE_SET_UP_RESULTS, statement -> bind.bind(statement, 1), read))));
    }

    /**
     * Runs one query as {@code principal} as its own transaction, under row-level security, with
     * the identity set-up of {@link #asUser} sent in the same round trip as the query. For hot
     * single-query reads (leaderboard pages).
     *
     * @param sql  one query returning rows; {@code bind} sets its parameters from the index it is given
     * @param read reads its rows (positioned before the first); it may query further through
     *             {@code rows.getStatement().getConnection()}, inside the same transaction
     */
    public <T> T asUserQuery(Principal principal, String sql, Binder bind, SqlFunction<ResultSet, T> read, ErrorTranslator errors) {
        String role = subjectRole(principal);
        String claims = claims(principal, role);
        String withIdentity = userSetUp + "; " + sql;
        return translated(errors, () -> withRetries(() -> jdbcTransaction(userDsl, connection -> afterSetUp(connection, withIdentity, USER_SET_UP_RESULTS,
                statement -> bind.bind(statement, bindUserSetUp(statement, claims, role)), read))));
    }

    /** Binds the user set-up's parameters; returns the index of the first parameter after them. */
    private int bindUserSetUp(PreparedStatement statement, String claims, String role) throws SQLException {
        statement.setString(1, claims);
        statement.setString(2, role);
        statement.setString(3, lockTimeout);
        return 4;
    }

    /**
     * One plain JDBC transaction: every unit of work runs in one. Not jOOQ's transaction API:
     * jOOQ 3.21 asks the connection for its isolation level at every begin, and pgjdbc answers
     * that with a round trip to the server (jOOQ issue #20135), a third of an award's round
     * trips and a quarter of a small read's.
     */
    private static <T> T jdbcTransaction(DSLContext dsl, SqlFunction<Connection, T> work) {
        ConnectionProvider connections = dsl.configuration().connectionProvider();
        Connection connection = connections.acquire();
        try {
            connection.setAutoCommit(false);
            try {
                T result = work.apply(connection);
                connection.commit();
                connection.setAutoCommit(true); // as the pool lent it; no round trip after COMMIT
                return result;
            } catch (Throwable e) { // errors too: never hand the pool a connection in a transaction
                try {
                    connection.rollback();
                    connection.setAutoCommit(true);
                } catch (SQLException rollback) { // a broken connection: the pool discards it
                    e.addSuppressed(rollback);
                }
                throw e;
            }
        } catch (SQLException e) {
            throw new DataAccessException("The unit of work failed: " + e.getMessage(), e);
        } finally {
            connections.release(connection);
        }
    }

    /** Executes set-up statements and query in one round trip; the set-up's {@code setUpResults} results come first. */
    private static <T> T afterSetUp(Connection connection, String setUpAndQuery, int setUpResults, SqlConsumer<PreparedStatement> bind,
                                    SqlFunction<ResultSet, T> read) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(setUpAndQuery)) {
            bind.accept(statement);
            statement.execute();
            for (int skipped = 1; skipped < setUpResults; skipped++) statement.getMoreResults();
            if (!statement.getMoreResults()) throw new IllegalStateException("the query returned no rows: " + setUpAndQuery);
            try (ResultSet rows = statement.getResultSet()) {
                return read.apply(rows);
            }
        }
    }

    /** Sets a query's parameters, the first of them at index {@code first}. */
    @FunctionalInterface
    public interface Binder {
        void bind(PreparedStatement statement, int first) throws SQLException;
    }

    /** A JDBC step that may throw {@link SQLException}. */
    @FunctionalInterface
    public interface SqlConsumer<T> {
        void accept(T value) throws SQLException;
    }

    /** A JDBC step with a result that may throw {@link SQLException}. */
    @FunctionalInterface
    public interface SqlFunction<T, R> {
        R apply(T value) throws SQLException;
    }

    /**
     * Runs {@code work} in one transaction as {@code principal}, under row-level security;
     * inside, use only the given context. A {@code ctx.transaction(...)} inside is a savepoint.
     */
    public <T> T asUser(Principal principal, Function<DSLContext, T> work, ErrorTranslator errors) {
        String role = subjectRole(principal);
        String claims = claims(principal, role);
        return translated(errors, () -> withRetries(() -> jdbcTransaction(userDsl, connection -> {
            try (PreparedStatement setUp = connection.prepareStatement(userSetUp)) {
                bindUserSetUp(setUp, claims, role);
                setUp.execute();
            }
            return work.apply(contextOn(userDsl, connection));
        })));
    }

    /** {@link #asUser(Principal, Function, ErrorTranslator)} with only the generic translation. */
    public <T> T asUser(Principal principal, Function<DSLContext, T> work) {
        return asUser(principal, work, ErrorTranslator.NONE);
    }

    /** The one boundary: nothing but {@link AnalyticsDbException}s leave a unit of work. */
    private static <T> T translated(ErrorTranslator errors, Supplier<T> unit) {
        try {
            return unit.get();
        } catch (DataAccessException e) {
            AnalyticsDbException specific = errors.translate(e);
            throw specific != null ? specific : SqlErrors.translate(e);
        }
    }

    /** jOOQ on the unit's connection; its transactions are savepoints, the unit stays the outermost transaction. */
    private static DSLContext contextOn(DSLContext dsl, Connection connection) {
        return DSL.using(dsl.configuration()
                .derive(new DefaultConnectionProvider(connection))
                .derive(new Savepoints(connection)));
    }

    /** Nested transactions inside a unit of work: savepoints, rolled back on their own. */
    private static final class Savepoints implements TransactionProvider {

        private final Connection connection;
        private final Deque<Savepoint> open = new ArrayDeque<>();

        Savepoints(Connection connection) {
            this.connection = connection;
        }

        @Override
        public void begin(TransactionContext ctx) {
            step("set", () -> open.push(connection.setSavepoint()));
        }

        @Override
        public void commit(TransactionContext ctx) {
            step("release", () -> connection.releaseSavepoint(open.pop()));
        }

        @Override
        public void rollback(TransactionContext ctx) {
            step("roll back to", () -> connection.rollback(open.pop()));
        }

        private static void step(String what, SqlRunnable step) {
            try {
                step.run();
            } catch (SQLException e) {
                throw new DataAccessException("Cannot " + what + " a savepoint: " + e.getMessage(), e);
            }
        }
    }

    /** A JDBC step without a result that may throw {@link SQLException}. */
    @FunctionalInterface
    private interface SqlRunnable {
        void run() throws SQLException;
    }

    private static String subjectRole(Principal principal) {
        return principal.has(Role.PLATFORM_ADMIN) ? DbRoles.PLATFORM_ADMIN : DbRoles.AUTHENTICATED;
    }

    /** PostgREST-compatible claims; every value is a UUID or a fixed word, so no escaping is needed. */
    static String claims(Principal principal, String role) {
        String roles = principal.roles().stream().map(r -> "\"" + r.sqlName() + "\"").sorted().collect(Collectors.joining(","));
        return "{\"sub\":\"" + principal.userId() + "\",\"role\":\"" + role + "\""
                + (principal.organizationId() == null ? "" : ",\"organization_id\":\"" + principal.organizationId() + "\"")
                + ",\"app_roles\":[" + roles + "]}";
    }

    private static <T> T withRetries(Supplier<T> unit) {
        for (int attempt = 1; ; attempt++) {
            try {
                return unit.get();
            } catch (DataAccessException e) {
                if (attempt >= MAX_ATTEMPTS || !RETRYABLE.contains(e.sqlState())) throw e;
                sleepBeforeRetry(attempt);
            }
        }
    }

    private static void sleepBeforeRetry(int attempt) {
        long base = 5L << attempt; // 10, 20, 40 ms
        try {
            Thread.sleep(base + ThreadLocalRandom.current().nextLong(base));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AnalyticsDbException("interrupted while waiting to retry a unit of work", e);
        }
    }
}
