package org.learninganalytics.db.lifecycle;

import static org.learninganalytics.db.generated.Tables.PREDICTIVE_ANALYTICS_CACHE;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.learninganalytics.db.generated.Analytics;
import org.learninganalytics.db.generated.Routines;
import org.learninganalytics.db.generated.routines.DropExpiredLearnerAnalytics;
import org.learninganalytics.db.generated.routines.DropExpiredLearningEvents;
import org.learninganalytics.db.generated.tables.records.ArchivePointTransactionsRecord;
import org.learninganalytics.db.internal.Transactions;

/**
 * Data lifecycle on the service path: monthly partitions made ahead, the seed's retention
 * rules, and a view of the partitions for operators. A job runner calls
 * {@link #upkeepPartitions()} (e.g. daily) and {@link #applyRetention()} (e.g. hourly).
 * <p>
 * Both are idempotent and safe to run from several instances at once: every unit of work
 * first takes one transaction-scoped advisory lock, so concurrent runs queue behind each
 * other and the later one finds nothing left to do. Each step is its own short transaction
 * (creating or dropping a partition locks its table for a moment; the SQL waits at most 5 s
 * for that lock and then fails with a {@code TIMED_OUT} {@link org.learninganalytics.db.AnalyticsDbException}).
 * Thread-safe.
 */
public final class Lifecycle {

    /** Months after the current UTC month that every partitioned table has a partition for after upkeep. */
    public static final int MONTHS_AHEAD = 3;

    /**
     * How long award idempotency keys are kept: an award dated before the oldest kept key is
     * refused (R__220), so a late replay is never counted twice.
     */
    public static final Duration AWARD_KEYS_KEPT = Duration.ofDays(90);

    /** One lock for all lifecycle work: upkeep and retention never interleave. */
    private static final String LIFECYCLE_LOCK = "SELECT pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtextextended('analytics.lifecycle', 0))";

    private final Transactions transactions;

    Lifecycle(Transactions transactions) {
        this.transactions = transactions;
    }

    /**
     * How far back upkeep makes months: new rows may be dated this far back (ingestion accepts
     * events of the 90 days kept; an award may be dated back to its key's horizon, 90 days).
     * Without those months a fresh installation put such rows in a DEFAULT partition for good:
     * reported by every upkeep and never dropped by retention.
     */
    static final Duration ROWS_DATED_BACK = Duration.ofDays(90);

    /**
     * Makes the monthly partitions from the month {@link #ROWS_DATED_BACK} ago through the
     * {@value #MONTHS_AHEAD} months after the current UTC month for every partitioned table
     * (learning events, the six learner-analytics tables, the ledger), moving rows of those months
     * out of the DEFAULT partitions, and reports the DEFAULT partitions that still hold rows.
     *
     * @throws org.learninganalytics.db.AnalyticsDbException ({@code TIMED_OUT} when a table's lock
     *         was not had within 5 s) after the other tables got their months
     */
    public PartitionReport upkeepPartitions() {
        YearMonth current = YearMonth.now(ZoneOffset.UTC);
        YearMonth first = YearMonth.from(OffsetDateTime.now(ZoneOffset.UTC).minus(ROWS_DATED_BACK));
        LocalDate from = first.atDay(1);
        int months = (int) first.until(current, ChronoUnit.MONTHS) + MONTHS_AHEAD + 1;
        List<Function<DSLContext, Integer>> tables = List.of(
                ctx -> Routines.createLearningEventPartitions(ctx.configuration(), from, months),
                ctx -> Routines.createLearnerAnalyticsPartitions(ctx.configuration(), from, months),
                ctx -> Routines.createPointTransactionPartitions(ctx.configuration(), from, months));
        // Each table in turn, even after one failed (say, its lock timed out behind a long
        // reader): one busy table must not leave the others without their next months.
        int made = 0;
        RuntimeException failure = null;
        for (Function<DSLContext, Integer> table : tables) {
            try {
                made += locked(table);
            } catch (RuntimeException e) {
                if (failure == null) failure = e;
                else failure.addSuppressed(e);
            }
        }
        if (failure != null) throw failure;
        List<StrayRows> strays = transactions.asService(ctx -> Routines.defaultPartitionRows(ctx.configuration()).stream()
                .map(r -> new StrayRows(r.getParent(), r.getPartitionName(), r.getRowCount()))
                .toList());
        return new PartitionReport(made, current.plusMonths(MONTHS_AHEAD), strays);
    }

    /**
     * Applies every rule of the seed's retention table once, each in its own transaction, and
     * reports what each removed. See {@link RetentionRule} for how each rule is enforced.
     */
    public RetentionReport applyRetention() {
        Instant ranAt = Instant.now();
        List<RetentionResult> results = new ArrayList<>();
        results.add(new RetentionResult(RetentionRule.PREDICTIVE_CACHE, locked(Lifecycle::deleteExpiredPredictions), 0));
        DropExpiredLearningEvents events = locked(ctx -> Routines.dropExpiredLearningEvents(ctx.configuration()));
        results.add(new RetentionResult(RetentionRule.USER_ACTIVITY_LOGS, events.getRowsDropped(), events.getPartitionsDropped()));
        // Hot analytics are bounded where they are read (learner_analytics_hot_window() in R__250): nothing to remove.
        results.add(new RetentionResult(RetentionRule.PERSONAL_ANALYTICS_HOT, 0, 0));
        DropExpiredLearnerAnalytics analytics = locked(ctx -> Routines.dropExpiredLearnerAnalytics(ctx.configuration()));
        results.add(new RetentionResult(RetentionRule.PERSONAL_ANALYTICS_WARM, analytics.getRowsDropped(), analytics.getPartitionsDropped()));
        results.add(new RetentionResult(RetentionRule.AGGREGATED_ANALYTICS,
                locked(ctx -> Routines.deleteExpiredAggregates(ctx.configuration())), 0));
        results.add(archivePointTransactions());
        results.add(new RetentionResult(RetentionRule.AWARD_IDEMPOTENCY_KEYS, locked(ctx -> Routines.expireAwardKeys(
                ctx.configuration(), Instant.now().minus(AWARD_KEYS_KEPT))), 0));
        return new RetentionReport(ranAt, results);
    }

    /** Ledger partitions lying wholly before now - 1 year move to analytics_archive (rows moved, not removed). */
    private RetentionResult archivePointTransactions() {
        Instant before = OffsetDateTime.now(ZoneOffset.UTC).minusYears(1).toInstant();
        List<ArchivePointTransactionsRecord> moved = locked(ctx -> Analytics.ARCHIVE_POINT_TRANSACTIONS(ctx.configuration(), before));
        long rows = moved.stream().mapToLong(ArchivePointTransactionsRecord::getMovedRows).sum();
        return new RetentionResult(RetentionRule.POINT_TRANSACTIONS_ARCHIVE, rows, moved.size());
    }

    /** Every partition of every partitioned table, by table and range, DEFAULT last. */
    public List<PartitionInfo> partitions() {
        return transactions.asService(ctx -> Routines.partitionOverview(ctx.configuration()).stream()
                .map(r -> new PartitionInfo(r.getSchemaName(), r.getParent(), r.getPartitionName(), r.getIsDefault(),
                        r.getRangeFrom(), r.getRangeTo(), r.getRowsEstimate()))
                .toList());
    }

    /** The seed's 48 hours, from when the prediction was calculated. */
    private static long deleteExpiredPredictions(DSLContext ctx) {
        return ctx.deleteFrom(PREDICTIVE_ANALYTICS_CACHE)
                .where(PREDICTIVE_ANALYTICS_CACHE.CALCULATED_AT.lt(DSL.field("now() - interval '48 hours'", Instant.class)))
                .execute();
    }

    /** Runs {@code work} in its own service transaction, after the lifecycle lock. */
    private <T> T locked(Function<DSLContext, T> work) {
        return transactions.asService(ctx -> {
            ctx.execute(LIFECYCLE_LOCK);
            return work.apply(ctx);
        });
    }
}
