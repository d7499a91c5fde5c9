package org.learninganalytics.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.learninganalytics.db.AnalyticsDb;
import org.learninganalytics.db.testing.MigrationsAsOf;
import org.learninganalytics.db.testing.PostgresServer;
import org.learninganalytics.db.testing.PostgresServers;
import org.learninganalytics.db.testing.TestDatabase;

/**
 * The partitioned ledger (V036) at benchmark scale, all measured in one run on two databases
 * that hold the same rows: {@value #PARTITIONED} converted by V036 and {@value #FLAT} a copy
 * of it taken just before (a file copy: CREATE DATABASE ... TEMPLATE), left at V035.
 * <ul>
 *   <li>the conversion: how long V036 took on 5,000,000 rows, and the longest wait of a
 *       writer (one ledger INSERT every 10 ms) and of a reader (a learner's last 20 rows every
 *       10 ms) while it ran: SHARE lock for writers, ACCESS EXCLUSIVE only for the swap;</li>
 *   <li>the leaderboards: on the flat copy the views of V015 (REFRESH ... CONCURRENTLY, the
 *       baseline); on the partitioned ledger the boards of V044, refreshed from deltas: the
 *       refresh (both boards, one statement) after {@value #AWARDS_PER_REFRESH} awards, best of
 *       {@value #REFRESHES}, and the rebuild of a board from the ledger when its period changed
 *       (simulated by moving the stored period back); goal: weekly under 0.3 s partitioned;</li>
 *   <li>awards/s through the library (as GamificationBenchmark measures them), partitioned (with
 *       the delta trigger of V044) vs flat (without), alternated twice; goal: partitioned at
 *       least 0.9x flat.</li>
 * </ul>
 * Run: {@code scripts/bench lifecycle} ({@code -Dbench.keep=true} keeps both databases for a look). Both databases are made and filled at each run (200,000
 * users in 20 organizations, 5,000,000 ledger rows over 90 days, busier learners more often;
 * about 3 minutes) and dropped at the end, so a run always converts a V035 ledger.
 */
public final class LifecycleBenchmark {

    static final String PARTITIONED = "analytics_bench_lifecycle";
    static final String FLAT = "analytics_bench_lifecycle_flat";
    private static final int USERS = 200_000;
    private static final long ROWS = Long.getLong("bench.rows", 5_000_000L);
    private static final int SECONDS = Integer.getInteger("bench.seconds", 10);
    private static final int REFRESHES = 3;
    /** Awards between two refreshes, to as many learners as the fill's skew gives (about 9,000 distinct). */
    private static final int AWARDS_PER_REFRESH = Integer.getInteger("bench.awardsPerRefresh", 10_000);

    private LifecycleBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        PostgresServer server = PostgresServers.get();
        drop(server, FLAT);
        drop(server, PARTITIONED);
        admin(server, "CREATE DATABASE " + PARTITIONED);
        try {
            flyway(server, PARTITIONED).locations("filesystem:" + MigrationsAsOf.folder(35)).load().migrate(); // a V035 database
            long filled = fill(server);
            copy(server);
            System.out.printf("[bench] lifecycle: %d users, %d ledger rows at V035 (filled in %.1f s); copy kept flat in %s%n",
                    USERS, count(server, PARTITIONED, "SELECT count(*) FROM analytics.point_transactions"), filled / 1e9, FLAT);

            withArchiveObjects(server, FLAT);
            convert(server);
            flyway(server, PARTITIONED).load().migrate(); // the rest (V037 on), so the library is current
            System.out.printf("V044 (boards as tables, built from the ledger) %.1f s (Flyway's execution time)%n",
                    count(server, PARTITIONED, "SELECT execution_time FROM analytics.flyway_schema_history WHERE version = '044'") / 1000.0);
            vacuum(server, PARTITIONED, "analytics.point_transactions");

            refreshes(server);
            awards(server);
        } finally {
            if (!Boolean.getBoolean("bench.keep")) {
                drop(server, FLAT);
                drop(server, PARTITIONED);
            }
        }
    }

    /**
     * V037 alone on the flat copy: award_points (R__220, current on both) reads its horizons and
     * counts archived rows, so the flat ledger needs those objects too, not V036.
     */
    private static void withArchiveObjects(PostgresServer server, String database) throws SQLException, IOException {
        String script;
        try (InputStream in = LifecycleBenchmark.class.getClassLoader()
                .getResourceAsStream(AnalyticsDb.MIGRATIONS_LOCATION.substring("classpath:".length()) + "/V037__archive_point_transactions.sql")) {
            script = new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("${flyway:defaultSchema}", AnalyticsDb.SCHEMA);
        }
        try (Connection connection = connect(server, database); Statement sql = connection.createStatement()) {
            connection.setAutoCommit(false); // SET LOCAL ROLE in the script needs a transaction, as under Flyway
            sql.execute("SET search_path = " + AnalyticsDb.SCHEMA);
            sql.execute(script);
            connection.commit();
        }
    }

    /** 200,000 users, 5M ledger rows over the last 90 days (user n picked with probability ~ 1/sqrt(n)). */
    private static long fill(PostgresServer server) throws SQLException {
        long started = System.nanoTime();
        try (Connection connection = connect(server, PARTITIONED); Statement sql = connection.createStatement()) {
            sql.execute("SET synchronous_commit = off");
            sql.execute("""
                    INSERT INTO analytics.organizations (id, name)
                    SELECT ('00000000-0000-0000-0001-' || lpad(o::text, 12, '0'))::uuid, 'Organization ' || o FROM generate_series(1, 20) o""");
            sql.execute("""
                    INSERT INTO analytics.users (id, email, organization_id)
                    SELECT ('00000000-0000-0000-0002-' || lpad(n::text, 12, '0'))::uuid, 'learner' || n || '@bench.test',
                           ('00000000-0000-0000-0001-' || lpad((1 + n %% 20)::text, 12, '0'))::uuid
                    FROM generate_series(1, %d) n""".formatted(USERS));
            sql.execute("INSERT INTO analytics.activity_rules (activity_type, points) VALUES ('bench_activity', 3) ON CONFLICT DO NOTHING");
            sql.execute("""
                    INSERT INTO analytics.point_transactions (user_id, points, activity_type, "timestamp")
                    SELECT * FROM (
                        SELECT ('00000000-0000-0000-0002-' || lpad((1 + floor(%d * random() ^ 2))::int::text, 12, '0'))::uuid,
                               (ARRAY[5, 10, 20, 50])[1 + floor(random() * 4)::int],
                               (ARRAY['lesson_completed', 'quiz_passed', 'daily_login', 'course_completed'])[1 + floor(random() * 4)::int],
                               now() - random() * interval '90 days' AS at
                        FROM generate_series(1, %d)) rows
                    ORDER BY at -- as a live ledger is written: in time order""".formatted(USERS - 1, ROWS));
            sql.execute("VACUUM ANALYZE analytics.point_transactions, analytics.users");
            sql.execute("REFRESH MATERIALIZED VIEW analytics.leaderboard_weekly");
            sql.execute("REFRESH MATERIALIZED VIEW analytics.leaderboard_monthly");
        }
        return System.nanoTime() - started;
    }

    /** V036 alone, with a writer and a reader probing the ledger every 10 ms meanwhile. */
    private static void convert(PostgresServer server) throws Exception {
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong longestWrite = new AtomicLong();
        AtomicLong longestRead = new AtomicLong();
        Thread writer = probe(server, running, longestWrite,
                "INSERT INTO analytics.point_transactions (user_id, points, activity_type) VALUES (?::uuid, 1, 'bench_activity')");
        Thread reader = probe(server, running, longestRead,
                "SELECT points FROM analytics.point_transactions WHERE user_id = ?::uuid ORDER BY \"timestamp\" DESC, id DESC LIMIT 20");
        Thread.sleep(500);
        long started = System.nanoTime();
        flyway(server, PARTITIONED).locations("filesystem:" + MigrationsAsOf.folder(36)).load().migrate();
        long elapsed = System.nanoTime() - started;
        Thread.sleep(500);
        running.set(false);
        writer.join();
        reader.join();
        long v036 = count(server, PARTITIONED, "SELECT execution_time FROM analytics.flyway_schema_history WHERE version = '036'");
        System.out.printf("conversion V036 %.1f s (Flyway's execution time; %.1f s with the repeatable migrations);"
                        + " longest wait of a ledger write %.2f s, of a ledger read %.3f s%n",
                v036 / 1000.0, elapsed / 1e9, longestWrite.get() / 1e9, longestRead.get() / 1e9);
    }

    private static Thread probe(PostgresServer server, AtomicBoolean running, AtomicLong longest, String statement) {
        Thread thread = new Thread(() -> {
            try (Connection connection = connect(server, PARTITIONED); PreparedStatement sql = connection.prepareStatement(statement)) {
                while (running.get()) {
                    sql.setString(1, learner(ThreadLocalRandom.current().nextInt(1, USERS + 1)));
                    long started = System.nanoTime();
                    sql.execute();
                    longest.accumulateAndGet(System.nanoTime() - started, Math::max);
                    Thread.sleep(10);
                }
            } catch (SQLException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        thread.start();
        return thread;
    }

    private static void refreshes(PostgresServer server) throws SQLException {
        for (String board : List.of("weekly", "monthly")) {
            long[] flat = new long[REFRESHES];
            long[] partitionedQuery = new long[REFRESHES];
            long[] flatQuery = new long[REFRESHES];
            for (int i = 0; i < REFRESHES; i++) {
                flat[i] = millis(server, FLAT, "REFRESH MATERIALIZED VIEW CONCURRENTLY analytics.leaderboard_" + board);
                partitionedQuery[i] = queryMillis(server, PARTITIONED, board);
                flatQuery[i] = queryMillis(server, FLAT, board);
            }
            long queryPartitioned = java.util.Arrays.stream(partitionedQuery).min().orElseThrow();
            long queryFlat = java.util.Arrays.stream(flatQuery).min().orElseThrow();
            System.out.printf("query      %-7s partitioned %d ms   flat %d ms   ratio %.2fx   (its query alone, best of %d)%n",
                    board, queryPartitioned, queryFlat, (double) queryPartitioned / queryFlat, REFRESHES);
            System.out.printf("refresh    %-7s flat view (REFRESH CONCURRENTLY, the old way) %d ms   (runs %s; rows in period %d)%n",
                    board, java.util.Arrays.stream(flat).min().orElseThrow(), java.util.Arrays.toString(flat),
                    count(server, PARTITIONED, "SELECT count(*) FROM analytics.point_transactions WHERE \"timestamp\" >= date_trunc('"
                            + period(board) + "', now(), 'UTC')"));
        }
        long[] incremental = new long[REFRESHES];
        long learners = 0;
        for (int i = 0; i < REFRESHES; i++) {
            // Between two hourly refreshes autovacuum has had its turn on the boards.
            vacuum(server, PARTITIONED, "analytics.leaderboard_weekly, analytics.leaderboard_monthly, analytics.leaderboard_point_deltas");
            try (Connection connection = connect(server, PARTITIONED); Statement sql = connection.createStatement()) {
                sql.execute("""
                        INSERT INTO analytics.point_transactions (user_id, points, activity_type)
                        SELECT ('00000000-0000-0000-0002-' || lpad((1 + floor(%d * random() ^ 2))::int::text, 12, '0'))::uuid, 10, 'bench_activity'
                        FROM generate_series(1, %d)""".formatted(USERS - 1, AWARDS_PER_REFRESH));
            }
            learners = count(server, PARTITIONED, "SELECT count(DISTINCT user_id) FROM analytics.leaderboard_point_deltas");
            incremental[i] = millis(server, PARTITIONED, "SELECT analytics.refresh_leaderboard('weekly')");
        }
        System.out.printf("refresh    both    partitioned, from deltas: %d ms after %d awards to %d learners   (runs %s)%n",
                java.util.Arrays.stream(incremental).min().orElseThrow(), AWARDS_PER_REFRESH, learners, java.util.Arrays.toString(incremental));
        for (String board : List.of("weekly", "monthly")) {
            // A new period, as the stored period moved back: the board is rebuilt from the ledger.
            // Measured late in the period (all of it so far); at the real turn the period holds an hour.
            execute(server, PARTITIONED, "UPDATE analytics.leaderboard_refreshes SET period_start = period_start - interval '1 "
                    + period(board) + "' WHERE board = '" + board + "'");
            System.out.printf("rebuild    %-7s partitioned, new period: %d ms (the other board from deltas in the same statement)%n",
                    board, millis(server, PARTITIONED, "SELECT analytics.refresh_leaderboard('weekly')"));
        }
    }

    /** The views' query alone (V015's leaderboard_points_since), without the concurrent refresh's diff and writes. */
    private static long queryMillis(PostgresServer server, String database, String board) throws SQLException {
        try (Connection connection = connect(server, database); Statement sql = connection.createStatement()) {
            long started = System.nanoTime();
            sql.execute("SELECT count(*) FROM analytics.leaderboard_points_since(date_trunc('" + period(board) + "', now(), 'UTC'))");
            return (System.nanoTime() - started) / 1_000_000;
        }
    }

    private static String period(String board) {
        return "weekly".equals(board) ? "week" : "month";
    }

    private static long millis(PostgresServer server, String database, String statement) throws SQLException {
        try (Connection connection = connect(server, database); Statement sql = connection.createStatement()) {
            long started = System.nanoTime();
            sql.execute(statement);
            return (System.nanoTime() - started) / 1_000_000;
        }
    }

    private static void execute(PostgresServer server, String database, String statement) throws SQLException {
        try (Connection connection = connect(server, database); Statement sql = connection.createStatement()) {
            sql.execute(statement);
        }
    }

    private static void awards(PostgresServer server) throws Exception {
        List<UUID> learners = new ArrayList<>();
        for (int n = 1; n <= USERS; n++) learners.add(UUID.fromString(learner(n)));
        double[] partitioned = new double[2];
        double[] flat = new double[2];
        try (AnalyticsDb onPartitioned = library(server, PARTITIONED); AnalyticsDb onFlat = library(server, FLAT)) {
            GamificationBenchmark.libraryAwardsPerSecond(onPartitioned, learners, 3); // warm-up: JIT, connections, plans
            GamificationBenchmark.libraryAwardsPerSecond(onFlat, learners, 3);
            for (int round = 0; round < 2; round++) {
                vacuum(server, FLAT, "analytics.user_points, analytics.daily_activity, analytics.award_keys");
                flat[round] = GamificationBenchmark.libraryAwardsPerSecond(onFlat, learners, SECONDS);
                vacuum(server, PARTITIONED, "analytics.user_points, analytics.daily_activity, analytics.award_keys");
                partitioned[round] = GamificationBenchmark.libraryAwardsPerSecond(onPartitioned, learners, SECONDS);
            }
        }
        double p = Math.max(partitioned[0], partitioned[1]);
        double f = Math.max(flat[0], flat[1]);
        System.out.printf("awards/s   partitioned with deltas %.0f (runs %.0f, %.0f)   flat %.0f (runs %.0f, %.0f)   ratio %.2fx%n",
                p, partitioned[0], partitioned[1], f, flat[0], flat[1], p / f);
    }

    private static AnalyticsDb library(PostgresServer server, String database) {
        return AnalyticsDb.builder()
                .jdbcUrl(server.urlFor(database), TestDatabase.APP_USER, System.getenv(TestDatabase.APP_PASSWORD_VARIABLE))
                .maximumPoolSize(GamificationBenchmark.CLIENTS + 2).build();
    }

    private static String learner(int n) {
        return "00000000-0000-0000-0002-" + String.format("%012d", n);
    }

    private static FluentConfiguration flyway(PostgresServer server, String database) {
        return Flyway.configure(AnalyticsDb.class.getClassLoader())
                .dataSource(server.urlFor(database), server.user(), server.password())
                .locations(AnalyticsDb.MIGRATIONS_LOCATION)
                .schemas(AnalyticsDb.SCHEMA).defaultSchema(AnalyticsDb.SCHEMA).createSchemas(true);
    }

    private static void vacuum(PostgresServer server, String database, String tables) throws SQLException {
        execute(server, database, "VACUUM ANALYZE " + tables);
    }

    private static long count(PostgresServer server, String database, String query) throws SQLException {
        try (Connection connection = connect(server, database); Statement sql = connection.createStatement(); ResultSet rs = sql.executeQuery(query)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static Connection connect(PostgresServer server, String database) throws SQLException {
        return server.connect(server.urlFor(database));
    }

    private static void admin(PostgresServer server, String statement) throws SQLException {
        try (Connection connection = server.connectAdmin(); Statement sql = connection.createStatement()) {
            sql.execute(statement);
        }
    }

    /** The flat copy, retrying while the filler's last session on the source exits. */
    private static void copy(PostgresServer server) throws SQLException, InterruptedException {
        for (int attempt = 0; ; attempt++) {
            try {
                admin(server, "CREATE DATABASE " + FLAT + " TEMPLATE " + PARTITIONED);
                return;
            } catch (SQLException e) {
                if (!"55006".equals(e.getSQLState()) || attempt == 50) throw e; // object_in_use
                Thread.sleep(100);
            }
        }
    }

    private static void drop(PostgresServer server, String database) throws SQLException {
        admin(server, "DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
    }
}
