package org.learninganalytics.db.gamification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.learninganalytics.db.AnalyticsDb;
import org.learninganalytics.db.ingestion.Organization;
import org.learninganalytics.db.ingestion.User;
import org.learninganalytics.db.preferences.InvalidPreferenceException;
import org.learninganalytics.db.tenancy.Principal;
import org.learninganalytics.db.tenancy.Role;
import org.learninganalytics.db.testing.FreshDatabase;
import org.learninganalytics.db.testing.TestDatabase;

/** Streaks count consecutive days with activity in the learner's own time zone. */
@FreshDatabase
class StreaksPgTest {

    private static TestDatabase database;
    private static AnalyticsDb db;
    private static UUID org;

    @BeforeAll
    static void arrange(TestDatabase testDatabase) throws Exception {
        database = testDatabase;
        db = testDatabase.analyticsDb();
        org = UUID.randomUUID();
        db.system().ingestion().upsertOrganizations(List.of(new Organization(org, "Streak Org", null, null)));
        try (var connection = testDatabase.connect(); var sql = connection.createStatement()) {
            sql.execute("INSERT INTO analytics.activity_rules (activity_type, points) VALUES ('streak_test', 1)");
        }
    }

    @AfterAll
    static void close() {
        db.close();
    }

    @Test
    void consecutive_days_grow_the_streak_the_same_day_keeps_it_and_a_gap_restarts_it() {
        UUID learner = learner("UTC");
        assertThat(at(learner, "2026-01-05T10:00:00Z").currentStreak()).isEqualTo(1);
        assertThat(at(learner, "2026-01-06T09:00:00Z").currentStreak()).isEqualTo(2);
        assertThat(at(learner, "2026-01-06T23:59:00Z").currentStreak()).as("same day").isEqualTo(2);
        assertThat(at(learner, "2026-01-07T00:01:00Z").currentStreak()).as("just past midnight").isEqualTo(3);
        AwardResult afterGap = at(learner, "2026-01-09T12:00:00Z"); // the 8th was missed
        assertThat(afterGap.currentStreak()).isEqualTo(1);
        assertThat(afterGap.longestStreak()).isEqualTo(3);
    }

    @Test
    void a_late_event_that_fills_a_missed_day_joins_the_runs_as_a_replay_would() {
        UUID learner = learner("UTC");
        at(learner, "2026-01-05T10:00:00Z");
        at(learner, "2026-01-06T10:00:00Z");
        at(learner, "2026-01-07T10:00:00Z");
        at(learner, "2026-01-09T10:00:00Z"); // the 8th was missed, or so it seemed
        assertThat(at(learner, "2026-01-07T18:00:00Z").currentStreak()).as("a late event for a day already counted").isEqualTo(1);

        AwardResult late = at(learner, "2026-01-08T12:00:00Z"); // synced late from an offline device

        assertThat(late.currentStreak()).isEqualTo(5);
        assertThat(late.longestStreak()).isEqualTo(5);
        assertThat(db.system().gamification().ledgerReplay().dryRun(learner)).as("award and replay agree").isEmpty();
        assertThat(at(learner, "2026-01-10T10:00:00Z").currentStreak()).isEqualTo(6);
    }

    @Test
    void the_day_boundary_is_the_learners_own() {
        // 22:00 and 15:00 New York time on consecutive days, but the same UTC day (2026-01-10).
        UUID newYork = learner("America/New_York");
        at(newYork, "2026-01-10T03:00:00Z");
        assertThat(at(newYork, "2026-01-10T20:00:00Z").currentStreak()).isEqualTo(2);

        UUID utc = learner("UTC");
        at(utc, "2026-01-10T03:00:00Z");
        assertThat(at(utc, "2026-01-10T20:00:00Z").currentStreak()).isEqualTo(1);
        assertThat(dates(newYork)).containsExactly("2026-01-09", "2026-01-10");
    }

    @Test
    void a_daylight_saving_change_does_not_break_or_double_a_day() {
        // Berlin moves from UTC+1 to UTC+2 at 02:00 on 2026-03-29: that day has 23 hours.
        UUID berlin = learner("Europe/Berlin");
        at(berlin, "2026-03-28T22:30:00Z");                                     // 23:30 on the 28th (UTC+1)
        assertThat(at(berlin, "2026-03-29T21:30:00Z").currentStreak()).isEqualTo(2); // 23:30 on the 29th (UTC+2)
        assertThat(at(berlin, "2026-03-29T22:30:00Z").currentStreak()).isEqualTo(3); // 00:30 on the 30th
        assertThat(dates(berlin)).containsExactly("2026-03-28", "2026-03-29", "2026-03-30");
    }

    @Test
    void changing_the_time_zone_does_not_rewrite_past_days_or_streaks() {
        UUID learner = learner("UTC");
        at(learner, "2026-02-01T23:30:00Z");
        at(learner, "2026-02-02T23:30:00Z");
        var me = db.as(new Principal(learner, org, Set.of(Role.LEARNER)));
        assertThat(me.preferences().setTimeZone("Asia/Tokyo").timeZone()).isEqualTo(ZoneId.of("Asia/Tokyo"));

        assertThat(dates(learner)).containsExactly("2026-02-01", "2026-02-02");
        Object storedStreak = database.withAdmin(ctx -> ctx.fetchValue("SELECT current_streak FROM analytics.user_points WHERE user_id = ?", learner));
        assertThat(storedStreak).isEqualTo(2);
        // 2026-02-03T16:00Z is the 4th in Tokyo: a gap after the 2nd.
        assertThat(at(learner, "2026-02-03T16:00:00Z").currentStreak()).isEqualTo(1);
    }

    @Test
    void a_streak_reads_as_zero_once_a_whole_local_day_passed_without_activity() {
        UUID learner = learner("UTC");
        var me = db.as(new Principal(learner, org, Set.of(Role.LEARNER)));
        at(learner, Instant.now().minusSeconds(3 * 86400).toString());
        assertThat(me.points().summary(learner).orElseThrow().currentStreak()).isZero();
        at(learner, Instant.now().toString());
        assertThat(me.points().summary(learner).orElseThrow().currentStreak()).isEqualTo(1);
    }

    @Test
    void an_unknown_time_zone_is_refused() {
        UUID learner = learner("UTC");
        var me = db.as(new Principal(learner, org, Set.of(Role.LEARNER)));
        assertThatThrownBy(() -> me.preferences().setTimeZone("Mars/Olympus_Mons"))
                .isInstanceOf(InvalidPreferenceException.class).hasMessageContaining("Mars/Olympus_Mons");
        // The database refuses it too, for a session that bypasses the library.
        assertThatThrownBy(() -> {
            try (var app = database.connectAsApp(); var sql = app.createStatement()) {
                app.setAutoCommit(false);
                sql.execute("SELECT set_config('request.jwt.claims', '{\"sub\": \"" + learner + "\"}', true)");
                sql.execute("SET LOCAL ROLE analytics_authenticated");
                sql.executeUpdate("UPDATE analytics.user_preferences SET time_zone = 'Mars/Olympus_Mons' WHERE user_id = '" + learner + "'");
            }
        }).isInstanceOf(java.sql.SQLException.class).hasMessageContaining("Mars/Olympus_Mons");
        assertThat(me.preferences().mine().timeZone()).isEqualTo(ZoneId.of("UTC"));
    }

    private static UUID learner(String zone) {
        UUID id = UUID.randomUUID();
        db.system().ingestion().upsertUsers(List.of(new User(id, id + "@streak.test", null, null, org, Set.of(Role.LEARNER))));
        db.as(new Principal(id, org, Set.of(Role.LEARNER))).preferences().setTimeZone(zone);
        return id;
    }

    private static AwardResult at(UUID learner, String instant) {
        return db.system().gamification().awards().award(new Award(learner, "streak_test", UUID.randomUUID().toString(), null, null, Instant.parse(instant)));
    }

    private static List<String> dates(UUID learner) {
        return database.withAdmin(ctx -> ctx.fetch("SELECT date::text FROM analytics.daily_activity WHERE user_id = ? ORDER BY date", learner)
                .getValues(0, String.class));
    }
}
