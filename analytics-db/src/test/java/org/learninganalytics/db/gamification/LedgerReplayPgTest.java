package org.learninganalytics.db.gamification;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.Statement;
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

/** Replaying the ledger finds and fixes totals, levels and streaks that drifted from it; a dry run changes nothing. */
@FreshDatabase
class LedgerReplayPgTest {

    private static TestDatabase database;
    private static AnalyticsDb db;
    private static UUID learner;
    private static UUID other;

    @BeforeAll
    static void arrange(TestDatabase testDatabase) throws Exception {
        database = testDatabase;
        db = testDatabase.analyticsDb();
        UUID org = UUID.randomUUID();
        learner = UUID.randomUUID();
        other = UUID.randomUUID();
        db.system().ingestion().upsertOrganizations(List.of(new Organization(org, "Replay Org", null, null)));
        db.system().ingestion().upsertUsers(List.of(
                new User(learner, "replay@org.test", null, null, org, Set.of(Role.LEARNER)),
                new User(other, "other@org.test", null, null, org, Set.of(Role.LEARNER))));
        admin("INSERT INTO analytics.activity_rules (activity_type, points) VALUES ('replay_test', 60)");
        for (String at : List.of("2026-01-01T10:00:00Z", "2026-01-02T10:00:00Z", "2026-01-03T10:00:00Z", "2026-01-05T10:00:00Z")) {
            db.system().gamification().awards().award(new Award(learner, "replay_test", UUID.randomUUID().toString(), null, null, Instant.parse(at)));
        }
        db.system().gamification().awards().award(new Award(other, "replay_test", UUID.randomUUID().toString(), null, null, Instant.parse("2026-01-05T10:00:00Z")));
    }

    @AfterAll
    static void close() {
        db.close();
    }

    @Test
    void replay_finds_drift_in_a_dry_run_and_fixes_it_when_applied() throws Exception {
        assertThat(db.system().gamification().ledgerReplay().dryRun(null)).as("awards keep totals consistent with the ledger").isEmpty();

        admin("UPDATE analytics.user_points SET total_points = 9999, longest_streak = 7, current_streak = 7 WHERE user_id = '" + learner + "'");
        String before = snapshot();

        List<PointsDifference> dryRun = db.system().gamification().ledgerReplay().dryRun(null);
        assertThat(dryRun).singleElement().satisfies(difference -> {
            assertThat(difference.userId()).isEqualTo(learner);
            assertThat(difference.storedTotal()).isEqualTo(9999);
            assertThat(difference.replayedTotal()).isEqualTo(240);
            assertThat(difference.replayedLevel()).isEqualTo(2);
            assertThat(difference.replayedCurrentStreak()).isEqualTo(1);
            assertThat(difference.replayedLongestStreak()).isEqualTo(3);
        });
        assertThat(snapshot()).as("a dry run writes nothing").isEqualTo(before);

        assertThat(db.system().gamification().ledgerReplay().apply(learner)).hasSize(1);
        assertThat(db.system().gamification().ledgerReplay().dryRun(null)).isEmpty();
    }

    @Test
    void a_changed_level_curve_is_applied_to_everyone_by_a_replay() throws Exception {
        admin("UPDATE analytics.level_curve SET kind = 'linear', base_points = 50");
        try {
            List<PointsDifference> differences = db.system().gamification().ledgerReplay().apply(null);
            assertThat(differences).extracting(PointsDifference::userId).containsExactlyInAnyOrder(learner, other);
            assertThat(differences).filteredOn(d -> d.userId().equals(learner)).singleElement()
                    .extracting(PointsDifference::replayedLevel).isEqualTo(5); // 1 + 240 / 50
        } finally {
            admin("UPDATE analytics.level_curve SET kind = 'progressive', base_points = 100");
            db.system().gamification().ledgerReplay().apply(null);
        }
    }

    private static String snapshot() {
        return database.withAdmin(ctx -> String.valueOf(ctx.fetchValue(
                "SELECT string_agg(p::text, ',' ORDER BY user_id) FROM analytics.user_points p")));
    }

    private static void admin(String sql) throws Exception {
        try (Connection connection = database.connect(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
