package org.learninganalytics.db.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.learninganalytics.db.AnalyticsDb;
import org.learninganalytics.db.testing.FreshDatabase;
import org.learninganalytics.db.testing.TestDatabase;

/**
 * The TTL cache through the library: a second read returns the same row, an expired entry is
 * computed again into a new row while the old one stays in the history, concurrent readers of
 * an expired entry compute it once; reads only for users the caller may see; TTLs from the
 * builder; the bulk recompute on the system path.
 */
@FreshDatabase
class AnalyticsCachePgTest {

    static final UUID ORG_A = UUID.randomUUID();
    static final UUID ORG_B = UUID.randomUUID();
    static final UUID LEARNER = UUID.randomUUID();
    static final UUID OTHER_LEARNER = UUID.randomUUID();
    static final UUID TRAINER = UUID.randomUUID();
    static final UUID ORG_ADMIN = UUID.randomUUID();
    static final UUID OUTSIDER = UUID.randomUUID();
    static final UUID COURSE = UUID.randomUUID();
    static final String[] TABLES = {"learner_velocity_analytics", "skill_gap_analytics", "engagement_analytics", "mastery_analytics",
            "performance_analytics", "content_effectiveness_analytics"};

    static TestDatabase database;
    static AnalyticsDb db;
    static AnalyticsFixture fx;

    @BeforeAll
    static void arrange(TestDatabase testDatabase) {
        database = testDatabase;
        db = testDatabase.analyticsDb();
        fx = new AnalyticsFixture(testDatabase);
        fx.organization(ORG_A);
        fx.organization(ORG_B);
        fx.user(LEARNER, ORG_A, "learner");
        fx.user(OTHER_LEARNER, ORG_A, "learner");
        fx.user(TRAINER, ORG_A, "trainer");
        fx.user(ORG_ADMIN, ORG_A, "org_admin");
        fx.user(OUTSIDER, ORG_B, "learner");
        fx.course(COURSE, ORG_A, TRAINER, 10);
        fx.enrollment(LEARNER, COURSE, Instant.now().minus(Duration.ofDays(20)), null, 30);
        fx.event(LEARNER, "experienced", "video", "v1", null, null, null, 600, null, Instant.now().minus(Duration.ofDays(1)));
    }

    static Analytics as(UUID user) {
        return db.as(db.principal(user).orElseThrow()).analytics();
    }

    static long rows(String table, UUID user) {
        return (Long) fx.value("SELECT count(*) FROM analytics." + table + " WHERE user_id = ?", user);
    }

    @Test
    void aSecondReadReturnsTheSameRows() {
        LearnerAnalytics first = as(LEARNER).all(LEARNER).orElseThrow();
        LearnerAnalytics second = as(LEARNER).all(LEARNER).orElseThrow();
        assertThat(first.analytics()).hasSize(6);
        assertThat(second.analytics()).isEqualTo(first.analytics());
        assertThat(as(LEARNER).velocity(LEARNER).orElseThrow().id()).isEqualTo(first.get(AnalyticType.VELOCITY).id());
        LearnerAnalytic velocity = first.get(AnalyticType.VELOCITY);
        assertThat(velocity.status()).isEqualTo(LearnerAnalytic.Status.OK);
        assertThat(velocity.resultJson()).contains("\"status\": \"behind\""); // 30 / 4 = 7.5 of 10 per week
        assertThat(Duration.between(velocity.calculatedAt(), velocity.expiresAt())).isEqualTo(Duration.ofHours(6));
        assertThat(velocity.windowEnd()).isEqualTo(velocity.calculatedAt());
        LearnerAnalytic performance = first.get(AnalyticType.PERFORMANCE);
        assertThat(performance.status()).isEqualTo(LearnerAnalytic.Status.INSUFFICIENT_DATA);
        assertThat(performance.missing()).containsExactly("assessments");
        assertThat(performance.resultJson()).isEqualTo("{\"missing\": [\"assessments\"]}");
    }

    @Test
    void anExpiredEntryIsComputedAgainIntoANewRowAndTheOldStays() {
        UUID learner = UUID.randomUUID();
        fx.user(learner, ORG_A, "learner");
        LearnerAnalytic first = as(learner).engagement(learner).orElseThrow();
        // Seven hours pass for this row (the default engagement TTL is 1 h).
        fx.sql("UPDATE analytics.engagement_analytics SET calculated_at = calculated_at - interval '7 hours',"
                + " expires_at = expires_at - interval '7 hours', window_start = window_start - interval '7 hours',"
                + " window_end = window_end - interval '7 hours' WHERE user_id = ?", learner);
        LearnerAnalytic second = as(learner).engagement(learner).orElseThrow();
        assertThat(second.id()).isNotEqualTo(first.id());
        assertThat(second.calculatedAt()).isAfter(first.calculatedAt());
        assertThat(rows("engagement_analytics", learner)).isEqualTo(2);
        List<LearnerAnalytic> history = as(learner).history(AnalyticType.ENGAGEMENT, learner, Instant.now().minus(Duration.ofDays(1)),
                Instant.now().plusSeconds(60)).orElseThrow();
        assertThat(history).extracting(LearnerAnalytic::id).containsExactly(second.id(), first.id());
        // The range is half-open and filters by calculation time.
        assertThat(as(learner).history(AnalyticType.ENGAGEMENT, learner, Instant.now().minus(Duration.ofDays(1)),
                second.calculatedAt()).orElseThrow()).extracting(LearnerAnalytic::id).containsExactly(first.id());
    }

    @Test
    void aResultCalculatedMoreThanSevenDaysAgoIsNotServedWhateverItsExpiry() {
        // The seed keeps personal analytics "hot" 7 days: older results are history, not cache.
        UUID learner = UUID.randomUUID();
        fx.user(learner, ORG_A, "learner");
        LearnerAnalytic first = as(learner).mastery(learner).orElseThrow();
        fx.sql("UPDATE analytics.mastery_analytics SET calculated_at = now() - interval '6 days 23 hours',"
                + " expires_at = now() + interval '1 day', window_start = NULL, window_end = NULL WHERE user_id = ?", learner);
        assertThat(as(learner).mastery(learner).orElseThrow().id()).as("6 days 23 hours old: still hot").isEqualTo(first.id());
        fx.sql("UPDATE analytics.mastery_analytics SET calculated_at = now() - interval '7 days 1 hour' WHERE user_id = ?", learner);
        LearnerAnalytic second = as(learner).mastery(learner).orElseThrow();
        assertThat(second.id()).isNotEqualTo(first.id());
        assertThat(second.calculatedAt()).isAfter(Instant.now().minus(Duration.ofMinutes(1)));
        assertThat(rows("mastery_analytics", learner)).as("the old result stays in the history").isEqualTo(2);
        assertThatThrownBy(() -> AnalyticsTtls.defaults().with(AnalyticType.MASTERY, Duration.ofDays(7).plusSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void concurrentReadersOfAnExpiredEntryComputeItOnce() throws Exception {
        UUID learner = UUID.randomUUID();
        fx.user(learner, ORG_A, "learner");
        ExecutorService readers = Executors.newFixedThreadPool(3);
        try (Connection blocker = database.connect()) {
            // Hold the velocity lock, so that every reader is inside its refresh before any can compute it.
            blocker.setAutoCommit(false);
            try (PreparedStatement lock = blocker.prepareStatement(
                    "SELECT pg_advisory_xact_lock(hashtextextended('learner_analytics:velocity:' || ?::text, 0))")) {
                lock.setObject(1, learner);
                lock.execute();
            }
            List<Future<LearnerAnalytics>> reads = List.of(
                    readers.submit(() -> as(learner).all(learner).orElseThrow()),
                    readers.submit(() -> as(learner).all(learner).orElseThrow()),
                    readers.submit(() -> as(learner).all(learner).orElseThrow()));
            Thread.sleep(400);
            assertThat(reads).noneMatch(Future::isDone);
            blocker.rollback();
            LearnerAnalytics first = reads.get(0).get(10, TimeUnit.SECONDS);
            assertThat(reads.get(1).get(10, TimeUnit.SECONDS)).isEqualTo(first);
            assertThat(reads.get(2).get(10, TimeUnit.SECONDS)).isEqualTo(first);
        } finally {
            readers.shutdownNow();
        }
        for (String table : TABLES) assertThat(rows(table, learner)).as(table).isEqualTo(1);
    }

    @Test
    void onlyUsersTheCallerMaySee() {
        // another organization: as if the user did not exist
        assertThat(as(OUTSIDER).all(LEARNER)).isEmpty();
        assertThat(as(OUTSIDER).velocity(LEARNER)).isEmpty();
        assertThat(as(OUTSIDER).history(AnalyticType.VELOCITY, LEARNER, Instant.now().minus(Duration.ofDays(30)), Instant.now())).isEmpty();
        assertThat(as(LEARNER).all(OUTSIDER)).isEmpty();
        assertThat(as(LEARNER).all(OTHER_LEARNER)).isEmpty();
        assertThat(as(LEARNER).all(UUID.randomUUID())).isEmpty();
        // nothing was computed for them by asking
        assertThat(rows("learner_velocity_analytics", OTHER_LEARNER)).isZero();
        // a trainer sees their trainee, not other learners; an org admin sees the organization
        assertThat(as(TRAINER).all(LEARNER)).isPresent();
        assertThat(as(TRAINER).mastery(OTHER_LEARNER)).isEmpty();
        assertThat(as(ORG_ADMIN).mastery(OTHER_LEARNER)).isPresent();
        assertThat(as(ORG_ADMIN).history(AnalyticType.MASTERY, OTHER_LEARNER, Instant.now().minus(Duration.ofDays(30)), Instant.now().plusSeconds(5)).orElseThrow())
                .hasSize(1);
        // a visible user without results in the range has an empty history
        assertThat(as(LEARNER).history(AnalyticType.MASTERY, LEARNER, Instant.EPOCH, Instant.EPOCH.plusSeconds(1))).contains(List.of());
    }

    @Test
    void usersCannotWriteTheCacheNorRefreshForOthers() throws Exception {
        try (Connection connection = database.connectAsApp(); Statement sql = connection.createStatement()) {
            connection.setAutoCommit(false);
            sql.execute("SELECT set_config('request.jwt.claims', '{\"sub\": \"" + OUTSIDER + "\"}', true)");
            sql.execute("SET LOCAL ROLE analytics_authenticated");
            var refreshed = sql.executeQuery("SELECT analytics.refresh_learner_analytics('" + OTHER_LEARNER
                    + "', ARRAY['mastery'], ARRAY[interval '1 hour'])");
            refreshed.next();
            assertThat(refreshed.getInt(1)).isZero();
            assertThatThrownBy(() -> sql.execute("SELECT analytics.refresh_learner_analytics('" + OUTSIDER
                    + "', ARRAY['mastery'], ARRAY[interval '1 second'])")).hasMessageContaining("from 1 minute to 7 days");
            connection.rollback();
            sql.execute("SELECT set_config('request.jwt.claims', '{\"sub\": \"" + OUTSIDER + "\"}', true)");
            sql.execute("SET LOCAL ROLE analytics_authenticated");
            assertThatThrownBy(() -> sql.execute("INSERT INTO analytics.mastery_analytics (user_id, expires_at) VALUES ('" + OUTSIDER
                    + "', now() + interval '1 hour')")).hasMessageContaining("permission denied");
            connection.rollback();
        }
        assertThat(rows("mastery_analytics", OTHER_LEARNER)).isZero();
    }

    @Test
    void historyRangeMustBeSane() {
        Instant now = Instant.now();
        assertThatThrownBy(() -> as(LEARNER).history(AnalyticType.VELOCITY, LEARNER, now, now)).isInstanceOf(InvalidAnalyticsRequestException.class);
        assertThatThrownBy(() -> as(LEARNER).history(AnalyticType.VELOCITY, LEARNER, now.minus(Duration.ofDays(400)), now))
                .isInstanceOf(InvalidAnalyticsRequestException.class);
    }

    @Test
    void ttlsComeFromTheBuilder() {
        UUID learner = UUID.randomUUID();
        fx.user(learner, ORG_A, "learner");
        try (AnalyticsDb custom = AnalyticsDb.builder().dataSource(database.appDataSource())
                .analyticsTtl(AnalyticType.MASTERY, Duration.ofMinutes(5)).build()) {
            LearnerAnalytic mastery = custom.as(custom.principal(learner).orElseThrow()).analytics().mastery(learner).orElseThrow();
            assertThat(Duration.between(mastery.calculatedAt(), mastery.expiresAt())).isEqualTo(Duration.ofMinutes(5));
        }
        assertThatThrownBy(() -> AnalyticsDb.builder().analyticsTtl(AnalyticType.MASTERY, Duration.ofSeconds(59)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(AnalyticsTtls.defaults().of(AnalyticType.ENGAGEMENT)).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void bulkRecomputeOfAnOrganizationAndOfLearnersWithNewEvents() {
        UUID org = UUID.randomUUID();
        fx.organization(org);
        UUID[] learners = {UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID()};
        for (UUID learner : learners) fx.user(learner, org, "learner");
        RecomputeResult all = db.system().analytics().organization(org);
        assertThat(all.learners()).isEqualTo(3);
        assertThat(all.rows()).isEqualTo(18);
        for (UUID learner : learners) for (String table : TABLES) assertThat(rows(table, learner)).isEqualTo(1);
        // A user read now finds the recomputed rows fresh: nothing more is written.
        as(learners[0]).all(learners[0]).orElseThrow();
        assertThat(rows("mastery_analytics", learners[0])).isEqualTo(1);

        Instant since = (Instant) ((java.sql.Timestamp) fx.value("SELECT clock_timestamp()::timestamp")).toInstant();
        fx.event(learners[1], "experienced", "video", "v", null, null, null, 60, null, Instant.now().minusSeconds(60));
        RecomputeResult recent = db.system().analytics().withEventsSince(since.minusSeconds(1));
        assertThat(recent.learners()).isGreaterThanOrEqualTo(1);
        assertThat(rows("engagement_analytics", learners[1])).isEqualTo(2); // history kept: a new row besides the old
        assertThat(rows("engagement_analytics", learners[2])).isEqualTo(1);
        assertThat(db.system().analytics().users(List.of(learners[2], UUID.randomUUID())).learners()).isEqualTo(1);
    }
}
