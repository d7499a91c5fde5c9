package org.learninganalytics.db.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.learninganalytics.db.AnalyticsDb;
import org.learninganalytics.db.AnalyticsDbException;
import org.learninganalytics.db.testing.FreshDatabase;
import org.learninganalytics.db.testing.Sql;
import org.learninganalytics.db.testing.TestDatabase;

/**
 * Partition upkeep and the seed's retention table through {@code db.system().lifecycle()}:
 * for each rule, rows dated on both sides of its limit (explicit timestamps; the partitions of
 * old months are made first, as they were when those months were current), then one run, then
 * exactly the expired rows are gone.
 */
@FreshDatabase
class LifecyclePgTest {

    static final UUID ORG = UUID.randomUUID();
    static final UUID LEARNER = UUID.randomUUID();
    static final String SKILL = "lifecycle-skill";
    static final List<String> ANALYTICS_TABLES = List.of("learner_velocity_analytics", "skill_gap_analytics", "engagement_analytics",
            "mastery_analytics", "performance_analytics", "content_effectiveness_analytics");

    static TestDatabase database;
    static AnalyticsDb db;
    static Lifecycle lifecycle;
    static Connection admin;

    @BeforeAll
    static void arrange(TestDatabase testDatabase) throws SQLException {
        database = testDatabase;
        db = database.analyticsDb();
        lifecycle = db.system().lifecycle();
        admin = database.connect();
        sql("INSERT INTO analytics.organizations (id, name) VALUES (?, 'Org')", ORG);
        sql("INSERT INTO analytics.users (id, email, organization_id) VALUES (?, ?, ?)", LEARNER, LEARNER + "@test.example", ORG);
        sql("INSERT INTO analytics.skills (id, name) VALUES (?, 'Lifecycle')", SKILL);
    }

    @AfterAll
    static void close() throws SQLException {
        admin.close();
    }

    // Partitions ---------------------------------------------------------------------------------

    @Test
    void upkeep_makes_this_month_and_three_ahead_for_every_partitioned_table_and_is_idempotent() throws SQLException {
        PartitionReport report = lifecycle.upkeepPartitions();
        YearMonth now = YearMonth.now(ZoneOffset.UTC);
        assertThat(report.coveredThrough()).isEqualTo(now.plusMonths(3));

        List<String> parents = strings("SELECT c.relname FROM pg_partitioned_table p JOIN pg_class c ON c.oid = p.partrelid"
                + " WHERE c.relnamespace = 'analytics'::regnamespace");
        assertThat(parents).contains("learning_events").containsAll(ANALYTICS_TABLES);
        Map<String, Set<YearMonth>> months = lifecycle.partitions().stream().filter(p -> !p.isDefault())
                .collect(Collectors.groupingBy(PartitionInfo::parent,
                        Collectors.mapping(p -> YearMonth.from(p.from().atOffset(ZoneOffset.UTC)), Collectors.toSet())));
        for (String parent : parents) {
            assertThat(months.get(parent)).as(parent).contains(now, now.plusMonths(1), now.plusMonths(2), now.plusMonths(3));
        }
        assertThat(lifecycle.upkeepPartitions().partitionsMade()).as("a second run finds every partition made").isZero();
    }

    @Test
    void partitions_are_utc_months_and_each_table_has_a_default_one() {
        YearMonth now = YearMonth.now(ZoneOffset.UTC);
        List<PartitionInfo> partitions = lifecycle.partitions();
        PartitionInfo thisMonth = partitions.stream()
                .filter(p -> p.partition().equals("learner_velocity_analytics_" + now.toString().replace('-', '_'))).findFirst().orElseThrow();
        assertThat(thisMonth.schema()).isEqualTo("analytics");
        assertThat(thisMonth.parent()).isEqualTo("learner_velocity_analytics");
        assertThat(thisMonth.isDefault()).isFalse();
        assertThat(thisMonth.from()).isEqualTo(now.atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC));
        assertThat(thisMonth.to()).isEqualTo(now.plusMonths(1).atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC));
        for (String table : ANALYTICS_TABLES) {
            assertThat(partitions).as(table).contains(new PartitionInfo("analytics", table, table + "_default", true, null, null,
                    partitions.stream().filter(p -> p.partition().equals(table + "_default")).findFirst().orElseThrow().rowsEstimate()));
        }
    }

    @Test
    void a_stray_row_in_a_default_partition_is_reported_with_its_count() throws SQLException {
        UUID stray = UUID.randomUUID();
        learningEvent(stray, Instant.parse("1990-01-15T12:00:00Z"));
        try {
            assertThat(lifecycle.upkeepPartitions().nonEmptyDefaults())
                    .containsExactly(new StrayRows("learning_events", "learning_events_default", 1));
        } finally {
            sql("DELETE FROM analytics.learning_events WHERE event_id = ?", stray);
        }
        assertThat(lifecycle.upkeepPartitions().defaultsEmpty()).isTrue();
    }

    @Test
    void making_a_month_moves_its_strays_out_of_the_default_partition() throws SQLException {
        YearMonth later = YearMonth.now(ZoneOffset.UTC).plusMonths(10);
        Instant at = later.atDay(15).atStartOfDay().toInstant(ZoneOffset.UTC);
        UUID id = velocity(at);
        assertThat(count("SELECT count(*) FROM analytics.learner_velocity_analytics_default WHERE id = ?", id)).isEqualTo(1);

        sql("SELECT analytics.create_learner_analytics_partitions(?, 1)", later.atDay(1));

        String partition = "learner_velocity_analytics_" + later.toString().replace('-', '_');
        assertThat(count("SELECT count(*) FROM analytics." + partition + " WHERE id = ?", id)).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM analytics.learner_velocity_analytics_default")).isZero();
        assertThat(count("SELECT count(*) FROM analytics.learner_velocity_analytics WHERE id = ?", id)).isEqualTo(1);
    }

    @Test
    void making_a_month_of_learning_events_moves_its_strays_instead_of_failing() throws SQLException {
        // Before V043 CREATE ... PARTITION OF failed on the stray, and upkeep stopped making months for every table.
        YearMonth later = YearMonth.now(ZoneOffset.UTC).plusMonths(11);
        UUID stray = learningEvent(UUID.randomUUID(), later.atDay(15).atStartOfDay().toInstant(ZoneOffset.UTC));
        assertThat(count("SELECT count(*) FROM analytics.learning_events_default WHERE event_id = ?", stray)).isEqualTo(1);

        assertThat(count("SELECT analytics.create_learning_event_partitions(?, 1)", later.atDay(1))).isEqualTo(1);

        assertThat(count("SELECT count(*) FROM analytics." + partitionName("learning_events", later) + " WHERE event_id = ?", stray))
                .isEqualTo(1);
        assertThat(count("SELECT count(*) FROM analytics.learning_events_default")).isZero();
        assertThat(count("SELECT analytics.create_learning_event_partitions(?, 1)", later.atDay(1))).isZero();
    }

    @Test
    void making_a_month_of_events_or_of_the_ledger_behind_a_long_reader_gives_up_after_its_lock_timeout() throws Exception {
        // CREATE ... PARTITION OF wants an ACCESS EXCLUSIVE lock on the parent: queued behind a reader it
        // would block every later read and write of the table. Before V043 these two waited forever.
        YearMonth later = YearMonth.now(ZoneOffset.UTC).plusMonths(12);
        ExecutorService upkeep = Executors.newSingleThreadExecutor();
        try (Connection reader = database.connect(); Connection service = database.connect()) {
            try (var role = service.createStatement()) {
                role.execute("SET ROLE analytics_service");
            }
            reader.setAutoCommit(false);
            for (String[] table : new String[][] {{"learning_events", "create_learning_event_partitions"},
                    {"point_transactions", "create_point_transaction_partitions"}}) {
                try (PreparedStatement read = reader.prepareStatement("SELECT count(*) FROM analytics." + table[0])) {
                    read.executeQuery().close();
                }
                Future<?> make = upkeep.submit(() -> {
                    try (PreparedStatement call = service.prepareStatement("SELECT analytics." + table[1] + "(?, 1)")) {
                        call.setObject(1, later.atDay(1));
                        call.execute();
                    }
                    return null;
                });
                try {
                    assertThatThrownBy(() -> make.get(30, TimeUnit.SECONDS)).as(table[1])
                            .hasCauseInstanceOf(SQLException.class)
                            .satisfies(e -> assertThat(((SQLException) e.getCause()).getSQLState()).isEqualTo("55P03"));
                } finally {
                    make.cancel(true);
                    reader.rollback();
                }
                assertThat(count("SELECT count(*) FROM pg_class WHERE relname = ?", partitionName(table[0], later))).as(table[0]).isZero();
            }
        } finally {
            upkeep.shutdownNow();
        }
    }

    // Retention, one rule of the seed's table each ---------------------------------------------------

    @Test
    void predictions_are_kept_48_hours() throws SQLException {
        Instant now = Instant.now();
        prediction("drop_off_risk", now.minus(Duration.ofHours(49)));
        prediction("forecast", now.minus(Duration.ofHours(47)));

        RetentionReport report = lifecycle.applyRetention();

        assertThat(report.result(RetentionRule.PREDICTIVE_CACHE)).isEqualTo(new RetentionResult(RetentionRule.PREDICTIVE_CACHE, 1, 0));
        assertThat(strings("SELECT analytics_type FROM analytics.predictive_analytics_cache WHERE user_id = ?", LEARNER))
                .containsExactly("forecast");
    }

    @Test
    void learning_events_are_kept_90_days_by_dropping_whole_months() throws SQLException {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        YearMonth first = YearMonth.from(now.minusMonths(8));
        sql("SELECT analytics.create_learning_event_partitions(?, 9)", first.atDay(1));
        Instant limit = now.minusDays(90).toInstant();
        UUID old = learningEvent(UUID.randomUUID(), now.minusDays(200).toInstant());
        // Older than 90 days, but in the month that straddles the limit: kept until that month is past entirely.
        UUID straddling = learningEvent(UUID.randomUUID(), limit.minus(Duration.ofMinutes(1)));
        UUID recent = learningEvent(UUID.randomUUID(), now.minusDays(80).toInstant());
        YearMonth straddlingMonth = YearMonth.from(limit.atOffset(ZoneOffset.UTC));
        int expiredMonths = (int) first.until(straddlingMonth, java.time.temporal.ChronoUnit.MONTHS);

        RetentionResult result = lifecycle.applyRetention().result(RetentionRule.USER_ACTIVITY_LOGS);

        assertThat(result).isEqualTo(new RetentionResult(RetentionRule.USER_ACTIVITY_LOGS, 1, expiredMonths));
        assertThat(count("SELECT count(*) FROM analytics.learning_events WHERE event_id = ?", old)).isZero();
        assertThat(count("SELECT count(*) FROM analytics.learning_events WHERE event_id = ?", straddling)).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM analytics.learning_events WHERE event_id = ?", recent)).isEqualTo(1);
        assertThat(strings("SELECT to_regclass(?)::text", "analytics." + partitionName("learning_events", YearMonth.from(now.minusDays(200)))))
                .as("the expired month is dropped, not emptied").containsExactly((String) null);
        assertThat(strings("SELECT to_regclass(?)::text", "analytics." + partitionName("learning_events", straddlingMonth))).doesNotContainNull();
    }

    @Test
    void personal_analytics_history_is_kept_7_years_by_dropping_whole_months() throws SQLException {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        OffsetDateTime limit = now.minusYears(7);
        YearMonth first = YearMonth.from(limit.minusMonths(3));
        sql("SELECT analytics.create_learner_analytics_partitions(?, 5)", first.atDay(1));
        UUID oldVelocity = velocity(limit.minusDays(40).toInstant());
        UUID oldEngagement = engagement(limit.minusDays(40).toInstant());
        UUID straddling = velocity(limit.minusMinutes(1).toInstant());
        UUID kept = velocity(limit.plusDays(20).toInstant());
        int expiredMonths = (int) first.until(YearMonth.from(limit), java.time.temporal.ChronoUnit.MONTHS);

        RetentionResult result = lifecycle.applyRetention().result(RetentionRule.PERSONAL_ANALYTICS_WARM);

        assertThat(result).isEqualTo(new RetentionResult(RetentionRule.PERSONAL_ANALYTICS_WARM, 2, expiredMonths * ANALYTICS_TABLES.size()));
        assertThat(count("SELECT count(*) FROM analytics.learner_velocity_analytics WHERE id = ?", oldVelocity)).isZero();
        assertThat(count("SELECT count(*) FROM analytics.engagement_analytics WHERE id = ?", oldEngagement)).isZero();
        assertThat(count("SELECT count(*) FROM analytics.learner_velocity_analytics WHERE id = ?", straddling)).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM analytics.learner_velocity_analytics WHERE id = ?", kept)).isEqualTo(1);
    }

    @Test
    void aggregates_are_kept_7_years() throws SQLException {
        OffsetDateTime limit = OffsetDateTime.now(ZoneOffset.UTC).minusYears(7);
        LocalDate expiredMonth = YearMonth.from(limit).minusMonths(1).atDay(1); // ended before the limit
        LocalDate keptMonth = YearMonth.from(limit).atDay(1); // ends after it
        skillDemand(expiredMonth);
        skillDemand(keptMonth);
        peerCell("beginner", limit.minusDays(1).toInstant());
        peerCell("advanced", limit.plusDays(1).toInstant());

        RetentionResult result = lifecycle.applyRetention().result(RetentionRule.AGGREGATED_ANALYTICS);

        assertThat(result).isEqualTo(new RetentionResult(RetentionRule.AGGREGATED_ANALYTICS, 2, 0));
        assertThat(strings("SELECT month::text FROM analytics.skill_demand_published WHERE skill_id = ?", SKILL))
                .containsExactly(keptMonth.toString());
        assertThat(strings("SELECT competency_level FROM analytics.peer_comparison_published WHERE organization_id = ?", ORG))
                .containsExactly("advanced");
    }

    @Test
    void point_transactions_are_kept_forever_but_months_older_than_a_year_move_to_the_archive() throws SQLException {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        OffsetDateTime limit = now.minusYears(1);
        YearMonth first = YearMonth.from(limit.minusMonths(2));
        sql("SELECT analytics.create_point_transaction_partitions(?, 4)", first.atDay(1));
        UUID archived = ledgerRow(limit.minusMonths(2).toInstant(), 7);
        // Older than a year, but in the month that straddles the limit: it moves with its whole month, later.
        UUID straddling = ledgerRow(limit.minusMinutes(1).toInstant(), 11);
        UUID recent = ledgerRow(now.minusMonths(11).toInstant(), 13);
        YearMonth straddlingMonth = YearMonth.from(limit);
        int archivedMonths = (int) first.until(straddlingMonth, java.time.temporal.ChronoUnit.MONTHS);

        RetentionResult result = lifecycle.applyRetention().result(RetentionRule.POINT_TRANSACTIONS_ARCHIVE);

        assertThat(result).as("rows moved, not removed").isEqualTo(new RetentionResult(RetentionRule.POINT_TRANSACTIONS_ARCHIVE, 1, archivedMonths));
        assertThat(count("SELECT count(*) FROM analytics_archive.point_transactions WHERE id = ?", archived)).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM analytics.point_transactions WHERE id = ?", archived)).isZero();
        assertThat(count("SELECT count(*) FROM analytics.point_transactions WHERE id = ?", straddling)).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM analytics.point_transactions WHERE id = ?", recent)).isEqualTo(1);
        assertThat(count("SELECT sum(points) FROM (SELECT points FROM analytics.point_transactions WHERE user_id = ?"
                + " UNION ALL SELECT points FROM analytics_archive.point_transactions WHERE user_id = ?) ledger", LEARNER, LEARNER))
                .as("nothing is lost").isEqualTo(7 + 11 + 13);
        assertThat(lifecycle.applyRetention().result(RetentionRule.POINT_TRANSACTIONS_ARCHIVE).rowsRemoved()).as("a second run moves nothing").isZero();
    }

    @Test
    void award_idempotency_keys_are_kept_90_days() throws SQLException {
        Instant now = Instant.now();
        awardKey("lifecycle-old", now.minus(Duration.ofDays(91)));
        awardKey("lifecycle-recent", now.minus(Duration.ofDays(89)));

        RetentionResult result = lifecycle.applyRetention().result(RetentionRule.AWARD_IDEMPOTENCY_KEYS);

        assertThat(result).isEqualTo(new RetentionResult(RetentionRule.AWARD_IDEMPOTENCY_KEYS, 1, 0));
        assertThat(strings("SELECT idempotency_key FROM analytics.award_keys WHERE user_id = ?", LEARNER)).containsExactly("lifecycle-recent");
    }

    @Test
    void a_run_reports_every_rule_in_order() {
        RetentionReport report = lifecycle.applyRetention();
        assertThat(report.results()).extracting(RetentionResult::rule).containsExactly(RetentionRule.values());
        assertThat(report.result(RetentionRule.PERSONAL_ANALYTICS_HOT))
                .as("hot analytics are bounded where the cache reads them, nothing is removed")
                .isEqualTo(new RetentionResult(RetentionRule.PERSONAL_ANALYTICS_HOT, 0, 0));
        assertThat(RetentionRule.PREDICTIVE_CACHE.limit()).isEqualTo("48 hours");
        assertThat(RetentionRule.USER_ACTIVITY_LOGS.seedName()).isEqualTo("User Activity Logs");
    }

    @Test
    void concurrent_runs_on_several_instances_queue_and_all_succeed() throws Exception {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        sql("SELECT analytics.create_learning_event_partitions(?, 2)", YearMonth.from(now.minusMonths(11)).atDay(1));
        learningEvent(UUID.randomUUID(), now.minusMonths(11).toInstant());
        ExecutorService instances = Executors.newFixedThreadPool(4);
        try {
            List<Future<RetentionReport>> retention = new ArrayList<>();
            List<Future<PartitionReport>> upkeep = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                retention.add(instances.submit(lifecycle::applyRetention));
                upkeep.add(instances.submit(lifecycle::upkeepPartitions));
            }
            long dropped = 0;
            for (Future<RetentionReport> run : retention) {
                dropped += run.get(60, TimeUnit.SECONDS).result(RetentionRule.USER_ACTIVITY_LOGS).rowsRemoved();
            }
            assertThat(dropped).as("the expired month was dropped by exactly one of the runs").isEqualTo(1);
            for (Future<PartitionReport> run : upkeep) assertThat(run.get(60, TimeUnit.SECONDS).coveredThrough()).isNotNull();
        } finally {
            instances.shutdownNow();
        }
    }

    @Test
    void a_drop_that_waits_too_long_for_its_lock_fails_typed_and_the_next_run_does_it() throws Exception {
        OffsetDateTime at = OffsetDateTime.now(ZoneOffset.UTC).minusMonths(14);
        sql("SELECT analytics.create_learning_event_partitions(?, 1)", YearMonth.from(at).atDay(1));
        UUID event = learningEvent(UUID.randomUUID(), at.toInstant());
        try (Connection reader = database.connect()) {
            reader.setAutoCommit(false);
            try (PreparedStatement read = reader.prepareStatement("SELECT count(*) FROM analytics.learning_events")) {
                read.executeQuery().close(); // a long report holds its lock on every partition until it commits
            }
            assertThatThrownBy(lifecycle::applyRetention).isInstanceOfSatisfying(AnalyticsDbException.class,
                    e -> assertThat(e.kind()).isEqualTo(AnalyticsDbException.Kind.TIMED_OUT));
            reader.rollback();
        }
        assertThat(count("SELECT count(*) FROM analytics.learning_events WHERE event_id = ?", event)).isEqualTo(1);
        assertThat(lifecycle.applyRetention().result(RetentionRule.USER_ACTIVITY_LOGS).rowsRemoved()).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM analytics.learning_events WHERE event_id = ?", event)).isZero();
    }

    // Fixtures ------------------------------------------------------------------------------------

    static String partitionName(String parent, YearMonth month) {
        return parent + "_" + month.toString().replace('-', '_');
    }

    static UUID learningEvent(UUID id, Instant at) throws SQLException {
        sql("INSERT INTO analytics.learning_events (event_id, user_id, verb, object_id, object_type, occurred_at)"
                + " VALUES (?, ?, 'experienced', 'lesson-1', 'lesson', ?)", id, LEARNER, at.atOffset(ZoneOffset.UTC));
        return id;
    }

    /** An insufficient_data velocity row calculated at {@code at} (the checks need no figures for it). */
    static UUID velocity(Instant at) throws SQLException {
        return analytic("learner_velocity_analytics", at);
    }

    static UUID engagement(Instant at) throws SQLException {
        return analytic("engagement_analytics", at);
    }

    static UUID analytic(String table, Instant at) throws SQLException {
        UUID id = UUID.randomUUID();
        sql("INSERT INTO analytics." + table + " (id, user_id, result_status, data, calculated_at, expires_at)"
                + " VALUES (?, ?, 'insufficient_data', '{\"missing\": [\"enrollments\"]}', ?, ?)",
                id, LEARNER, at.atOffset(ZoneOffset.UTC), at.plus(Duration.ofHours(6)).atOffset(ZoneOffset.UTC));
        return id;
    }

    static UUID ledgerRow(Instant at, int points) throws SQLException {
        UUID id = UUID.randomUUID();
        sql("INSERT INTO analytics.point_transactions (id, user_id, points, activity_type, \"timestamp\") VALUES (?, ?, ?, 'lesson_completed', ?)",
                id, LEARNER, points, at.atOffset(ZoneOffset.UTC));
        return id;
    }

    static void awardKey(String key, Instant createdAt) throws SQLException {
        sql("INSERT INTO analytics.award_keys (idempotency_key, user_id, request_hash, created_at) VALUES (?, ?, 'hash', ?)",
                key, LEARNER, createdAt.atOffset(ZoneOffset.UTC));
    }

    static void prediction(String type, Instant at) throws SQLException {
        sql("INSERT INTO analytics.predictive_analytics_cache (user_id, analytics_type, data, calculated_at, expires_at)"
                + " VALUES (?, ?, '{}', ?, ?)", LEARNER, type, at.atOffset(ZoneOffset.UTC), at.plus(Duration.ofHours(48)).atOffset(ZoneOffset.UTC));
    }

    static void skillDemand(LocalDate month) throws SQLException {
        sql("INSERT INTO analytics.skill_demand_published (scope, organization_id, skill_id, month, published, learners, mean_mastery,"
                + " members, values_as_of, checked_at) VALUES ('platform', NULL, ?, ?, true, 10, 50, '{}', now(), now())", SKILL, month);
    }

    static void peerCell(String level, Instant checkedAt) throws SQLException {
        sql("INSERT INTO analytics.peer_comparison_published (organization_id, competency_level, published, learners, velocity_learners,"
                + " score_learners, members, values_as_of, checked_at) VALUES (?, ?, true, 10, 0, 0, '{}', ?, ?)",
                ORG, level, checkedAt.atOffset(ZoneOffset.UTC), checkedAt.atOffset(ZoneOffset.UTC));
    }

    static void sql(String statement, Object... arguments) throws SQLException {
        Sql.execute(admin, statement, arguments);
    }

    static long count(String statement, Object... arguments) throws SQLException {
        return Sql.count(admin, statement, arguments);
    }

    static List<String> strings(String statement, Object... arguments) throws SQLException {
        List<String> values = new ArrayList<>();
        try (PreparedStatement query = admin.prepareStatement(statement)) {
            for (int i = 0; i < arguments.length; i++) query.setObject(i + 1, arguments[i]);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) values.add(rows.getString(1));
            }
        }
        return values;
    }
}
