package org.learninganalytics.db.gamification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.learninganalytics.db.AnalyticsDb;
import org.learninganalytics.db.ingestion.Course;
import org.learninganalytics.db.ingestion.Enrollment;
import org.learninganalytics.db.ingestion.Organization;
import org.learninganalytics.db.ingestion.User;
import org.learninganalytics.db.ingestion.UserSkill;
import org.learninganalytics.db.tenancy.Principal;
import org.learninganalytics.db.tenancy.Role;
import org.learninganalytics.db.testing.FreshDatabase;
import org.learninganalytics.db.testing.TestDatabase;

/** Awarding points: ledger, totals, levels, idempotency, caps, achievements, self-reporting and concurrency. */
@FreshDatabase
class AwardsPgTest {

    /** An uncapped activity type the tests add, so that caps do not interfere where they are not the subject. */
    private static final String FREE = "test_activity";

    private static TestDatabase database;
    private static AnalyticsDb db;
    private static Awards awards;
    private static UUID org;

    @BeforeAll
    static void arrange(TestDatabase testDatabase) throws SQLException {
        database = testDatabase;
        db = testDatabase.analyticsDb();
        awards = db.system().gamification().awards();
        org = UUID.randomUUID();
        db.system().ingestion().upsertOrganizations(List.of(new Organization(org, "Award Org", null, null)));
        admin("INSERT INTO analytics.activity_rules (activity_type, points) VALUES ('" + FREE + "', 3)");
    }

    @AfterAll
    static void close() {
        db.close();
    }

    @Test
    void an_award_appends_to_the_ledger_and_updates_totals_level_activity_and_achievements() {
        UUID learner = learner();

        AwardResult result = awards.award(new Award(learner, FREE, key(), 150, "{\"lesson\": 7}", null));

        assertThat(result.points()).isEqualTo(150);
        assertThat(result.totalPoints()).isEqualTo(150);
        assertThat(result.previousLevel()).isEqualTo(1);
        assertThat(result.level()).as("progressive curve: 100 points reach level 2").isEqualTo(2);
        assertThat(result.leveledUp()).isTrue();
        assertThat(result.currentStreak()).isEqualTo(1);
        assertThat(result.newAchievements()).containsExactly("first-points");
        assertThat(result.replayed()).isFalse();
        assertThat(count("point_transactions WHERE user_id = '" + learner + "' AND metadata ->> 'lesson' = '7'")).isEqualTo(1);
        assertThat(count("daily_activity WHERE user_id = '" + learner + "'")).isEqualTo(1);
        assertThat(count("user_achievements WHERE user_id = '" + learner + "'")).isEqualTo(1);
    }

    @Test
    void the_rule_gives_the_points_unless_the_service_overrides_them() {
        UUID learner = learner();

        assertThat(awards.award(Award.of(learner, "quiz_completed", key())).points()).isEqualTo(25);
        assertThat(awards.award(new Award(learner, "quiz_completed", key(), 30, null, null)).totalPoints()).isEqualTo(55);
    }

    @Test
    void replaying_a_key_returns_the_original_result_and_writes_nothing() {
        UUID learner = learner();
        String key = key();
        AwardResult original = awards.award(Award.of(learner, FREE, key));
        String before = ledgerOf(learner);

        AwardResult replay = awards.award(Award.of(learner, FREE, key));

        assertThat(replay.replayed()).isTrue();
        assertThat(replay).usingRecursiveComparison().ignoringFields("replayed").isEqualTo(original);
        assertThat(ledgerOf(learner)).isEqualTo(before);
    }

    @Test
    void a_key_reused_for_another_award_is_rejected_and_writes_nothing() {
        UUID learner = learner();
        String key = key();
        awards.award(Award.of(learner, FREE, key));
        String before = ledgerOf(learner);

        AwardRejectedException rejected = catchThrowableOfType(AwardRejectedException.class,
                () -> awards.award(new Award(learner, FREE, key, 99, null, null)));

        assertThat(rejected.reason()).isEqualTo(AwardRejectedException.Reason.KEY_REUSED);
        assertThat(rejected.getMessage()).contains(key).contains("different award");
        assertThat(ledgerOf(learner)).isEqualTo(before);
    }

    @Test
    void a_replay_stays_a_replay_after_the_rule_changes_and_from_a_session_in_another_time_zone() throws SQLException {
        UUID learner = learner();
        String key = key();
        Instant at = Instant.now().minusSeconds(30);
        admin("INSERT INTO analytics.activity_rules (activity_type, points) VALUES ('replay_rule', 7)");
        AwardResult original = awards.award(new Award(learner, "replay_rule", key, null, "{\"a\": 1, \"b\": 2}", at));
        admin("UPDATE analytics.activity_rules SET points = 8 WHERE activity_type = 'replay_rule'");
        String before = ledgerOf(learner);

        AwardResult replay = awards.award(new Award(learner, "replay_rule", key, null, "{\"b\":2,\"a\":1}", at));
        assertThat(replay.replayed()).isTrue();
        assertThat(replay).usingRecursiveComparison().ignoringFields("replayed").isEqualTo(original);

        try (Connection connection = database.connect(); Statement sql = connection.createStatement()) {
            sql.execute("SET ROLE analytics_service");
            sql.execute("SET TimeZone = 'Asia/Tokyo'");
            try (PreparedStatement call = connection.prepareStatement(
                    "SELECT (analytics.award_points(?, 'replay_rule', ?, NULL, '{\"a\": 1, \"b\": 2}', ?)).replayed")) {
                call.setObject(1, learner);
                call.setString(2, key);
                call.setObject(3, OffsetDateTime.ofInstant(at, ZoneOffset.ofHours(-5)));
                try (ResultSet replayed = call.executeQuery()) {
                    replayed.next();
                    assertThat(replayed.getBoolean(1)).as("the same instant, sent from another time zone").isTrue();
                }
            }
        }
        assertThat(ledgerOf(learner)).isEqualTo(before);
        AwardRejectedException otherPoints = catchThrowableOfType(AwardRejectedException.class,
                () -> awards.award(new Award(learner, "replay_rule", key, 7, "{\"a\": 1, \"b\": 2}", at)));
        assertThat(otherPoints.reason()).as("explicit points are another request than the rule's points").isEqualTo(AwardRejectedException.Reason.KEY_REUSED);
    }

    @Test
    void an_activity_in_the_future_is_refused() {
        UUID learner = learner();

        AwardRejectedException future = catchThrowableOfType(AwardRejectedException.class,
                () -> awards.award(new Award(learner, FREE, key(), null, null, Instant.now().plusSeconds(3600))));

        assertThat(future.reason()).isEqualTo(AwardRejectedException.Reason.INVALID);
        assertThat(future.getMessage()).isEqualTo("occurred_at lies in the future");
        assertThat(ledgerOf(learner)).isEqualTo("0");
    }

    @Test
    void caps_reject_with_their_reason_and_write_nothing() {
        UUID learner = learner();
        Instant now = Instant.now();
        for (int i = 0; i < 10; i++) {
            awards.award(new Award(learner, "lesson_completed", key(), null, null, now.minusSeconds(50 - i)));
        }
        String before = ledgerOf(learner);

        AwardRejectedException rate = catchThrowableOfType(AwardRejectedException.class,
                () -> awards.award(new Award(learner, "lesson_completed", key(), null, null, now)));
        assertThat(rate.reason()).isEqualTo(AwardRejectedException.Reason.CAPPED);
        assertThat(rate.getMessage()).isEqualTo("capped: at most 10 \"lesson_completed\" awards per 60 seconds");
        assertThat(ledgerOf(learner)).isEqualTo(before);
        // Outside the rolling window it is allowed again.
        assertThat(awards.award(new Award(learner, "lesson_completed", key(), null, null, now.plusSeconds(60))).points()).isEqualTo(10);

        awards.award(new Award(learner, "video_watched", key(), null, null, now));
        AwardRejectedException spacing = catchThrowableOfType(AwardRejectedException.class,
                () -> awards.award(new Award(learner, "video_watched", key(), null, null, now.plusSeconds(179))));
        assertThat(spacing.getMessage()).isEqualTo("capped: at least 180 seconds between two \"video_watched\" awards");
        assertThat(awards.award(new Award(learner, "video_watched", key(), null, null, now.plusSeconds(181))).points()).isEqualTo(5);
    }

    @Test
    void the_daily_login_counts_once_per_day_of_the_learners_own_calendar() {
        UUID learner = learner();
        db.as(new Principal(learner, org, Set.of(Role.LEARNER))).preferences().setTimeZone("Europe/Berlin");
        // Berlin moves from UTC+1 to UTC+2 on 2026-03-29, a 23-hour day.
        assertThat(awards.award(login(learner, "2026-03-28T22:30:00Z")).points()).as("23:30 on the 28th").isEqualTo(5);
        assertThat(awards.award(login(learner, "2026-03-28T23:30:00Z")).points()).as("00:30 on the 29th, an hour later").isEqualTo(5);
        String before = ledgerOf(learner);

        AwardRejectedException again = catchThrowableOfType(AwardRejectedException.class,
                () -> awards.award(login(learner, "2026-03-29T21:59:00Z"))); // 23:59 on the 29th
        assertThat(again.reason()).isEqualTo(AwardRejectedException.Reason.CAPPED);
        assertThat(again.getMessage()).isEqualTo("capped: at most 1 \"daily_login\" awards per day");
        assertThat(ledgerOf(learner)).isEqualTo(before);
        // Midnight of the 30th is a new local day, but two logins in 24 hours are the most (V013).
        AwardRejectedException third = catchThrowableOfType(AwardRejectedException.class,
                () -> awards.award(login(learner, "2026-03-29T22:00:00Z")));
        assertThat(third.getMessage()).isEqualTo("capped: at most 2 \"daily_login\" awards per 86400 seconds");
        assertThat(awards.award(login(learner, "2026-03-29T23:31:00Z")).points()).as("01:31 on the 30th, 24 h after the second")
                .isEqualTo(5);
    }

    /**
     * Found by an attack review: an award "now" was dated at the start of its transaction, so
     * one held back in a transaction opened earlier landed behind a later award and the
     * spacing cap, which looks back, did not see it.
     */
    @Test
    void an_award_held_back_in_an_older_transaction_is_still_capped() throws SQLException {
        UUID learner = learner();
        try (Connection early = database.connectAsApp(); Statement sql = early.createStatement()) {
            early.setAutoCommit(false);
            sql.execute("SELECT set_config('request.jwt.claims', '{\"sub\": \"" + learner + "\"}', true),"
                    + " set_config('role', 'analytics_authenticated', true)"); // now() is fixed from here on
            db.as(new Principal(learner, org, Set.of(Role.LEARNER))).points().reportActivity("video_watched", "later", null);

            assertThatThrownBy(() -> sql.execute("SELECT analytics.award_own_activity('video_watched', 'held-back')"))
                    .isInstanceOf(SQLException.class).hasMessageContaining("capped: at least 180 seconds");
            early.rollback();
        }
    }

    private static Award login(UUID learner, String instant) {
        return new Award(learner, "daily_login", key(), null, null, Instant.parse(instant));
    }

    @Test
    void unknown_activities_users_and_bad_values_are_rejected() {
        UUID learner = learner();
        assertThat(catchThrowableOfType(AwardRejectedException.class,
                () -> awards.award(Award.of(learner, "teleportation", key()))).reason())
                .isEqualTo(AwardRejectedException.Reason.UNKNOWN_ACTIVITY);
        AwardRejectedException unknownUser = catchThrowableOfType(AwardRejectedException.class,
                () -> awards.award(Award.of(UUID.randomUUID(), FREE, key())));
        assertThat(unknownUser.reason()).isEqualTo(AwardRejectedException.Reason.INVALID);
        assertThat(unknownUser.getMessage()).isEqualTo("unknown user");
        assertThat(catchThrowableOfType(AwardRejectedException.class,
                () -> awards.award(new Award(learner, FREE, key(), -5, null, null))).getMessage()).isEqualTo("points must be positive");
        assertThat(catchThrowableOfType(AwardRejectedException.class,
                () -> awards.award(new Award(learner, FREE, " ", null, null, null))).reason()).isEqualTo(AwardRejectedException.Reason.INVALID);
        assertThat(ledgerOf(learner)).isEqualTo("0");
    }

    @Test
    void learners_report_only_self_reportable_activity_for_the_rules_points() {
        UUID learner = learner();
        Points mine = db.as(new Principal(learner, org, Set.of(Role.LEARNER))).points();

        AwardResult reported = mine.reportActivity("forum_post", "post-1", "{\"thread\": 3}");
        assertThat(reported.points()).isEqualTo(10);
        assertThat(mine.reportActivity("forum_post", "post-1", "{\"thread\": 3}").replayed()).isTrue();

        AwardRejectedException refused = catchThrowableOfType(AwardRejectedException.class,
                () -> mine.reportActivity("course_completed", "fake-1", null));
        assertThat(refused.reason()).isEqualTo(AwardRejectedException.Reason.NOT_SELF_REPORTABLE);
        assertThat(count("point_transactions WHERE user_id = '" + learner + "'")).isEqualTo(1);
    }

    @Test
    void a_raw_sql_session_as_a_user_cannot_call_the_service_award() throws SQLException {
        UUID learner = learner();
        try (Connection app = database.connectAsApp(); Statement sql = app.createStatement()) {
            app.setAutoCommit(false);
            sql.execute("SELECT set_config('request.jwt.claims', '{\"sub\": \"" + learner + "\"}', true)");
            sql.execute("SET LOCAL ROLE analytics_authenticated");
            assertThatThrownBy(() -> sql.execute("SELECT analytics.award_points('" + learner + "', '" + FREE + "', 'k', 1000000)"))
                    .isInstanceOf(SQLException.class).hasMessageContaining("permission denied");
            app.rollback();
        }
        assertThat(ledgerOf(learner)).isEqualTo("0");
    }

    @Test
    void each_achievement_criterion_earns_exactly_once() {
        UUID learner = learner();
        UUID course = UUID.randomUUID();
        db.system().ingestion().upsertCourses(List.of(new Course(course, "Done", null, org, null)));
        Instant day1 = Instant.parse("2026-01-05T10:00:00Z");
        db.system().ingestion().upsertEnrollments(List.of(new Enrollment(learner, course, day1.minusSeconds(86400 * 10), day1, BigDecimal.valueOf(100))));
        db.system().ingestion().upsertUserSkills(List.of(new UserSkill(learner, "skill-sql", BigDecimal.valueOf(85), day1)));

        List<String> earned = new ArrayList<>();
        earned.addAll(awards.award(new Award(learner, "quiz_completed", key(), null, null, day1)).newAchievements());
        for (int i = 1; i < 5; i++) {
            earned.addAll(awards.award(new Award(learner, "quiz_completed", key(), null, null, day1.plusSeconds(i * 60L))).newAchievements());
        }
        earned.addAll(awards.award(new Award(learner, FREE, key(), null, null, day1.plusSeconds(86400))).newAchievements());
        earned.addAll(awards.award(new Award(learner, FREE, key(), null, null, day1.plusSeconds(2 * 86400))).newAchievements());
        earned.addAll(awards.award(new Award(learner, FREE, key(), 900, null, day1.plusSeconds(2 * 86400 + 60))).newAchievements());

        // coursesCompleted 1, skillsMastered 1, totalPoints 100 / 1000, activityCount 5 quizzes, streakDays 3
        assertThat(earned).containsExactlyInAnyOrder("first-course", "skill-master", "first-points", "quiz-starter",
                "streak-3", "points-1000");
        assertThat(count("user_achievements WHERE user_id = '" + learner + "'")).isEqualTo(6);
    }

    @Test
    void unknown_achievement_criteria_fail_when_written_not_when_awarding() {
        assertThatThrownBy(() -> admin("INSERT INTO analytics.achievements (id, name, description, icon, tier, criteria)"
                + " VALUES ('typo', 'x', 'x', 'x', 'elite', '{\"totalPoint\": 10}')"))
                .isInstanceOf(SQLException.class).hasMessageContaining("ck_achievements_criteria_vocabulary");
        assertThatThrownBy(() -> admin("INSERT INTO analytics.achievements (id, name, description, icon, tier, criteria)"
                + " VALUES ('half', 'x', 'x', 'x', 'elite', '{\"activityType\": \"quiz_completed\"}')"))
                .isInstanceOf(SQLException.class).hasMessageContaining("ck_achievements_criteria_vocabulary");
    }

    @Test
    void eight_threads_with_1000_awards_each_to_overlapping_users_lose_no_points() throws Exception {
        List<UUID> users = new ArrayList<>();
        for (int i = 0; i < 10; i++) users.add(learner());
        try (ExecutorService threads = Executors.newFixedThreadPool(8)) {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int thread = t;
                done.add(threads.submit(() -> {
                    for (int i = 0; i < 1000; i++) {
                        awards.award(new Award(users.get((thread + i) % users.size()), FREE, "t" + thread + "-" + i + "-" + UUID.randomUUID(),
                                1 + i % 7, null, null));
                    }
                    return null;
                }));
            }
            for (Future<?> future : done) future.get();
        }
        String in = inList(users);
        assertThat(count("point_transactions WHERE user_id IN " + in)).isEqualTo(8000);
        assertThat(count("user_points p WHERE user_id IN " + in + " AND total_points <> "
                + "(SELECT sum(points) FROM analytics.point_transactions t WHERE t.user_id = p.user_id)")).isZero();
        assertThat(count("user_points WHERE user_id IN " + in)).isEqualTo(10);
    }

    @Test
    void replays_racing_their_original_never_double_count() throws Exception {
        List<UUID> users = List.of(learner(), learner());
        List<Award> batch = new ArrayList<>();
        for (int i = 0; i < 200; i++) batch.add(new Award(users.get(i % 2), FREE, "race-" + UUID.randomUUID(), 1 + i % 5, null, null));
        try (ExecutorService threads = Executors.newFixedThreadPool(8)) {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                done.add(threads.submit(() -> {
                    for (Award award : batch) awards.award(award);
                    return null;
                }));
            }
            for (Future<?> future : done) future.get();
        }
        int expected = batch.stream().mapToInt(Award::points).sum();
        String in = inList(users);
        assertThat(count("point_transactions WHERE user_id IN " + in)).isEqualTo(200);
        assertThat(count("user_points WHERE user_id IN " + in + " AND total_points > 0")).isEqualTo(2);
        int totals = database.withAdmin(ctx -> ((Number) ctx.fetchValue(
                "SELECT sum(total_points) FROM analytics.user_points WHERE user_id IN " + in)).intValue());
        assertThat(totals).isEqualTo(expected);
    }

    @Test
    void a_linear_level_curve_is_a_configuration_change() throws SQLException {
        UUID learner = learner();
        admin("UPDATE analytics.level_curve SET kind = 'linear', base_points = 100");
        try {
            assertThat(awards.award(new Award(learner, FREE, key(), 250, null, null)).level()).isEqualTo(3);
        } finally {
            admin("UPDATE analytics.level_curve SET kind = 'progressive', base_points = 100");
        }
    }

    static UUID learner() {
        UUID id = UUID.randomUUID();
        db.system().ingestion().upsertUsers(List.of(new User(id, id + "@award.test", null, null, org, Set.of(Role.LEARNER))));
        return id;
    }

    static String key() {
        return "event-" + UUID.randomUUID();
    }

    static String ledgerOf(UUID user) {
        return database.withAdmin(ctx -> String.valueOf(ctx.fetchValue(
                "SELECT count(*) || coalesce(string_agg(t::text, ',' ORDER BY t.id), '') || coalesce((SELECT p::text FROM analytics.user_points p WHERE p.user_id = ?), '')"
                        + " FROM analytics.point_transactions t WHERE t.user_id = ?", user, user)));
    }

    static long count(String fromWhere) {
        return database.withAdmin(ctx -> ((Number) ctx.fetchValue("SELECT count(*) FROM analytics." + fromWhere)).longValue());
    }

    static void admin(String sql) throws SQLException {
        try (Connection connection = database.connect(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static String inList(List<UUID> users) {
        return "(" + String.join(",", users.stream().map(u -> "'" + u + "'").toList()) + ")";
    }
}
