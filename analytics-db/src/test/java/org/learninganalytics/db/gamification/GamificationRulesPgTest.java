package org.learninganalytics.db.gamification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.learninganalytics.db.AnalyticsDb;
import org.learninganalytics.db.ingestion.Organization;
import org.learninganalytics.db.ingestion.User;
import org.learninganalytics.db.tenancy.Role;
import org.learninganalytics.db.testing.FreshDatabase;
import org.learninganalytics.db.testing.TestDatabase;

/** Embedding services change points, caps, the level curve and achievements through the library, never with raw SQL. */
@FreshDatabase
class GamificationRulesPgTest {

    private static AnalyticsDb db;
    private static GamificationRules rules;
    private static UUID org;

    @BeforeAll
    static void arrange(TestDatabase database) {
        db = database.analyticsDb();
        rules = db.system().gamification().rules();
        org = UUID.randomUUID();
        db.system().ingestion().upsertOrganizations(List.of(new Organization(org, "Rules Org", null, null)));
    }

    @AfterAll
    static void close() {
        db.close();
    }

    @Test
    void an_activity_rule_gives_its_points_and_its_caps_apply_from_the_next_award() {
        UUID learner = learner();
        rules.putActivityRule(ActivityRule.uncapped("peer_review", 12));
        assertThat(award(learner, "peer_review", Instant.now().minusSeconds(30)).points()).isEqualTo(12);

        ActivityRule capped = new ActivityRule("peer_review", 15, true, 1, Duration.ofMinutes(10), Duration.ofMinutes(1), 3);
        rules.putActivityRule(capped);

        assertThat(rules.activityRules()).contains(capped);
        assertThatThrownBy(() -> award(learner, "peer_review", Instant.now())).isInstanceOfSatisfying(AwardRejectedException.class,
                e -> assertThat(e.reason()).isEqualTo(AwardRejectedException.Reason.CAPPED));
    }

    @Test
    void invalid_activity_rules_are_refused_and_change_nothing() {
        rules.putActivityRule(ActivityRule.uncapped("kept_rule", 5));
        List<ActivityRule> before = rules.activityRules();

        assertThatThrownBy(() -> rules.putActivityRule(ActivityRule.uncapped("kept_rule", 0)))
                .isInstanceOf(InvalidGamificationRuleException.class).hasMessage("points must be positive");
        assertThatThrownBy(() -> rules.putActivityRule(new ActivityRule("kept_rule", 5, false, 10, null, null, null)))
                .isInstanceOf(InvalidGamificationRuleException.class).hasMessage("max per window and window go together");
        assertThatThrownBy(() -> rules.putActivityRule(new ActivityRule("kept_rule", 5, false, 10, Duration.ofMillis(1500), null, null)))
                .isInstanceOf(InvalidGamificationRuleException.class).hasMessageContaining("whole seconds");
        assertThatThrownBy(() -> rules.putActivityRule(new ActivityRule("kept_rule", 5, false, null, null, null, 0)))
                .isInstanceOf(InvalidGamificationRuleException.class).hasMessage("max per local day must be positive");
        assertThatThrownBy(() -> rules.putActivityRule(ActivityRule.uncapped(" ", 5))).isInstanceOf(InvalidGamificationRuleException.class);

        assertThat(rules.activityRules()).isEqualTo(before);
    }

    @Test
    void a_new_level_curve_relevels_everyone_at_once() {
        rules.putActivityRule(ActivityRule.uncapped("curve_test", 250));
        UUID learner = learner();
        assertThat(award(learner, "curve_test", null).level()).as("progressive: 250 points are level 2").isEqualTo(2);
        try {
            int changed = rules.setLevelCurve(new LevelCurve(LevelCurve.Kind.LINEAR, 100));

            assertThat(changed).isPositive();
            assertThat(rules.levelCurve()).isEqualTo(new LevelCurve(LevelCurve.Kind.LINEAR, 100));
            assertThat(db.system().gamification().ledgerReplay().dryRun(learner)).as("stored levels already follow the curve").isEmpty();
            assertThat(award(learner, "curve_test", null).level()).as("linear: 500 points are level 6").isEqualTo(6);
            assertThatThrownBy(() -> rules.setLevelCurve(new LevelCurve(LevelCurve.Kind.LINEAR, 0)))
                    .isInstanceOf(InvalidGamificationRuleException.class);
            assertThat(rules.levelCurve().basePoints()).isEqualTo(100);
        } finally {
            rules.setLevelCurve(LevelCurve.DEFAULT);
        }
        assertThat(rules.levelCurve()).isEqualTo(LevelCurve.DEFAULT);
    }

    @Test
    void an_achievement_defined_through_the_library_is_earned_by_its_criteria() {
        Achievement reviewer = new Achievement("reviewer-3", "Reviewer", "Review three peers", "📝", "beginner",
                AchievementCriteria.activities("review_given", 3));
        rules.putActivityRule(ActivityRule.uncapped("review_given", 1));
        rules.putAchievement(reviewer);
        UUID learner = learner();

        assertThat(rules.achievements()).contains(reviewer);
        assertThat(award(learner, "review_given", null).newAchievements()).doesNotContain("reviewer-3");
        assertThat(award(learner, "review_given", null).newAchievements()).doesNotContain("reviewer-3");
        assertThat(award(learner, "review_given", null).newAchievements()).contains("reviewer-3");
        assertThat(award(learner, "review_given", null).newAchievements()).as("earned once").doesNotContain("reviewer-3");

        Achievement renamed = new Achievement("reviewer-3", "Peer Reviewer", "Review three peers", "📝", "beginner",
                new AchievementCriteria(10, null, null, null, "review_given", 3));
        rules.putAchievement(renamed);
        assertThat(rules.achievements()).contains(renamed).doesNotContain(reviewer);
    }

    @Test
    void invalid_achievements_are_refused_and_change_nothing() {
        List<Achievement> before = rules.achievements();

        assertThatThrownBy(() -> rules.putAchievement(new Achievement("none", "None", "No criteria", "?", "beginner",
                new AchievementCriteria(null, null, null, null, null, null))))
                .isInstanceOf(InvalidGamificationRuleException.class).hasMessage("an achievement needs at least one criterion");
        assertThatThrownBy(() -> rules.putAchievement(new Achievement("neg", "Neg", "Negative", "?", "beginner",
                AchievementCriteria.totalPoints(-1)))).isInstanceOf(InvalidGamificationRuleException.class)
                .hasMessage("criteria thresholds must be positive");
        assertThatThrownBy(() -> rules.putAchievement(new Achievement("half", "Half", "Type without count", "?", "beginner",
                new AchievementCriteria(null, null, null, null, "quiz_completed", null)))).isInstanceOf(InvalidGamificationRuleException.class)
                .hasMessage("activity type and activity count go together");
        assertThatThrownBy(() -> rules.putAchievement(new Achievement("tier", "Tier", "Bad tier", "?", "legendary",
                AchievementCriteria.streakDays(3)))).isInstanceOf(InvalidGamificationRuleException.class).hasMessageContaining("tier");

        assertThat(rules.achievements()).isEqualTo(before);
    }

    private static UUID learner() {
        UUID id = UUID.randomUUID();
        db.system().ingestion().upsertUsers(List.of(new User(id, id + "@rules.test", null, null, org, Set.of(Role.LEARNER))));
        return id;
    }

    private static AwardResult award(UUID learner, String activityType, Instant at) {
        return db.system().gamification().awards().award(new Award(learner, activityType, UUID.randomUUID().toString(), null, null, at));
    }
}
