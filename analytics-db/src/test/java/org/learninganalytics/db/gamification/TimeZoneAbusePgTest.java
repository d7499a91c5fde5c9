package org.learninganalytics.db.gamification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.learninganalytics.db.AnalyticsDb;
import org.learninganalytics.db.AnalyticsDbException;
import org.learninganalytics.db.UserSession;
import org.learninganalytics.db.ingestion.Organization;
import org.learninganalytics.db.ingestion.User;
import org.learninganalytics.db.preferences.InvalidPreferenceException;
import org.learninganalytics.db.preferences.LeaderboardPrivacy;
import org.learninganalytics.db.tenancy.Principal;
import org.learninganalytics.db.tenancy.Role;
import org.learninganalytics.db.testing.FreshDatabase;
import org.learninganalytics.db.testing.TestDatabase;

/**
 * The outside review's attack: a learner moves "now" to local 00:00:01 with a POSIX offset
 * before each call and gets a fresh local day every time (daily logins every second or two,
 * streaks days ahead). Only region time zones are accepted now, a zone changes once per 7
 * days, and the daily login is capped at two per 24 hours whatever the zones.
 */
@FreshDatabase
class TimeZoneAbusePgTest {

    private static TestDatabase database;
    private static AnalyticsDb db;
    private static UUID org;

    @BeforeAll
    static void arrange(TestDatabase testDatabase) {
        database = testDatabase;
        db = testDatabase.analyticsDb();
        org = UUID.randomUUID();
        db.system().ingestion().upsertOrganizations(List.of(new Organization(org, "Zone Org", null, null)));
    }

    @AfterAll
    static void close() {
        db.close();
    }

    @Test
    void the_reviews_attack_gets_one_daily_login_and_no_forged_days() {
        UUID learner = learner();
        UserSession me = as(learner);
        int awarded = 0;
        int offsetsAccepted = 0;
        for (int call = 0; call < 6; call++) {
            // The offset that makes "now" 00:00:01 local time one more day ahead at every call, as
            // the review did it (POSIX offsets reach 167 h): on the old schema, a fresh local day
            // each time, so six daily logins and a streak of six forged days.
            Instant now = Instant.now();
            long secondsIntoUtcDay = now.getEpochSecond() % 86_400;
            long shift = 86_400L * (call + 1) - secondsIntoUtcDay + 1; // local = UTC + shift lands just past a midnight
            String posix = "UTC-%02d:%02d:%02d".formatted(shift / 3600, shift % 3600 / 60, shift % 60);
            try {
                me.preferences().setTimeZone(posix);
                offsetsAccepted++;
            } catch (InvalidPreferenceException refused) {
                assertThat(refused.reason()).isEqualTo(InvalidPreferenceException.Reason.INVALID);
            }
            assertThatThrownBy(() -> asLearnerInSql(learner, "UPDATE analytics.user_preferences SET time_zone = '" + posix
                    + "' WHERE user_id = '" + learner + "'")).as("the database refuses it too").isInstanceOf(SQLException.class);
            try {
                me.points().reportActivity("daily_login", "login-" + call, null);
                awarded++;
            } catch (AwardRejectedException capped) {
                assertThat(capped.reason()).isEqualTo(AwardRejectedException.Reason.CAPPED);
            }
        }
        assertThat(offsetsAccepted).isZero();
        assertThat(awarded).isEqualTo(1);
        assertThat(longestStreak(learner)).isEqualTo(1);
        LocalDate latestDay = database.withAdmin(ctx -> ctx.fetchValue(
                "SELECT max(date) FROM analytics.daily_activity WHERE user_id = ?", learner)) instanceof java.sql.Date date
                ? date.toLocalDate() : null;
        assertThat(latestDay).isBeforeOrEqualTo(LocalDate.now(ZoneOffset.UTC).plusDays(1));
    }

    @Test
    void java_and_the_database_accept_the_same_zone_names() {
        UUID learner = learner();
        List<String> names = List.of("Europe/Berlin", "UTC", "Etc/GMT+5", "America/Argentina/Salta", "Pacific/Kiritimati",
                "europe/berlin", "UTC+05:30", "UTC-01:50:02", "UTC+166:09:10", "EST5EDT", "posix/Europe/Berlin", "GMT", "Z",
                "Mars/Olympus_Mons", "+05:30", "", "Europe/Berlin ",
                // PostgreSQL finds these (case-insensitively, or in its posix/ and right/ folders); Java does not
                "EUROPE/BERLIN", "Europe/BERLIN", "Posix/Europe/Berlin", "Right/UTC");
        List<String> javaAccepts = new ArrayList<>();
        List<String> databaseAccepts = new ArrayList<>();
        for (String name : names) {
            resetChangeLimit(learner);
            try {
                as(learner).preferences().setTimeZone(name);
                javaAccepts.add(name);
            } catch (InvalidPreferenceException refused) {
                assertThat(refused.kind()).isEqualTo(AnalyticsDbException.Kind.INVALID_INPUT);
            }
            resetChangeLimit(learner);
            try {
                asLearnerInSql(learner, "UPDATE analytics.user_preferences SET time_zone = '" + name + "' WHERE user_id = '" + learner + "'");
                databaseAccepts.add(name);
            } catch (SQLException refused) {
                // refused by the CHECK or the trigger
            }
        }
        assertThat(javaAccepts).containsExactly("Europe/Berlin", "UTC", "Etc/GMT+5", "America/Argentina/Salta", "Pacific/Kiritimati");
        assertThat(databaseAccepts).isEqualTo(javaAccepts);
    }

    @Test
    void the_time_zone_changes_once_per_seven_days_and_users_cannot_reset_the_clock() throws SQLException {
        UUID learner = learner();
        UserSession me = as(learner);
        me.preferences().setTimeZone("Europe/Berlin"); // the first choice is always allowed

        assertThatThrownBy(() -> me.preferences().setTimeZone("Pacific/Kiritimati"))
                .isInstanceOfSatisfying(InvalidPreferenceException.class, refused -> {
                    assertThat(refused.reason()).isEqualTo(InvalidPreferenceException.Reason.TIME_ZONE_CHANGED_RECENTLY);
                    assertThat(refused.kind()).isEqualTo(AnalyticsDbException.Kind.CAPPED);
                })
                .hasMessageContaining("can change again from");
        assertThatThrownBy(() -> asLearnerInSql(learner,
                "UPDATE analytics.user_preferences SET time_zone_changed_at = NULL WHERE user_id = '" + learner + "'"))
                .as("the change time is not the user's to write").isInstanceOf(SQLException.class).hasMessageContaining("permission denied");
        assertThat(me.preferences().mine().timeZone()).isEqualTo(ZoneId.of("Europe/Berlin"));
    }

    @Test
    void a_travellers_honest_change_still_works() {
        UUID learner = learner();
        UserSession me = as(learner);
        me.preferences().setTimeZone("Europe/Berlin");
        me.points().reportActivity("daily_login", "berlin", null);
        resetChangeLimit(learner); // a week later...

        assertThat(me.preferences().setTimeZone("America/New_York").timeZone()).isEqualTo(ZoneId.of("America/New_York"));
        assertThat(me.preferences().setLeaderboardPrivacy(LeaderboardPrivacy.ANONYMOUS).timeZone())
                .as("other preferences change freely").isEqualTo(ZoneId.of("America/New_York"));
    }

    @Test
    void no_more_than_two_daily_logins_in_24_hours_even_across_the_date_line() {
        UUID learner = learner();
        // Each award comes 30 s after midnight in the zone the learner has just moved to, so the
        // per-day cap sees an empty day every time: three local days within an hour.
        Instant midnight = ZonedDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.DAYS).minusDays(1).toInstant();
        String[] zones = {"Etc/GMT-1", "UTC", "Etc/GMT+1"}; // UTC+1, UTC, UTC-1
        Instant[] at = {midnight.minusSeconds(3600 - 30), midnight.plusSeconds(30), midnight.plusSeconds(3600 + 30)};
        List<String> outcomes = new ArrayList<>();
        for (int i = 0; i < zones.length; i++) {
            setZoneAsAdministrator(learner, zones[i]);
            try {
                db.system().gamification().awards().award(new Award(learner, "daily_login", "hop-" + i, null, null, at[i]));
                outcomes.add("awarded");
            } catch (AwardRejectedException refused) {
                outcomes.add(refused.reason() + ": " + refused.getMessage());
            }
        }
        assertThat(outcomes).containsExactly("awarded", "awarded", "CAPPED: capped: at most 2 \"daily_login\" awards per 86400 seconds");
    }

    @Test
    void metadata_and_notification_preferences_are_bounded_objects() throws SQLException {
        UUID learner = learner();
        UserSession me = as(learner);
        String big = "{\"note\": \"" + "x".repeat(5_000) + "\"}";
        String deep = "{\"a\": {\"b\": {\"c\": {\"d\": {\"e\": 1}}}}}";
        for (String metadata : List.of(big, deep, "[1, 2, 3]", "42", "\"text\"", "x".repeat(50_000))) {
            assertThatThrownBy(() -> me.points().reportActivity("forum_post", UUID.randomUUID().toString(), metadata))
                    .isInstanceOfSatisfying(AwardRejectedException.class,
                            refused -> assertThat(refused.reason()).isEqualTo(AwardRejectedException.Reason.INVALID));
        }
        assertThat(me.points().reportActivity("forum_post", "fine", "{\"post\": \"post-991\", \"thread\": {\"id\": 7}}").points())
                .isEqualTo(10);
        // The raw SQL path the review used: as the service, straight into the ledger.
        assertThatThrownBy(() -> {
            try (Connection admin = database.connect(); Statement sql = admin.createStatement()) {
                sql.execute("INSERT INTO analytics.point_transactions (user_id, points, activity_type, metadata) VALUES ('"
                        + learner + "', 1, 'forum_post', '[1]')");
            }
        }).isInstanceOf(SQLException.class).hasMessageContaining("ck_point_transactions_metadata_bounded");

        for (String preferences : List.of(big, deep, "[true]", "x".repeat(50_000))) {
            assertThatThrownBy(() -> me.preferences().setNotificationPreferences(preferences))
                    .isInstanceOfSatisfying(InvalidPreferenceException.class,
                            refused -> assertThat(refused.reason()).isEqualTo(InvalidPreferenceException.Reason.INVALID));
        }
        assertThatThrownBy(() -> asLearnerInSql(learner, "UPDATE analytics.user_preferences SET notification_preferences = '{\"x\": \""
                + "y".repeat(600_000) + "\"}' WHERE user_id = '" + learner + "'")).isInstanceOf(SQLException.class);
        assertThat(me.preferences().setNotificationPreferences("{\"email\": {\"weekly\": true}}").notificationPreferences())
                .isEqualTo("{\"email\": {\"weekly\": true}}");
        Object ledgerRows = database.withAdmin(ctx -> ctx.fetchValue("SELECT count(*) FROM analytics.point_transactions WHERE user_id = ?", learner));
        assertThat(ledgerRows).isEqualTo(1L);
    }

    @Test
    void every_self_reportable_type_has_a_daily_cap() {
        List<String> uncapped = database.withAdmin(ctx -> ctx.fetch(
                "SELECT activity_type FROM analytics.activity_rules WHERE self_reportable AND max_per_local_day IS NULL").getValues(0, String.class));
        assertThat(uncapped).isEmpty();
    }

    private static UUID learner() {
        UUID id = UUID.randomUUID();
        db.system().ingestion().upsertUsers(List.of(new User(id, id + "@zone.test", null, null, org, Set.of(Role.LEARNER))));
        return id;
    }

    private static UserSession as(UUID learner) {
        return db.as(new Principal(learner, org, Set.of(Role.LEARNER)));
    }

    /** Pretends the last change of time zone was more than 7 days ago. */
    private static void resetChangeLimit(UUID learner) {
        database.withAdmin(ctx -> {
            ctx.execute("SET session_replication_role = replica"); // past the trigger that keeps the column
            return ctx.execute("UPDATE analytics.user_preferences SET time_zone_changed_at = now() - interval '8 days'"
                    + " WHERE user_id = ?", learner);
        });
    }

    private static void setZoneAsAdministrator(UUID learner, String zone) {
        database.withAdmin(ctx -> ctx.execute("INSERT INTO analytics.user_preferences (user_id, time_zone) VALUES (?, ?)"
                + " ON CONFLICT (user_id) DO UPDATE SET time_zone = EXCLUDED.time_zone", learner, zone));
        resetChangeLimit(learner);
    }

    private static int longestStreak(UUID learner) {
        return ((Number) database.withAdmin(ctx -> ctx.fetchValue("SELECT longest_streak FROM analytics.user_points WHERE user_id = ?", learner))).intValue();
    }

    /** One statement as the learner over raw SQL, with the library's own role set-up, committed. */
    private static void asLearnerInSql(UUID learner, String statement) throws SQLException {
        try (Connection app = database.connectAsApp(); Statement sql = app.createStatement()) {
            app.setAutoCommit(false);
            sql.execute("SELECT set_config('request.jwt.claims', '{\"sub\": \"" + learner + "\"}', true)");
            sql.execute("SET LOCAL ROLE analytics_authenticated");
            sql.executeUpdate("INSERT INTO analytics.user_preferences (user_id) VALUES ('" + learner + "') ON CONFLICT (user_id) DO NOTHING");
            sql.executeUpdate(statement);
            app.commit();
        }
    }
}
