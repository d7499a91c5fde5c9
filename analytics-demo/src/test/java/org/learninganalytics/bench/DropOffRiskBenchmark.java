package org.learninganalytics.bench;

import java.sql.Connection;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.UUID;

import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.learninganalytics.db.testing.PostgresServer;
import org.learninganalytics.db.testing.PostgresServers;
import org.learninganalytics.demo.DemoScale;
import org.learninganalytics.demo.DropOffRiskValidation;

/**
 * ANALYTICS.md "Validating the risk model" at benchmark scale: ROC AUC of drop_off_risk against
 * the generator's drop-outs on {@code analytics_bench}, as {@link DropOffRiskValidation} computes
 * it for the demo-scale test. Reads only: it neither migrates nor generates the database (run
 * another benchmark first to fill it) and writes no prediction.
 * <p>
 * T is the end of the generator's last day, which is the day of the latest generated learning
 * event (the analytics benchmark's own events, objects {@code bench:...}, do not count), or
 * {@code -Dbench.lastDay=YYYY-MM-DD}. {@code -Dbench.learners=N} assesses a random sample of N
 * learners (fixed seed) instead of all. {@code -Dbench.seed} is the generator's seed (that of
 * {@link DemoScale#benchmark()} by default).
 * <p>
 * Run: {@code scripts/bench drop-off-auc}.
 */
public final class DropOffRiskBenchmark {

    private DropOffRiskBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        PostgresServer server = PostgresServers.get();
        long seed = Long.getLong("bench.seed", DemoScale.benchmark().seed());
        int sample = Integer.getInteger("bench.learners", 0);
        try (Connection connection = BenchmarkDatabase.adminConnection(server)) {
            DSLContext ctx = DSL.using(connection, SQLDialect.POSTGRES);
            long events = ctx.resultQuery("SELECT count(*) FROM analytics.learning_events").fetchOne(0, Long.class);
            if (events == 0) throw new IllegalStateException(BenchmarkDatabase.NAME + " has no learning events: run scripts/bench analytics first");
            String configured = System.getProperty("bench.lastDay");
            LocalDate lastDay = configured != null ? LocalDate.parse(configured)
                    : ctx.resultQuery("SELECT max(occurred_at) FROM analytics.learning_events WHERE object_id NOT LIKE 'bench:%'")
                            .fetchOne(0, OffsetDateTime.class).withOffsetSameInstant(ZoneOffset.UTC).toLocalDate();
            Instant at = lastDay.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
            List<UUID> learners = new ArrayList<>(DropOffRiskValidation.learners(ctx));
            int all = learners.size();
            if (sample > 0 && sample < all) {
                Collections.shuffle(learners, new Random(1));
                learners = new ArrayList<>(learners.subList(0, sample));
                Collections.sort(learners);
            }
            System.out.printf("[bench] drop-off AUC: %d learning events, %d of %d learners, seed %d, T = %s (end of the last day %s)%n",
                    events, learners.size(), all, seed, at, lastDay);
            DropOffRiskValidation.Result result = DropOffRiskValidation.measure(ctx, learners, seed, at);
            System.out.println("[bench] " + result.describe());
            System.out.printf("[bench] %.0f learners/s (inputs read set-based, %d per call)%n",
                    learners.size() * 1000.0 / Math.max(1, result.millis()), DropOffRiskValidation.BATCH);
        }
    }
}
