package org.learninganalytics.bench;

import java.io.StringReader;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import org.learninganalytics.db.AnalyticsDb;
import org.learninganalytics.db.analytics.RecomputeResult;
import org.learninganalytics.db.ingestion.LearningEvent;
import org.learninganalytics.db.ingestion.LearningObjectType;
import org.learninganalytics.db.ingestion.LearningVerb;
import org.learninganalytics.db.tenancy.Principal;
import org.learninganalytics.db.tenancy.Role;
import org.learninganalytics.db.testing.PostgresServer;
import org.learninganalytics.db.testing.TestDatabase;
import org.postgresql.PGConnection;

/**
 * Learner analytics at 200k users / 10M learning events, all measured in one run:
 * <ol>
 *   <li>event ingestion, rows/s, through the library ({@code upsertLearningEvents}, batches of
 *       10,000: checks, advisory locks, reference and id look-ups, one INSERT ... SELECT FROM
 *       unnest ON CONFLICT DO NOTHING) against a bare {@code COPY} of the same kind of rows into
 *       the same table, one batch per transaction, one client, rounds alternated; goal: library
 *       at least 0.5x COPY. The benchmark deletes the events it wrote after each round;</li>
 *   <li>computing all six analytics for one learner through the cached read (a learner with no
 *       stored result, a different one each time, so every read computes): p50/p99; goal: p50
 *       under 25 ms;</li>
 *   <li>a cached read of all six against the same learner's points summary, interleaved; p50
 *       each and their ratio; goal: at most 2x;</li>
 *   <li>bulk recompute of an organization of realistic size (the one closest to
 *       {@code -Dbench.orgUsers}, 2,500 users by default: the tenancy benchmark's org admin
 *       sees 2,407), learners/s, best of two runs after a warm-up on a small organization;
 *       goal: at least 2,000/s;</li>
 *   <li>refresh time of the two aggregate views (peer comparison, skill demand) through the
 *       library, two runs each.</li>
 * </ol>
 * Run: {@code scripts/bench analytics}. Options: {@code -Dbench.eventBatches} (10 per round),
 * {@code -Dbench.computations} (500), {@code -Dbench.iterations} (2,000 cached reads),
 * {@code -Dbench.orgUsers} (2,500).
 * <p>
 * Fresh learners run out after many runs (each run stores results for about 1,000 learners
 * and recomputes the organization): drop analytics_bench to start over.
 */
public final class AnalyticsBenchmark {

    private static final int BATCH = 10_000;
    private static final int BATCHES = Integer.getInteger("bench.eventBatches", 10);
    private static final int COMPUTATIONS = Integer.getInteger("bench.computations", 500);
    private static final int WARM_UP_COMPUTATIONS = 100;
    private static final int READS = Integer.getInteger("bench.iterations", 2_000);
    private static final int WARM_UP_READS = 1_000;
    private static final int ORG_USERS = Integer.getInteger("bench.orgUsers", 2_500);

    private static final String COPY_COLUMNS = "event_id, user_id, verb, object_id, object_type, course_id, skill_id, score_scaled,"
            + " success, completion, duration_seconds, progress_percent, occurred_at";

    private AnalyticsBenchmark() {
    }

    /** An enrollment to make events of: the learner, the course and one skill it teaches (may be null). */
    private record Enrolled(UUID user, UUID course, String skill) {
    }

    public static void main(String[] args) throws Exception {
        PostgresServer server = BenchmarkDatabase.prepare();
        System.out.printf(Locale.ROOT, "[bench] analytics: %d users, %d learning events; machine before the run: %.0f%% busy of %d CPUs"
                        + " (other work on it distorts every figure)%n",
                BenchmarkDatabase.count(server, "SELECT count(*) FROM analytics.users"),
                BenchmarkDatabase.count(server, "SELECT count(*) FROM analytics.learning_events"),
                100 * busyShare(Duration.ofSeconds(2)), CpuTimes.cpus());
        List<String> table = new ArrayList<>();
        try (AnalyticsDb db = AnalyticsDb.builder()
                .jdbcUrl(server.urlFor(BenchmarkDatabase.NAME), TestDatabase.APP_USER, System.getenv(TestDatabase.APP_PASSWORD_VARIABLE))
                .maximumPoolSize(4).build()) {
            ingestion(server, db, table);
            List<UUID> computed = computeAll(server, db, table);
            cachedReads(db, computed, table);
            bulkRecompute(server, db, table);
            aggregates(db, table);
        }
        System.out.println();
        System.out.println("| measure | result | goal |");
        System.out.println("|---|---|---|");
        table.forEach(System.out::println);
    }

    // 1. Ingestion -----------------------------------------------------------------------------

    private static void ingestion(PostgresServer server, AnalyticsDb db, List<String> table) throws Exception {
        List<Enrolled> enrolled = enrollments(server);
        // Warm-up: JIT, connections, plans, partitions' pages.
        delete(server, libraryRound(db, enrolled, 1, null));
        delete(server, copyRound(server, enrolled, 1, null));
        double[] library = new double[2];
        double[] copy = new double[2];
        for (int round = 0; round < 2; round++) {
            double[] rate = new double[1];
            delete(server, libraryRound(db, enrolled, BATCHES, rate));
            library[round] = rate[0];
            delete(server, copyRound(server, enrolled, BATCHES, rate));
            copy[round] = rate[0];
            System.out.printf(Locale.ROOT, "ingestion  round %d: library %,.0f rows/s, COPY %,.0f rows/s%n", round + 1, library[round], copy[round]);
        }
        double lib = Math.max(library[0], library[1]);
        double raw = Math.max(copy[0], copy[1]);
        System.out.printf(Locale.ROOT, "ingestion  library %,.0f rows/s (runs %,.0f, %,.0f)   COPY %,.0f rows/s (runs %,.0f, %,.0f)   ratio %.2fx%n",
                lib, library[0], library[1], raw, copy[0], copy[1], lib / raw);
        table.add(String.format(Locale.ROOT, "| event ingestion, %d batches of 10,000, library vs bare COPY | %,.0f vs %,.0f rows/s: **%.2fx** | ≥ 0.5× |",
                BATCHES, lib, raw, lib / raw));
        long started = System.nanoTime();
        try (Connection admin = BenchmarkDatabase.adminConnection(server); Statement sql = admin.createStatement()) {
            sql.execute("VACUUM analytics.learning_events"); // the deleted rows (autovacuum is off on machines of this kind)
        }
        System.out.printf(Locale.ROOT, "[bench] vacuumed learning_events in %.1f s%n", (System.nanoTime() - started) / 1e9);
    }

    private static List<Enrolled> enrollments(PostgresServer server) throws SQLException {
        List<Enrolled> enrolled = new ArrayList<>();
        try (Connection admin = BenchmarkDatabase.adminConnection(server); Statement sql = admin.createStatement();
             ResultSet rs = sql.executeQuery("""
                     SELECT e.user_id, e.course_id, (SELECT min(cs.skill_id) FROM analytics.course_skills cs WHERE cs.course_id = e.course_id)
                     FROM analytics.enrollments e TABLESAMPLE SYSTEM (2)
                     JOIN analytics.user_roles r ON r.user_id = e.user_id AND r.role = 'learner'
                     LIMIT 20000""")) {
            while (rs.next()) enrolled.add(new Enrolled((UUID) rs.getObject(1), (UUID) rs.getObject(2), rs.getString(3)));
        }
        if (enrolled.isEmpty()) throw new IllegalStateException("no enrollments to make events of");
        return enrolled;
    }

    /** A batch of events as producers send them: random (v4) ids, the last 7 days, content, progress and scored quizzes. */
    private static List<LearningEvent> events(List<Enrolled> enrolled) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        Instant now = Instant.now();
        List<LearningEvent> batch = new ArrayList<>(BATCH);
        for (int i = 0; i < BATCH; i++) {
            Enrolled e = enrolled.get(random.nextInt(enrolled.size()));
            UUID id = new UUID((random.nextLong() & ~0xF000L) | 0x4000L, (random.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L);
            Instant at = now.minusSeconds(random.nextLong(7 * 86_400)).minusNanos(random.nextInt(1_000) * 1_000L);
            String object = "bench:" + e.course() + ":" + random.nextInt(40);
            batch.add(switch (i % 4) {
                case 0 -> new LearningEvent(id, e.user(), LearningVerb.EXPERIENCED, object, LearningObjectType.VIDEO, e.course(), e.skill(),
                        null, null, null, 120 + random.nextInt(1_200), null, at, null);
                case 1 -> new LearningEvent(id, e.user(), LearningVerb.EXPERIENCED, object, LearningObjectType.READING, e.course(), e.skill(),
                        null, null, null, 60 + random.nextInt(900), null, at, null);
                case 2 -> new LearningEvent(id, e.user(), LearningVerb.PROGRESSED, "bench:" + e.course(), LearningObjectType.COURSE, e.course(),
                        null, null, null, null, null, BigDecimal.valueOf(random.nextInt(10_000), 2), at, null);
                default -> {
                    BigDecimal score = BigDecimal.valueOf(random.nextInt(10_001), 4);
                    boolean passed = score.doubleValue() >= 0.7;
                    yield new LearningEvent(id, e.user(), passed ? LearningVerb.PASSED : LearningVerb.FAILED, object, LearningObjectType.QUIZ,
                            e.course(), e.skill(), score, passed, Boolean.TRUE, 300 + random.nextInt(900), null, at, null);
                }
            });
        }
        return batch;
    }

    /** Writes {@code batches} batches through the library; returns their ids, sets {@code rate[0]} to rows/s. */
    private static List<UUID[]> libraryRound(AnalyticsDb db, List<Enrolled> enrolled, int batches, double[] rate) {
        List<UUID[]> ids = new ArrayList<>();
        long elapsed = 0;
        for (int b = 0; b < batches; b++) {
            List<LearningEvent> batch = events(enrolled);
            long started = System.nanoTime();
            int inserted = db.system().ingestion().upsertLearningEvents(batch).inserted();
            elapsed += System.nanoTime() - started;
            if (inserted != batch.size()) throw new IllegalStateException("the library inserted " + inserted + " of " + batch.size());
            ids.add(batch.stream().map(LearningEvent::eventId).toArray(UUID[]::new));
        }
        if (rate != null) rate[0] = batches * (double) BATCH / (elapsed / 1e9);
        return ids;
    }

    /** The same kind of rows by bare COPY (text format, built in the timed part as the library builds its arrays). */
    private static List<UUID[]> copyRound(PostgresServer server, List<Enrolled> enrolled, int batches, double[] rate) throws Exception {
        List<UUID[]> ids = new ArrayList<>();
        long elapsed = 0;
        try (Connection admin = BenchmarkDatabase.adminConnection(server)) {
            var copy = admin.unwrap(PGConnection.class).getCopyAPI();
            for (int b = 0; b < batches; b++) {
                List<LearningEvent> batch = events(enrolled);
                long started = System.nanoTime();
                StringBuilder text = new StringBuilder(BATCH * 220);
                for (LearningEvent e : batch) {
                    text.append(e.eventId()).append('\t').append(e.userId()).append('\t').append(e.verb().sqlName()).append('\t')
                            .append(e.objectId()).append('\t').append(e.objectType().sqlName()).append('\t').append(orNull(e.courseId()))
                            .append('\t').append(orNull(e.skillId())).append('\t')
                            .append(e.scoreScaled() == null ? "\\N" : e.scoreScaled().toPlainString()).append('\t')
                            .append(orNull(e.success())).append('\t').append(orNull(e.completion())).append('\t')
                            .append(orNull(e.durationSeconds())).append('\t')
                            .append(e.progressPercent() == null ? "\\N" : e.progressPercent().toPlainString()).append('\t')
                            .append(e.occurredAt()).append('\n');
                }
                long rows = copy.copyIn("COPY analytics.learning_events (" + COPY_COLUMNS + ") FROM STDIN", new StringReader(text.toString()));
                elapsed += System.nanoTime() - started;
                if (rows != batch.size()) throw new IllegalStateException("COPY wrote " + rows + " of " + batch.size());
                ids.add(batch.stream().map(LearningEvent::eventId).toArray(UUID[]::new));
            }
        }
        if (rate != null) rate[0] = batches * (double) BATCH / (elapsed / 1e9);
        return ids;
    }

    private static String orNull(Object value) {
        return value == null ? "\\N" : value.toString();
    }

    private static void delete(PostgresServer server, List<UUID[]> ids) throws SQLException {
        try (Connection admin = BenchmarkDatabase.adminConnection(server);
             PreparedStatement delete = admin.prepareStatement("DELETE FROM analytics.learning_events WHERE event_id = ANY (?)")) {
            for (UUID[] batch : ids) {
                delete.setArray(1, admin.createArrayOf("uuid", batch));
                int deleted = delete.executeUpdate();
                if (deleted != batch.length) throw new IllegalStateException("deleted " + deleted + " of " + batch.length + " benchmark events");
            }
        }
    }

    // 2. Computing all six ---------------------------------------------------------------------

    private static List<UUID> computeAll(PostgresServer server, AnalyticsDb db, List<String> table) throws SQLException {
        List<UUID> fresh = new ArrayList<>();
        try (Connection admin = BenchmarkDatabase.adminConnection(server); Statement sql = admin.createStatement();
             ResultSet rs = sql.executeQuery("""
                     SELECT r.user_id FROM analytics.user_roles r
                     WHERE r.role = 'learner'
                       AND NOT EXISTS (SELECT 1 FROM analytics.learner_velocity_analytics a WHERE a.user_id = r.user_id)
                       AND NOT EXISTS (SELECT 1 FROM analytics.engagement_analytics a WHERE a.user_id = r.user_id)
                       AND NOT EXISTS (SELECT 1 FROM analytics.skill_gap_analytics a WHERE a.user_id = r.user_id)
                       AND NOT EXISTS (SELECT 1 FROM analytics.mastery_analytics a WHERE a.user_id = r.user_id)
                       AND NOT EXISTS (SELECT 1 FROM analytics.performance_analytics a WHERE a.user_id = r.user_id)
                       AND NOT EXISTS (SELECT 1 FROM analytics.content_effectiveness_analytics a WHERE a.user_id = r.user_id)
                     ORDER BY random() LIMIT %d""".formatted(WARM_UP_COMPUTATIONS + COMPUTATIONS))) {
            while (rs.next()) fresh.add((UUID) rs.getObject(1));
        }
        if (fresh.size() < WARM_UP_COMPUTATIONS + COMPUTATIONS) {
            throw new IllegalStateException("only " + fresh.size() + " learners without stored analytics left: drop " + BenchmarkDatabase.NAME);
        }
        for (UUID learner : fresh.subList(0, WARM_UP_COMPUTATIONS)) all(db, learner);
        List<UUID> measured = fresh.subList(WARM_UP_COMPUTATIONS, fresh.size());
        long[] took = new long[measured.size()];
        CpuTimes before = CpuTimes.sample(0);
        for (int i = 0; i < took.length; i++) {
            long started = System.nanoTime();
            all(db, measured.get(i));
            took[i] = System.nanoTime() - started;
        }
        CpuTimes after = CpuTimes.sample(0);
        Arrays.sort(took);
        double p50 = ms(took[took.length / 2]);
        double p99 = ms(took[took.length * 99 / 100]);
        System.out.printf(Locale.ROOT, "compute    all six for a learner without stored results: p50 %.1f ms  p99 %.1f ms  (%d learners; machine %s busy)%n",
                p50, p99, took.length, busy(before, after));
        table.add(String.format(Locale.ROOT, "| computing all six for one learner (%d fresh learners) | p50 %.1f ms, p99 %.1f ms | p50 < 25 ms |",
                took.length, p50, p99));
        return measured;
    }

    private static void all(AnalyticsDb db, UUID learner) {
        if (db.as(learner(learner)).analytics().all(learner).isEmpty()) throw new IllegalStateException("no analytics for " + learner);
    }

    private static Principal learner(UUID user) {
        return new Principal(user, null, Set.of(Role.LEARNER));
    }

    // 3. Cached read vs points summary ---------------------------------------------------------

    private static void cachedReads(AnalyticsDb db, List<UUID> learners, List<String> table) {
        for (int i = 0; i < WARM_UP_READS; i++) {
            UUID user = learners.get(i % learners.size());
            all(db, user);
            db.as(learner(user)).points().summary(user);
        }
        long[] cached = new long[READS];
        long[] points = new long[READS];
        CpuTimes before = CpuTimes.sample(0);
        for (int i = 0; i < READS; i++) {
            UUID user = learners.get(ThreadLocalRandom.current().nextInt(learners.size()));
            boolean pointsFirst = (i & 1) == 0; // alternate which goes first
            if (pointsFirst) points[i] = timePoints(db, user);
            long started = System.nanoTime();
            all(db, user);
            cached[i] = System.nanoTime() - started;
            if (!pointsFirst) points[i] = timePoints(db, user);
        }
        CpuTimes after = CpuTimes.sample(0);
        Arrays.sort(cached);
        Arrays.sort(points);
        double c50 = ms(cached[READS / 2]);
        double p50 = ms(points[READS / 2]);
        System.out.printf(Locale.ROOT, "cached     all six p50 %.2f ms  p99 %.2f ms   points summary p50 %.2f ms  p99 %.2f ms   ratio %.2fx  (machine %s busy)%n",
                c50, ms(cached[READS * 99 / 100]), p50, ms(points[READS * 99 / 100]), c50 / p50, busy(before, after));
        table.add(String.format(Locale.ROOT, "| cached read of all six vs the learner's points summary (%,d interleaved) | p50 %.2f ms vs %.2f ms: **%.2fx** | ≤ 2× |",
                READS, c50, p50, c50 / p50));
    }

    private static long timePoints(AnalyticsDb db, UUID user) {
        long started = System.nanoTime();
        if (db.as(learner(user)).points().summary(user).isEmpty()) throw new IllegalStateException("no points summary for " + user);
        return System.nanoTime() - started;
    }

    // 4. Bulk recompute ------------------------------------------------------------------------

    private static void bulkRecompute(PostgresServer server, AnalyticsDb db, List<String> table) throws SQLException {
        UUID small = organization(server, 200);
        UUID org = organization(server, ORG_USERS);
        db.system().analytics().organization(small); // warm-up
        RecomputeResult[] runs = new RecomputeResult[2];
        CpuTimes before = CpuTimes.sample(0);
        for (int round = 0; round < 2; round++) runs[round] = db.system().analytics().organization(org);
        CpuTimes after = CpuTimes.sample(0);
        double[] rate = new double[2];
        for (int round = 0; round < 2; round++) rate[round] = runs[round].learners() / (runs[round].took().toNanos() / 1e9);
        double best = Math.max(rate[0], rate[1]);
        System.out.printf(Locale.ROOT, "recompute  organization of %,d users: %,.0f learners/s (runs %.2f s, %.2f s; %,d rows each; machine %s busy)%n",
                runs[0].learners(), best, runs[0].took().toMillis() / 1000.0, runs[1].took().toMillis() / 1000.0, runs[0].rows(), busy(before, after));
        table.add(String.format(Locale.ROOT, "| bulk recompute, organization of %,d users (best of 2) | **%,.0f learners/s** (%.2f s, %.2f s) | ≥ 2,000/s |",
                runs[0].learners(), best, runs[0].took().toMillis() / 1000.0, runs[1].took().toMillis() / 1000.0));
    }

    /** The organization whose user count is closest to {@code users}. */
    private static UUID organization(PostgresServer server, int users) throws SQLException {
        try (Connection admin = BenchmarkDatabase.adminConnection(server); Statement sql = admin.createStatement();
             ResultSet rs = sql.executeQuery("SELECT organization_id FROM analytics.users WHERE organization_id IS NOT NULL"
                     + " GROUP BY 1 ORDER BY abs(count(*) - " + users + "), 1 LIMIT 1")) {
            rs.next();
            return (UUID) rs.getObject(1);
        }
    }

    // 5. Aggregates ----------------------------------------------------------------------------

    private static void aggregates(AnalyticsDb db, List<String> table) {
        long[] peer = new long[2];
        long[] demand = new long[2];
        for (int round = 0; round < 2; round++) {
            peer[round] = db.system().aggregates().refreshPeerComparison().toMillis();
            demand[round] = db.system().aggregates().refreshSkillDemand().toMillis();
        }
        System.out.printf(Locale.ROOT, "aggregates peer comparison refresh %.1f s, %.1f s   skill demand refresh %.1f s, %.1f s%n",
                peer[0] / 1000.0, peer[1] / 1000.0, demand[0] / 1000.0, demand[1] / 1000.0);
        table.add(String.format(Locale.ROOT, "| aggregate views' refresh (concurrently, through the library, 2 runs) | peer comparison %.1f s, %.1f s; skill demand %.1f s, %.1f s | — |",
                peer[0] / 1000.0, peer[1] / 1000.0, demand[0] / 1000.0, demand[1] / 1000.0));
    }

    // ------------------------------------------------------------------------------------------

    private static double busyShare(Duration over) throws InterruptedException {
        CpuTimes a = CpuTimes.sample(0);
        Thread.sleep(over.toMillis());
        CpuTimes b = CpuTimes.sample(0);
        return b.total() == a.total() ? 0 : (double) (b.busy() - a.busy()) / (b.total() - a.total());
    }

    private static String busy(CpuTimes before, CpuTimes after) {
        long total = after.total() - before.total();
        return total <= 0 ? "?" : String.format(Locale.ROOT, "%.0f%%", 100.0 * (after.busy() - before.busy()) / total);
    }

    private static double ms(long nanos) {
        return nanos / 1_000_000.0;
    }
}
