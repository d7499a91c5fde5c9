package org.learninganalytics.bench;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import org.learninganalytics.db.testing.PostgresServer;

/**
 * How much row-level security costs. For a learner, a trainer and an org admin it times the
 * same read two ways, interleaved in one run:
 * <ul>
 *   <li>RLS: as the caller (claims + SET LOCAL ROLE analytics_authenticated), no filter of its
 *       own: "my points of the last 30 days", scoped by the policies alone;</li>
 *   <li>baseline: as the service role with the explicit filter {@code user_id = ANY(ids)},
 *       where ids are exactly the users the caller may see.</li>
 * </ul>
 * Both run in their own transaction with the same set-up statements. It reports p50/p95 and
 * the p50 ratio RLS / baseline (goal: at most 1.5 for learner and trainer).
 *
 * <p>Run: {@code scripts/bench tenancy}
 */
public final class TenancyBenchmark {

    private static final String READ = "SELECT count(*), coalesce(sum(points), 0) FROM analytics.point_transactions"
            + " WHERE \"timestamp\" >= ?";
    private static final int WARMUP = 200;
    private static final int ITERATIONS = Integer.getInteger("bench.iterations", 2_000);
    /** "The last 30 days", fixed for the run so that both variants always count the same rows. */
    private static final java.sql.Timestamp SINCE = java.sql.Timestamp.from(java.time.Instant.now().minus(java.time.Duration.ofDays(30)));

    private TenancyBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        PostgresServer server = BenchmarkDatabase.prepare();
        System.out.printf("[bench] tenancy: %d users, %d point transactions; %d iterations per variant%n",
                BenchmarkDatabase.count(server, "SELECT count(*) FROM analytics.users"),
                BenchmarkDatabase.count(server, "SELECT count(*) FROM analytics.point_transactions"), ITERATIONS);
        List<Caller> callers = callers(server);
        System.out.printf("%-10s %8s %10s %10s %10s %10s %8s%n", "caller", "visible", "rls p50", "rls p95", "base p50", "base p95", "ratio");
        try (Connection connection = BenchmarkDatabase.appConnection(server)) {
            connection.setAutoCommit(false);
            for (Caller caller : callers) {
                long[] rls = new long[ITERATIONS];
                long[] base = new long[ITERATIONS];
                for (int i = 0; i < WARMUP; i++) {
                    asCaller(connection, caller);
                    asServiceWithFilter(connection, caller);
                }
                for (int i = 0; i < ITERATIONS; i++) {
                    // Interleaved, alternating which goes first, so drift hits both alike.
                    if (i % 2 == 0) {
                        rls[i] = asCaller(connection, caller);
                        base[i] = asServiceWithFilter(connection, caller);
                    } else {
                        base[i] = asServiceWithFilter(connection, caller);
                        rls[i] = asCaller(connection, caller);
                    }
                }
                Arrays.sort(rls);
                Arrays.sort(base);
                System.out.printf("%-10s %8d %9.3fms %9.3fms %9.3fms %9.3fms %7.2fx%n", caller.kind(), caller.visible().length,
                        ms(rls[ITERATIONS / 2]), ms(rls[ITERATIONS * 95 / 100]),
                        ms(base[ITERATIONS / 2]), ms(base[ITERATIONS * 95 / 100]),
                        (double) rls[ITERATIONS / 2] / base[ITERATIONS / 2]);
            }
        }
    }

    record Caller(String kind, UUID userId, UUID[] visible, long expectedCount) {
    }

    private static long asCaller(Connection connection, Caller caller) throws SQLException {
        long started = System.nanoTime();
        long rows;
        try (PreparedStatement claims = connection.prepareStatement("SELECT set_config('request.jwt.claims', ?, true)");
             Statement sql = connection.createStatement();
             PreparedStatement read = connection.prepareStatement(READ)) {
            claims.setString(1, "{\"sub\":\"" + caller.userId() + "\"}");
            claims.execute();
            sql.execute("SET LOCAL ROLE analytics_authenticated");
            read.setTimestamp(1, SINCE);
            try (ResultSet rs = read.executeQuery()) {
                rs.next();
                rows = rs.getLong(1);
            }
        }
        connection.commit();
        long elapsed = System.nanoTime() - started;
        check(caller, rows);
        return elapsed;
    }

    private static long asServiceWithFilter(Connection connection, Caller caller) throws SQLException {
        long started = System.nanoTime();
        long rows;
        try (PreparedStatement claims = connection.prepareStatement("SELECT set_config('request.jwt.claims', '', true)");
             Statement sql = connection.createStatement();
             PreparedStatement read = connection.prepareStatement(READ + " AND user_id = ANY(?)")) {
            claims.execute();
            sql.execute("SET LOCAL ROLE analytics_service");
            Array ids = connection.createArrayOf("uuid", caller.visible());
            read.setTimestamp(1, SINCE);
            read.setArray(2, ids);
            try (ResultSet rs = read.executeQuery()) {
                rs.next();
                rows = rs.getLong(1);
            }
        }
        connection.commit();
        long elapsed = System.nanoTime() - started;
        check(caller, rows);
        return elapsed;
    }

    private static void check(Caller caller, long rows) {
        if (rows != caller.expectedCount()) {
            throw new IllegalStateException(caller.kind() + " read " + rows + " rows, expected " + caller.expectedCount());
        }
    }

    /** A typical learner (median activity), a trainer with trainees, the admin of a mid-sized organization. */
    private static List<Caller> callers(PostgresServer server) throws SQLException {
        List<Caller> callers = new ArrayList<>();
        try (Connection admin = BenchmarkDatabase.adminConnection(server); Statement sql = admin.createStatement()) {
            UUID learner = uuid(sql, """
                    SELECT user_id FROM (SELECT user_id, count(*) n FROM analytics.point_transactions GROUP BY user_id) t
                    ORDER BY n, user_id OFFSET (SELECT count(DISTINCT user_id) / 2 FROM analytics.point_transactions) LIMIT 1""");
            UUID trainer = uuid(sql, """
                    SELECT c.trainer_id FROM analytics.courses c JOIN analytics.enrollments e ON e.course_id = c.id
                    GROUP BY c.trainer_id ORDER BY count(DISTINCT e.user_id) DESC, c.trainer_id LIMIT 1""");
            UUID orgAdmin = uuid(sql, """
                    SELECT r.user_id FROM analytics.user_roles r JOIN analytics.users u ON u.id = r.user_id
                    WHERE r.role = 'org_admin'
                    ORDER BY (SELECT count(*) FROM analytics.users m WHERE m.organization_id = u.organization_id), r.user_id
                    OFFSET 25 LIMIT 1""");
            callers.add(caller(sql, "learner", learner, "SELECT ARRAY['" + learner + "'::uuid]"));
            callers.add(caller(sql, "trainer", trainer, """
                    SELECT array_agg(DISTINCT id) FROM (
                      SELECT '%1$s'::uuid AS id
                      UNION ALL SELECT e.user_id FROM analytics.courses c JOIN analytics.enrollments e ON e.course_id = c.id
                      WHERE c.trainer_id = '%1$s') v""".formatted(trainer)));
            callers.add(caller(sql, "org admin", orgAdmin, """
                    SELECT array_agg(id) FROM analytics.users
                    WHERE organization_id = (SELECT organization_id FROM analytics.users WHERE id = '%s')""".formatted(orgAdmin)));
        }
        return callers;
    }

    private static Caller caller(Statement sql, String kind, UUID userId, String visibleQuery) throws SQLException {
        UUID[] visible;
        try (ResultSet rs = sql.executeQuery(visibleQuery)) {
            rs.next();
            visible = (UUID[]) rs.getArray(1).getArray();
        }
        long expected;
        try (PreparedStatement read = sql.getConnection().prepareStatement(READ + " AND user_id = ANY(?)")) {
            read.setTimestamp(1, SINCE);
            read.setArray(2, sql.getConnection().createArrayOf("uuid", visible));
            try (ResultSet rs = read.executeQuery()) {
                rs.next();
                expected = rs.getLong(1);
            }
        }
        return new Caller(kind, userId, visible, expected);
    }

    private static UUID uuid(Statement sql, String query) throws SQLException {
        try (ResultSet rs = sql.executeQuery(query)) {
            rs.next();
            return (UUID) rs.getObject(1);
        }
    }

    private static double ms(long nanos) {
        return nanos / 1_000_000.0;
    }
}
