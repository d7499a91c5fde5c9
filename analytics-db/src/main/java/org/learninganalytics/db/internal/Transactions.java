package org.learninganalytics.db.internal;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.jooq.DSLContext;
import org.jooq.exception.DataAccessException;
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
 * Serialization failures and deadlocks (40001, 40P01) retry the whole unit a bounded number
 * of times. Thread-safe. Not API.
 */
public final class Transactions {

    private static final int MAX_ATTEMPTS = 4;
    private static final Set<String> RETRYABLE = Set.of("40001", "40P01");

    private final DSLContext dsl;

    public Transactions(DSLContext dsl) {
        this.dsl = dsl;
    }

    /** Runs {@code work} in one transaction on the service path; inside, use only the given context. */
    public <T> T asService(Function<DSLContext, T> work) {
        return withRetries(() -> dsl.transactionResult(configuration -> {
            DSLContext ctx = configuration.dsl();
            ctx.execute("SET LOCAL ROLE " + DbRoles.SERVICE);
            return work.apply(ctx);
        }));
    }

    /**
     * Runs one query on the service path as its own transaction, with the role switch sent in
     * the same round trip as the query: {@code SET LOCAL ROLE ...; <sql>}. For hot
     * single-statement paths (awards), where the separate role statement of
     * {@link #asService} was a third of the round trips.
     *
     * @param sql  one query returning rows; {@code bind} sets its parameters
     * @param read reads its result (positioned before the first row)
     */
    public <T> T asServiceQuery(String sql, SqlConsumer<PreparedStatement> bind, SqlFunction<ResultSet, T> read) {
        String withRole = "SET LOCAL ROLE " + DbRoles.SERVICE + "; " + sql;
        return withRetries(() -> dsl.transactionResult(configuration -> configuration.dsl().connectionResult(connection -> {
            try (PreparedStatement statement = connection.prepareStatement(withRole)) {
                bind.accept(statement);
                statement.execute(); // the SET's result comes first
                if (!statement.getMoreResults()) throw new IllegalStateException("no rows from: " + sql);
                try (ResultSet rows = statement.getResultSet()) {
                    return read.apply(rows);
                }
            }
        })));
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

    /** Runs {@code work} in one transaction as {@code principal}, under row-level security. */
    public <T> T asUser(Principal principal, Function<DSLContext, T> work) {
        String role = principal.has(Role.PLATFORM_ADMIN) ? DbRoles.PLATFORM_ADMIN : DbRoles.AUTHENTICATED;
        String claims = claims(principal, role);
        return withRetries(() -> dsl.transactionResult(configuration -> {
            DSLContext ctx = configuration.dsl();
            // One round trip, as PostgREST does it: set_config('role', ..., true) is SET LOCAL ROLE.
            ctx.fetch("SELECT set_config('request.jwt.claims', ?, true), set_config('role', ?, true)", claims, role);
            return work.apply(ctx);
        }));
    }

    /** PostgREST-compatible claims; every value is a UUID or a fixed word, so no escaping is needed. */
    static String claims(Principal principal, String role) {
        String roles = principal.roles().stream().map(r -> "\"" + r.sqlName() + "\"").sorted().collect(Collectors.joining(","));
        return "{\"sub\":\"" + principal.userId() + "\",\"role\":\"" + role + "\""
                + (principal.organizationId() == null ? "" : ",\"organization_id\":\"" + principal.organizationId() + "\"")
                + ",\"app_roles\":[" + roles + "]}";
    }

    private static <T> T withRetries(java.util.function.Supplier<T> unit) {
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
            throw new IllegalStateException("Interrupted while waiting to retry", e);
        }
    }
}
