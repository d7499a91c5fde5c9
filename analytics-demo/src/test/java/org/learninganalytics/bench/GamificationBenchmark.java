package org.learninganalytics.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.learninganalytics.db.AnalyticsDb;
import org.learninganalytics.db.gamification.Award;
import org.learninganalytics.db.leaderboard.Board;
import org.learninganalytics.db.leaderboard.Leaderboards;
import org.learninganalytics.db.tenancy.Principal;
import org.learninganalytics.db.tenancy.Role;
import org.learninganalytics.db.testing.PostgresServer;
import org.learninganalytics.db.testing.TestDatabase;

/**
 * Gamification at 200k users / 5M transactions, all measured in one run:
 * <ul>
 *   <li>awards per second through the library (award_points: key, caps, ledger, daily
 *       activity, totals, streak, level, achievements) against pgbench running the bare
 *       equivalent SQL transaction (ledger insert + totals upsert + daily activity upsert),
 *       same client count, alternated twice; goal: library at least 0.7x pgbench;</li>
 *   <li>top-50 and my-rank (5 neighbours) latency as learners of the largest organization,
 *       p50/p99; goal: top-50 p99 under 5 ms;</li>
 *   <li>time to refresh both boards from the deltas of the run's awards, and to rebuild the
 *       weekly board from the ledger as in a new week (V044); goal: the rebuild under 2 s.</li>
 * </ul>
 * Run: {@code scripts/bench gamification}. Needs pgbench (Debian: postgresql-client).
 * <p>
 * Before each award round and before the reads, the benchmark vacuums the tables the rounds
 * churn: machines of this kind run PostgreSQL with autovacuum off, and without it dead rows
 * from earlier runs (millions in user_points) slowed every later run. Reads are measured after
 * a warm-up of {@value #WARM_UP_READS} reads of each kind (JIT-compiled, as in a running
 * server); the first reads of a fresh JVM are slower.
 */
public final class GamificationBenchmark {

    static final int CLIENTS = Integer.getInteger("bench.clients", 4);
    private static final int SECONDS = Integer.getInteger("bench.seconds", 10);
    private static final int READS = Integer.getInteger("bench.iterations", 2_000);
    private static final int WARM_UP_READS = 2_000;

    private GamificationBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        PostgresServer server = BenchmarkDatabase.prepare();
        BenchmarkDatabase.removeEarlierRuns(server);
        List<UUID> learners = prepare(server);
        System.out.printf("[bench] gamification: %d users, %d point transactions; %d clients x %d s per award run%n",
                BenchmarkDatabase.count(server, "SELECT count(*) FROM analytics.users"),
                BenchmarkDatabase.count(server, "SELECT count(*) FROM analytics.point_transactions"), CLIENTS, SECONDS);

        try (AnalyticsDb db = AnalyticsDb.builder()
                .jdbcUrl(server.urlFor(BenchmarkDatabase.NAME), TestDatabase.APP_USER, System.getenv(TestDatabase.APP_PASSWORD_VARIABLE))
                .maximumPoolSize(CLIENTS + 2).build()) {
            libraryAwardsPerSecond(db, learners, 3); // warm-up: JIT, connections, PL/pgSQL plans
            double[] library = new double[2];
            double[] pgbench = new double[2];
            for (int round = 0; round < 2; round++) {
                vacuum(server, "analytics.user_points, analytics.daily_activity");
                library[round] = libraryAwardsPerSecond(db, learners, SECONDS);
                vacuum(server, "analytics.user_points, analytics.daily_activity");
                pgbench[round] = pgbenchTransactionsPerSecond(server);
            }
            double lib = Math.max(library[0], library[1]);
            double raw = Math.max(pgbench[0], pgbench[1]);
            System.out.printf("awards/s   library %.0f (runs %.0f, %.0f)   pgbench %.0f (runs %.0f, %.0f)   ratio %.2fx%n",
                    lib, library[0], library[1], raw, pgbench[0], pgbench[1], lib / raw);

            long deltas = BenchmarkDatabase.count(server, "SELECT count(*) FROM analytics.leaderboard_point_deltas");
            Duration refresh = db.system().leaderboards().refresh(); // both boards, from the deltas
            long rebuild = rebuildWeeklyMillis(server);
            System.out.printf("refresh    both boards from %d deltas (the runs' awards) through the library %d ms;"
                    + " weekly rebuilt from the ledger (a new week) %d ms%n", deltas, refresh.toMillis(), rebuild);

            vacuum(server, "analytics.user_points, analytics.daily_activity, analytics.leaderboard_weekly, analytics.leaderboard_monthly");
            List<UUID> org = largestOrganization(server);
            long[] top = new long[READS];
            long[] mine = new long[READS];
            for (int i = 0; i < WARM_UP_READS; i++) read(db, org, Board.WEEKLY);
            for (int i = 0; i < READS; i++) {
                UUID user = org.get(ThreadLocalRandom.current().nextInt(org.size()));
                Leaderboards boards = db.as(new Principal(user, null, Set.of(Role.LEARNER))).leaderboards();
                long started = System.nanoTime();
                boards.top(Board.WEEKLY, 50);
                top[i] = System.nanoTime() - started;
                started = System.nanoTime();
                boards.aroundMe(Board.WEEKLY, 5);
                mine[i] = System.nanoTime() - started;
            }
            Arrays.sort(top);
            Arrays.sort(mine);
            System.out.printf("top-50     p50 %.2f ms  p99 %.2f ms   (organization of %d users, weekly board)%n",
                    ms(top[READS / 2]), ms(top[READS * 99 / 100]), org.size());
            System.out.printf("my rank±5  p50 %.2f ms  p99 %.2f ms%n", ms(mine[READS / 2]), ms(mine[READS * 99 / 100]));

            // The costliest user read: the live all-time board around its last user, where every
            // row above has to be counted. Bounded by the user statement timeout (default 5 s).
            UUID last = lastOnTheAllTimeBoard(server, org.get(0));
            Leaderboards deepest = db.as(new Principal(last, null, Set.of(Role.LEARNER))).leaderboards();
            long[] deep = new long[200];
            for (int i = 0; i < 20; i++) deepest.aroundMe(Board.ALL_TIME, 50);
            for (int i = 0; i < deep.length; i++) {
                long started = System.nanoTime();
                deepest.aroundMe(Board.ALL_TIME, 50);
                deep[i] = System.nanoTime() - started;
            }
            Arrays.sort(deep);
            System.out.printf("deepest    p50 %.2f ms  p99 %.2f ms   (all-time board around its last user, ±50)%n",
                    ms(deep[deep.length / 2]), ms(deep[deep.length * 99 / 100]));
        }
    }

    /** An uncapped activity type for the library run, and a numbered user list for pgbench. */
    private static List<UUID> prepare(PostgresServer server) throws SQLException {
        try (Connection admin = BenchmarkDatabase.adminConnection(server); Statement sql = admin.createStatement()) {
            sql.execute("INSERT INTO analytics.activity_rules (activity_type, points) VALUES ('bench_activity', 3) ON CONFLICT DO NOTHING");
            sql.execute("CREATE SCHEMA IF NOT EXISTS bench");
            sql.execute("CREATE TABLE IF NOT EXISTS bench.learners AS SELECT row_number() OVER (ORDER BY user_id)::int AS n, user_id"
                    + " FROM analytics.user_roles WHERE role = 'learner'");
            sql.execute("CREATE UNIQUE INDEX IF NOT EXISTS bench_learners_n ON bench.learners (n)");
            List<UUID> learners = new ArrayList<>();
            try (ResultSet rs = sql.executeQuery("SELECT user_id FROM bench.learners ORDER BY n")) {
                while (rs.next()) learners.add((UUID) rs.getObject(1));
            }
            return learners;
        }
    }

    /** Awards per second through the library, CLIENTS clients for {@code seconds}; also used by LifecycleBenchmark. */
    static double libraryAwardsPerSecond(AnalyticsDb db, List<UUID> learners, int seconds) throws Exception {
        AtomicLong awards = new AtomicLong();
        long deadline = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        long started = System.nanoTime();
        try (ExecutorService clients = Executors.newFixedThreadPool(CLIENTS)) {
            List<Future<?>> running = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                running.add(clients.submit(() -> {
                    ThreadLocalRandom random = ThreadLocalRandom.current();
                    // Keys as a source service would send them: unique event ids, cheap to make
                    // (UUID.randomUUID() per award was a sixth of the Java samples of a profile: SecureRandom, behind a lock).
                    String keyPrefix = UUID.randomUUID() + ":";
                    long event = 0;
                    while (System.nanoTime() < deadline) {
                        UUID learner = learners.get(random.nextInt(learners.size()));
                        db.system().gamification().awards().award(Award.of(learner, "bench_activity", keyPrefix + event++));
                        awards.incrementAndGet();
                    }
                    return null;
                }));
            }
            for (Future<?> client : running) client.get();
        }
        return awards.get() / ((System.nanoTime() - started) / 1e9);
    }

    private static double pgbenchTransactionsPerSecond(PostgresServer server) throws IOException, InterruptedException {
        Path script = Files.createTempFile("award", ".sql");
        Files.writeString(script, """
                \\set n random(1, 150000)
                BEGIN;
                INSERT INTO analytics.point_transactions (user_id, points, activity_type)
                  SELECT user_id, 3, 'bench_sql' FROM bench.learners WHERE n = :n;
                INSERT INTO analytics.user_points (user_id, total_points)
                  SELECT user_id, 3 FROM bench.learners WHERE n = :n
                  ON CONFLICT (user_id) DO UPDATE SET total_points = analytics.user_points.total_points + 3;
                INSERT INTO analytics.daily_activity (user_id, date, last_activity_at)
                  SELECT user_id, current_date, now() FROM bench.learners WHERE n = :n
                  ON CONFLICT (user_id, date) DO UPDATE SET last_activity_at = now();
                END;
                """);
        java.net.URI target = java.net.URI.create(server.adminUrl().substring("jdbc:".length()));
        List<String> command = new ArrayList<>(List.of("pgbench", "-n", "-c", String.valueOf(CLIENTS), "-j", String.valueOf(Math.min(CLIENTS, 2)),
                "-T", String.valueOf(SECONDS), "-f", script.toString(),
                "-h", target.getHost(), "-p", String.valueOf(target.getPort() < 0 ? 5432 : target.getPort()),
                "-U", server.user(), BenchmarkDatabase.NAME));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        if (server.password() != null) builder.environment().put("PGPASSWORD", server.password());
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes());
        process.waitFor();
        Files.deleteIfExists(script);
        Matcher tps = Pattern.compile("tps = ([0-9.]+)").matcher(output);
        if (!tps.find()) throw new IllegalStateException("pgbench printed no tps:\n" + output);
        return Double.parseDouble(tps.group(1));
    }

    private static long rebuildWeeklyMillis(PostgresServer server) throws SQLException {
        try (Connection admin = BenchmarkDatabase.adminConnection(server); Statement sql = admin.createStatement()) {
            sql.execute("UPDATE analytics.leaderboard_refreshes SET period_start = NULL WHERE board = 'weekly'"); // as never built
            long started = System.nanoTime();
            sql.execute("SELECT analytics.refresh_leaderboard('weekly')");
            return (System.nanoTime() - started) / 1_000_000;
        }
    }

    private static List<UUID> largestOrganization(PostgresServer server) throws SQLException {
        List<UUID> users = new ArrayList<>();
        try (Connection admin = BenchmarkDatabase.adminConnection(server); Statement sql = admin.createStatement();
             ResultSet rs = sql.executeQuery("""
                     SELECT w.user_id FROM analytics.leaderboard_weekly w
                     WHERE w.organization_id = (SELECT organization_id FROM analytics.users WHERE organization_id IS NOT NULL
                                                GROUP BY 1 ORDER BY count(*) DESC LIMIT 1)""")) {
            while (rs.next()) users.add((UUID) rs.getObject(1));
        }
        if (users.isEmpty()) throw new IllegalStateException("the weekly board is empty: no points this week yet");
        return users;
    }

    /** The user with the fewest points on the all-time board of {@code member}'s organization. */
    private static UUID lastOnTheAllTimeBoard(PostgresServer server, UUID member) throws SQLException {
        try (Connection admin = BenchmarkDatabase.adminConnection(server); Statement sql = admin.createStatement();
             ResultSet rs = sql.executeQuery("""
                     SELECT p.user_id FROM analytics.user_points p JOIN analytics.users u ON u.id = p.user_id
                     WHERE u.organization_id = (SELECT organization_id FROM analytics.users WHERE id = '%s')
                       AND NOT EXISTS (SELECT 1 FROM analytics.user_preferences h
                                       WHERE h.user_id = p.user_id AND h.leaderboard_privacy = 'hidden')
                     ORDER BY p.total_points, p.user_id DESC LIMIT 1""".formatted(member))) {
            rs.next();
            return (UUID) rs.getObject(1);
        }
    }

    private static void read(AnalyticsDb db, List<UUID> org, Board board) {
        UUID user = org.get(ThreadLocalRandom.current().nextInt(org.size()));
        Leaderboards boards = db.as(new Principal(user, null, Set.of(Role.LEARNER))).leaderboards();
        boards.top(board, 50);
        boards.aroundMe(board, 5);
    }

    /** What autovacuum would have done by now (it is off on machines of this kind). */
    private static void vacuum(PostgresServer server, String tables) throws SQLException {
        try (Connection admin = BenchmarkDatabase.adminConnection(server); Statement sql = admin.createStatement()) {
            sql.execute("VACUUM ANALYZE " + tables);
        }
    }

    private static double ms(long nanos) {
        return nanos / 1_000_000.0;
    }
}
