package org.learninganalytics.db.preferences;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.ZoneId;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.learninganalytics.db.AnalyticsDb;
import org.learninganalytics.db.AnalyticsDbException;
import org.learninganalytics.db.ingestion.Organization;
import org.learninganalytics.db.ingestion.User;
import org.learninganalytics.db.tenancy.Principal;
import org.learninganalytics.db.tenancy.Role;
import org.learninganalytics.db.testing.FreshDatabase;
import org.learninganalytics.db.testing.TestDatabase;

/** Preferences change field by field or several at once, and a change with one bad value changes nothing. */
@FreshDatabase
class PreferencesUpdatePgTest {

    private static final UUID ORG = UUID.randomUUID();
    private static final String SWITCHES_OFF = "{\"dropOffRisk\": false, \"forecasting\": false, \"recommendations\": true}";

    private static AnalyticsDb db;

    @BeforeAll
    static void arrange(TestDatabase database) {
        db = database.analyticsDb();
        db.system().ingestion().upsertOrganizations(List.of(new Organization(ORG, "Preferences Org", null, null)));
    }

    @Test
    void defaults_apply_until_a_change_and_match_the_database_s_defaults() {
        Preferences preferences = newUser();
        UserPreferences defaults = preferences.mine();
        assertThat(defaults.leaderboardPrivacy()).isEqualTo(LeaderboardPrivacy.PUBLIC);
        assertThat(defaults.timeZone().getId()).as("a name setTimeZone takes back").isEqualTo("UTC");
        assertThat(defaults.predictiveAnalyticsEnabled()).isEqualTo(Preferences.DEFAULT_PREDICTIVE_ANALYTICS);
        assertThat(defaults.notificationPreferences()).isNull();

        UserPreferences stored = preferences.setLeaderboardPrivacy(LeaderboardPrivacy.PUBLIC); // creates the row with the column defaults
        assertThat(stored.predictiveAnalyticsEnabled()).as("the column default, as PostgreSQL prints it")
                .isEqualTo(Preferences.DEFAULT_PREDICTIVE_ANALYTICS);
        assertThat(stored).isEqualTo(defaults);
    }

    @Test
    void one_update_changes_every_field_given_and_keeps_the_rest() {
        Preferences preferences = newUser();
        UserPreferences all = preferences.update(PreferenceChanges.none().withLeaderboardPrivacy(LeaderboardPrivacy.ANONYMOUS)
                .withTimeZone("Europe/Berlin").withPredictiveAnalyticsEnabled(SWITCHES_OFF).withNotificationPreferences("{\"email\": true}"));

        assertThat(all.leaderboardPrivacy()).isEqualTo(LeaderboardPrivacy.ANONYMOUS);
        assertThat(all.timeZone()).isEqualTo(ZoneId.of("Europe/Berlin"));
        assertThat(all.predictiveAnalyticsEnabled()).isEqualTo(SWITCHES_OFF);
        assertThat(all.notificationPreferences()).isEqualTo("{\"email\": true}");
        assertThat(preferences.mine()).isEqualTo(all);

        UserPreferences privacyOnly = preferences.update(PreferenceChanges.none().withLeaderboardPrivacy(LeaderboardPrivacy.HIDDEN));
        assertThat(privacyOnly).isEqualTo(new UserPreferences(all.userId(), LeaderboardPrivacy.HIDDEN, all.timeZone(),
                all.predictiveAnalyticsEnabled(), all.notificationPreferences()));

        UserPreferences cleared = preferences.update(PreferenceChanges.none().withNotificationPreferences(null));
        assertThat(cleared.notificationPreferences()).isNull();
        assertThat(cleared.predictiveAnalyticsEnabled()).isEqualTo(SWITCHES_OFF);
        assertThat(preferences.update(PreferenceChanges.none())).as("no change").isEqualTo(cleared);
    }

    @Test
    void an_update_with_one_bad_value_changes_nothing() {
        Preferences preferences = newUser();
        UserPreferences before = preferences.update(PreferenceChanges.none().withNotificationPreferences("{\"push\": false}"));
        PreferenceChanges good = PreferenceChanges.none().withLeaderboardPrivacy(LeaderboardPrivacy.HIDDEN)
                .withPredictiveAnalyticsEnabled(SWITCHES_OFF).withNotificationPreferences("{\"email\": true}");

        assertInvalid(() -> preferences.update(good.withTimeZone("UTC+05:30")), "unknown time zone");
        assertInvalid(() -> preferences.update(good.withPredictiveAnalyticsEnabled("[true]")), "predictive analytics switches must be");
        assertInvalid(() -> preferences.update(good.withPredictiveAnalyticsEnabled("{\"a\": {\"b\": {\"c\": true}}}")),
                "predictive analytics switches must be");
        assertInvalid(() -> preferences.update(good.withPredictiveAnalyticsEnabled("{\"x\": \"" + "y".repeat(1100) + "\"}")),
                "predictive analytics switches must be");
        assertInvalid(() -> preferences.update(good.withNotificationPreferences("{\"x\": \"" + "y".repeat(5000) + "\"}")),
                "notification preferences must be");
        assertInvalid(() -> preferences.update(good.withNotificationPreferences("{not json")), "not valid JSON");
        assertInvalid(() -> preferences.update(PreferenceChanges.none().withLeaderboardPrivacy(LeaderboardPrivacy.HIDDEN)
                .withNotificationPreferences("{not json")), "notification preferences: not valid JSON");
        assertInvalid(() -> preferences.update(PreferenceChanges.none().withPredictiveAnalyticsEnabled("x".repeat(20_000))),
                "predictive analytics switches must be");

        assertThat(preferences.mine()).isEqualTo(before);
    }

    @Test
    void a_time_zone_changed_too_recently_fails_the_whole_update() {
        Preferences preferences = newUser();
        UserPreferences before = preferences.setTimeZone("Europe/Berlin"); // the first choice is always allowed

        assertThatThrownBy(() -> preferences.update(PreferenceChanges.none().withLeaderboardPrivacy(LeaderboardPrivacy.ANONYMOUS)
                .withTimeZone("Asia/Tokyo").withPredictiveAnalyticsEnabled(SWITCHES_OFF)))
                .isInstanceOfSatisfying(InvalidPreferenceException.class, e -> {
                    assertThat(e.reason()).isEqualTo(InvalidPreferenceException.Reason.TIME_ZONE_CHANGED_RECENTLY);
                    assertThat(e.kind()).isEqualTo(AnalyticsDbException.Kind.CAPPED);
                });
        assertThat(preferences.mine()).isEqualTo(before);

        UserPreferences sameZone = preferences.update(PreferenceChanges.none().withTimeZone("Europe/Berlin")
                .withLeaderboardPrivacy(LeaderboardPrivacy.ANONYMOUS));
        assertThat(sameZone.leaderboardPrivacy()).as("naming the current zone again is no change").isEqualTo(LeaderboardPrivacy.ANONYMOUS);
    }

    @Test
    void the_single_field_setters_still_work() {
        Preferences preferences = newUser();
        assertThat(preferences.setLeaderboardPrivacy(LeaderboardPrivacy.HIDDEN).leaderboardPrivacy()).isEqualTo(LeaderboardPrivacy.HIDDEN);
        assertThat(preferences.setTimeZone("America/Argentina/Salta").timeZone()).isEqualTo(ZoneId.of("America/Argentina/Salta"));
        assertThat(preferences.setNotificationPreferences("{\"digest\": \"weekly\"}").notificationPreferences())
                .isEqualTo("{\"digest\": \"weekly\"}");
        assertThat(preferences.setNotificationPreferences(null).notificationPreferences()).isNull();
        assertInvalid(() -> preferences.setTimeZone("Mars/Olympus"), "unknown time zone");
        assertThat(preferences.mine().leaderboardPrivacy()).isEqualTo(LeaderboardPrivacy.HIDDEN);
    }

    @Test
    void notification_preferences_cannot_be_given_and_cleared_at_once() {
        assertThatThrownBy(() -> new PreferenceChanges(null, null, null, "{}", true)).isInstanceOf(InvalidPreferenceException.class);
        assertThat(PreferenceChanges.none().withNotificationPreferences(null).changesNotificationPreferences()).isTrue();
        assertThat(PreferenceChanges.none().changesNotificationPreferences()).isFalse();
    }

    private static void assertInvalid(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String message) {
        assertThatThrownBy(call).isInstanceOfSatisfying(InvalidPreferenceException.class, e -> {
            assertThat(e.reason()).isEqualTo(InvalidPreferenceException.Reason.INVALID);
            assertThat(e.kind()).isEqualTo(AnalyticsDbException.Kind.INVALID_INPUT);
        }).hasMessageContaining(message);
    }

    private static Preferences newUser() {
        UUID id = UUID.randomUUID();
        db.system().ingestion().upsertUsers(List.of(new User(id, id + "@prefs.test", null, null, ORG, Set.of(Role.LEARNER))));
        return db.as(new Principal(id, ORG, Set.of(Role.LEARNER))).preferences();
    }
}
