package org.learninganalytics.db.aggregates;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.learninganalytics.db.AnalyticsDb;
import org.learninganalytics.db.aggregates.PeerComparison.Status;
import org.learninganalytics.db.tenancy.Principal;
import org.learninganalytics.db.tenancy.Role;
import org.learninganalytics.db.testing.FreshDatabase;
import org.learninganalytics.db.testing.TestDatabase;

/**
 * Peer comparison and skill demand: one level per learner, figures worked out by hand, k >= 10
 * for every figure, organization scope, and the differencing defence (figures change only when
 * at least 10 members changed). Each test that changes data has an organization of its own.
 */
@FreshDatabase
class AggregatesPgTest {

    private static TestDatabase database;
    private static AnalyticsDb db;
    private static Connection admin;

    private static final UUID PEERS = UUID.randomUUID();
    private static final UUID OTHER = UUID.randomUUID();
    /** Intermediate learners of PEERS: paces 1..12 and, for 0..10, average scores 70..80. */
    private static final List<UUID> intermediate = new ArrayList<>();
    /** Mastery 10 and 90: one intermediate learner, not a beginner and an advanced one as in the seed. */
    private static UUID spread;
    private static final List<UUID> beginners = new ArrayList<>();
    private static UUID withoutSkills;
    private static final List<UUID> others = new ArrayList<>();

    @BeforeAll
    static void arrange(TestDatabase testDatabase) throws SQLException {
        database = testDatabase;
        db = testDatabase.analyticsDb();
        admin = testDatabase.connect();
        sql("SET search_path = analytics");
        organization(PEERS);
        organization(OTHER);
        for (int i = 0; i < 12; i++) {
            UUID learner = learner(PEERS, 50);
            velocity(learner, i + 1, "now() - interval '1 hour'", "now() + interval '1 day'");
            if (i <= 10) performance(learner, 70 + i, 3);
            else performance(learner, 5, 0); // no assessment: no score, not a zero
            intermediate.add(learner);
        }
        spread = learner(PEERS, 10, 90);
        // Latest unexpired velocity: 13 (an older 50 is superseded, a newer 99 has expired).
        velocity(spread, 50, "now() - interval '3 days'", "now() + interval '1 day'");
        velocity(spread, 13, "now() - interval '2 hours'", "now() + interval '1 day'");
        velocity(spread, 99, "now() - interval '1 hour'", "now() - interval '1 minute'");
        for (int i = 0; i < 9; i++) beginners.add(learner(PEERS, 10));
        withoutSkills = learner(PEERS);
        for (int i = 0; i < 10; i++) {
            UUID learner = learner(OTHER, 60);
            velocity(learner, 20, "now() - interval '1 hour'", "now() + interval '1 day'");
            others.add(learner);
        }
        db.system().aggregates().refresh();
    }

    @AfterAll
    static void close() throws SQLException {
        admin.close();
    }

    @Test
    void each_learner_counts_once_at_the_level_of_the_mean_of_their_mastery() throws SQLException {
        // 12 at mastery 50 and the learner at 10 and 90 (mean 50): 13 intermediate; the 9 beginners stay unpublished,
        // where the seed's row-by-row join made the spread learner a tenth beginner and an advanced learner too.
        assertThat(query("SELECT string_agg(competency_level || '=' || learners, ',' ORDER BY competency_level)"
                + " FROM peer_comparison_aggregates WHERE organization_id = '" + PEERS + "'")).isEqualTo("intermediate=13");
        assertThat(query("SELECT velocity_learners || '/' || score_learners FROM peer_comparison_aggregates"
                + " WHERE organization_id = '" + PEERS + "'")).as("one velocity and one performance per learner").isEqualTo("13/11");
    }

    @Test
    void a_learner_sees_their_own_figures_against_their_peers_worked_out_by_hand() {
        PeerComparison mine = as(intermediate.get(0)).aggregates().peerComparison();

        assertThat(mine.status()).isEqualTo(Status.COMPARED);
        assertThat(mine.level()).isEqualTo(CompetencyLevel.INTERMEDIATE);
        assertThat(mine.myMeanMastery()).isEqualByComparingTo("50");
        assertThat(mine.myVelocity()).isEqualByComparingTo("1");
        assertThat(mine.myAvgScore()).isEqualByComparingTo("70");
        // paces 1..13: mean 91/13 = 7.0, median the 7th = 7.0; scores 70..80 of 11 assessed learners: mean 75
        assertThat(mine.peers().avgVelocity()).isEqualByComparingTo("7.0");
        assertThat(mine.peers().medianVelocity()).isEqualByComparingTo("7.0");
        assertThat(mine.peers().avgScore()).isEqualByComparingTo("75");
        assertThat(mine.peers().learnersAtLeast()).isEqualTo(10);
        assertThat(mine.peers().learnersAtMost()).as("13 learners are shown as the band 10-19").isEqualTo(19);
        assertThat(mine.peers().valuesAsOf()).isNotNull();
        assertThat(mine.refreshedAt()).isNotNull();
        assertThat(as(spread).aggregates().peerComparison().myVelocity()).as("latest unexpired velocity").isEqualByComparingTo("13");
    }

    @Test
    void cells_and_figures_under_ten_learners_are_not_published() throws SQLException {
        PeerComparison beginner = as(beginners.get(0)).aggregates().peerComparison();
        assertThat(beginner.status()).isEqualTo(Status.TOO_FEW_PEERS);
        assertThat(beginner.level()).isEqualTo(CompetencyLevel.BEGINNER);
        assertThat(beginner.peers()).isNull();

        PeerComparison other = as(others.get(0)).aggregates().peerComparison();
        assertThat(other.peers().avgVelocity()).isEqualByComparingTo("20.0");
        assertThat(other.peers().avgScore()).as("nobody of the 10 was assessed").isNull();

        // 10 peers, of whom only 9 have a score: the score is withheld, the velocity is shown.
        UUID org = UUID.randomUUID();
        organization(org);
        List<UUID> ten = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            UUID learner = learner(org, 80);
            velocity(learner, 5, "now() - interval '1 hour'", "now() + interval '1 day'");
            if (i < 9) performance(learner, 90, 2);
            ten.add(learner);
        }
        db.system().aggregates().refreshPeerComparison();
        PeerFigures figures = as(ten.get(0)).aggregates().peerComparison().peers();
        assertThat(figures.avgVelocity()).isEqualByComparingTo("5.0");
        assertThat(figures.avgScore()).isNull();
        assertThat(as(ten.get(0)).aggregates().peerComparison().myAvgScore()).as("the learner's own score is theirs to see")
                .isEqualByComparingTo("90");
    }

    @Test
    void without_mastery_or_organization_there_is_no_level_to_compare_at() throws SQLException {
        assertThat(as(withoutSkills).aggregates().peerComparison()).satisfies(mine -> {
            assertThat(mine.status()).isEqualTo(Status.INSUFFICIENT_DATA);
            assertThat(mine.level()).isNull();
            assertThat(mine.peers()).isNull();
        });
        UUID platformAdmin = UUID.randomUUID();
        sql("INSERT INTO users (id, email) VALUES ('" + platformAdmin + "', '" + platformAdmin + "@platform.test')");
        sql("INSERT INTO user_roles (user_id, role) VALUES ('" + platformAdmin + "', 'platform_admin')");
        assertThat(db.as(new Principal(platformAdmin, null, Set.of(Role.PLATFORM_ADMIN))).aggregates().peerComparison().status())
                .isEqualTo(Status.INSUFFICIENT_DATA);
    }

    @Test
    void a_reader_sees_only_their_own_organization_whatever_their_principal_claims() {
        // A principal that claims the other organization: the organization comes from users, not from the caller.
        Principal lying = new Principal(others.get(0), PEERS, Set.of(Role.ORG_ADMIN));
        assertThat(db.as(lying).aggregates().peerComparison().peers().avgVelocity()).isEqualByComparingTo("20.0");
        assertThat(as(intermediate.get(3)).aggregates().peerComparison().peers().avgVelocity()).isEqualByComparingTo("7.0");
    }

    @Test
    void users_cannot_read_the_views_or_the_published_tables_directly() throws SQLException {
        try (Connection app = database.connectAsApp(); Statement sql = app.createStatement()) {
            app.setAutoCommit(false);
            sql.execute("SELECT set_config('request.jwt.claims', '{\"sub\": \"" + intermediate.get(0) + "\"}', true)");
            sql.execute("SET LOCAL ROLE analytics_authenticated");
            for (String relation : List.of("peer_comparison_aggregates", "peer_comparison_published", "skill_demand_aggregates",
                    "skill_demand_published", "aggregate_refreshes")) {
                sql.execute("SAVEPOINT s");
                assertThatThrownBy(() -> sql.executeQuery("SELECT * FROM analytics." + relation)).as(relation)
                        .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("42501"));
                sql.execute("ROLLBACK TO SAVEPOINT s");
            }
            assertThatThrownBy(() -> sql.executeQuery("SELECT analytics.refresh_aggregate('peer_comparison')"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("42501"));
            app.rollback();
        }
    }

    /**
     * The attack: a learner X joins a cell between two refreshes; n x mean(after) - (n - 1) x
     * mean(before) would be X's velocity. Then the cell shrinks under 10 and comes back with X in
     * it. The figures stay those of the first publication until 10 members changed.
     */
    @Test
    void comparing_two_refreshes_does_not_reveal_a_learner_who_joined_or_left() throws SQLException {
        UUID org = UUID.randomUUID();
        organization(org);
        List<UUID> members = new ArrayList<>();
        for (int i = 0; i < 12; i++) members.add(withPace(learner(org, 50), 10));
        db.system().aggregates().refreshPeerComparison();
        PeerFigures first = as(members.get(11)).aggregates().peerComparison().peers();
        assertThat(first.avgVelocity()).isEqualByComparingTo("10.0");

        UUID newcomer = withPace(learner(org, 50), 99);
        db.system().aggregates().refreshPeerComparison();
        assertThat(as(members.get(11)).aggregates().peerComparison().peers()).as("one joined: same figures").isEqualTo(first);
        assertThat(as(newcomer).aggregates().peerComparison().peers()).as("the newcomer sees them too").isEqualTo(first);

        velocity(newcomer, 98, "now() - interval '1 minute'", "now() + interval '1 day'");
        db.system().aggregates().refreshPeerComparison();
        assertThat(as(members.get(11)).aggregates().peerComparison().peers()).as("one changed value: same figures").isEqualTo(first);

        for (int i = 0; i < 4; i++) sql("DELETE FROM user_skills WHERE user_id = '" + members.get(i) + "'");
        db.system().aggregates().refreshPeerComparison(); // 8 + the newcomer: under 10, withdrawn
        assertThat(as(members.get(11)).aggregates().peerComparison().status()).isEqualTo(Status.TOO_FEW_PEERS);

        sql("INSERT INTO user_skills (user_id, skill_id, mastery_level) VALUES ('" + members.get(0) + "', 'skill-react', 50)");
        db.system().aggregates().refreshPeerComparison(); // 10 again; 3 left and 1 joined since the figures: 4 changes
        // Without the defence: (9 x 10 + 98) / 10 = 18.8, and 10 x 18.8 - 9 x 10 = 98, the newcomer's pace.
        assertThat(as(members.get(11)).aggregates().peerComparison().peers()).as("back with 4 changes: the old figures").isEqualTo(first);

        for (int i = 0; i < 10; i++) withPace(learner(org, 50), 30);
        db.system().aggregates().refreshPeerComparison(); // 14 changes: new figures
        PeerFigures renewed = as(members.get(11)).aggregates().peerComparison().peers();
        // 9 x 10 + 98 + 10 x 30 = 488 over 20 learners = 24.4; median of nine 10s, ten 30s and 98: 30
        assertThat(renewed.avgVelocity()).isEqualByComparingTo("24.4");
        assertThat(renewed.medianVelocity()).isEqualByComparingTo("30.0");
        assertThat(renewed.learnersAtLeast()).isEqualTo(20);
        assertThat(renewed.learnersAtMost()).isEqualTo(49);
        assertThat(renewed.valuesAsOf()).isAfter(first.valuesAsOf());
    }

    // --- skill demand

    private static final String THIS_MONTH = "greatest(date_trunc('month', now()), now() - interval '1 hour')";
    private static final String LAST_MONTH = "date_trunc('month', now()) - interval '10 days'";

    @Test
    void skill_demand_per_organization_and_platform_wide_worked_out_by_hand() throws SQLException {
        UUID a = UUID.randomUUID();
        UUID b = UUID.randomUUID();
        organization(a);
        organization(b);
        sql("INSERT INTO skills (id, name) VALUES ('sd-sql', 'SQL') ON CONFLICT DO NOTHING");
        List<UUID> learnersA = new ArrayList<>();
        for (int i = 0; i < 12; i++) learnersA.add(learner(a));
        // Last month: 10 learners of A; nine scored 0.8, one -0.5 (counted as 0): mean 720 / 10 = 72.0.
        for (int i = 0; i < 10; i++) assessment(learnersA.get(i), "sd-sql", i == 9 ? -0.5 : 0.8, "passed", LAST_MONTH);
        // This month: 12 learners of A, an early 0.1 each and then their latest, 0.5 (six) or 0.7 (six): mean 60.0.
        for (int i = 0; i < 12; i++) {
            assessment(learnersA.get(i), "sd-sql", 0.1, "failed", THIS_MONTH + " - interval '2 minutes'");
            assessment(learnersA.get(i), "sd-sql", i < 6 ? 0.5 : 0.7, i < 6 ? "failed" : "passed", THIS_MONTH);
        }
        // Not assessments: a completion with a score, a pass without one.
        UUID notAssessed = learner(a);
        assessment(notAssessed, "sd-sql", 1.0, "completed", THIS_MONTH);
        assessment(notAssessed, "sd-sql", null, "passed", THIS_MONTH);
        // B: 5 learners, all 1.0: never published, and not part of the platform-wide figures either.
        List<UUID> learnersB = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            learnersB.add(learner(b));
            assessment(learnersB.get(i), "sd-sql", 1.0, "passed", THIS_MONTH);
        }
        db.system().aggregates().refreshSkillDemand();

        YearMonth thisMonth = month("date_trunc('month', now() - interval '1 hour')");
        YearMonth lastMonth = thisMonth.minusMonths(1);
        List<SkillDemand> seenByA = as(learnersA.get(0)).aggregates().skillDemand("sd-sql", 50, null).items();
        assertThat(seenByA).extracting(SkillDemand::month).containsExactly(thisMonth, lastMonth);
        // 12 against 10: +20.0 %
        assertThat(seenByA.get(0).organization()).isEqualTo(new SkillDemandFigures(12, new BigDecimal("60.0"), new BigDecimal("20.0")));
        assertThat(seenByA.get(0).platform()).as("B's 5 learners are left out").isEqualTo(seenByA.get(0).organization());
        assertThat(seenByA.get(1).organization()).isEqualTo(new SkillDemandFigures(10, new BigDecimal("72.0"), null));
        assertThat(seenByA.get(0).skillName()).isEqualTo("SQL");

        List<SkillDemand> seenByB = as(learnersB.get(0)).aggregates().skillDemand("sd-sql", 50, null).items();
        assertThat(seenByB).extracting(SkillDemand::organization).containsOnlyNulls();
        assertThat(seenByB).extracting(SkillDemand::platform).containsExactly(seenByA.get(0).platform(), seenByA.get(1).platform());

        // Pages of one row join up.
        SkillDemandPage first = as(learnersA.get(0)).aggregates().skillDemand("sd-sql", 1, null);
        SkillDemandPage second = as(learnersA.get(0)).aggregates().skillDemand("sd-sql", 1, first.nextCursor());
        assertThat(List.of(first.items().get(0), second.items().get(0))).isEqualTo(seenByA);
        assertThat(as(learnersA.get(0)).aggregates().skillDemand("sd-sql", 1, second.nextCursor()).items()).isEmpty();
        assertThatThrownBy(() -> as(learnersA.get(0)).aggregates().skillDemand(null, 501, null))
                .isInstanceOf(InvalidAggregateRequestException.class);
        assertThatThrownBy(() -> as(learnersA.get(0)).aggregates().skillDemand(null, 5, "not-a-cursor"))
                .isInstanceOf(InvalidAggregateRequestException.class);

        // One more learner of A this month: the figures stay until 10 members changed.
        UUID late = learner(a);
        assessment(late, "sd-sql", 1.0, "passed", THIS_MONTH);
        db.system().aggregates().refreshSkillDemand();
        assertThat(as(learnersA.get(0)).aggregates().skillDemand("sd-sql", 50, null).items().get(0).organization())
                .isEqualTo(seenByA.get(0).organization());
    }

    // --- fixture helpers

    private static PrincipalSession as(UUID userId) {
        return new PrincipalSession(db, userId);
    }

    /** A user session from the database's own view of the user (as the HTTP layer makes one). */
    private record PrincipalSession(AnalyticsDb db, UUID userId) {
        Aggregates aggregates() {
            return db.as(db.principal(userId).orElseThrow()).aggregates();
        }
    }

    private static YearMonth month(String expression) throws SQLException {
        ZonedDateTime start = ZonedDateTime.parse(query("SELECT to_char((" + expression + ") AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"));
        return YearMonth.from(start.withZoneSameInstant(ZoneOffset.UTC));
    }

    private static void organization(UUID id) throws SQLException {
        sql("INSERT INTO organizations (id, name) VALUES ('" + id + "', 'Org " + id + "')");
    }

    private static UUID learner(UUID org, double... mastery) throws SQLException {
        UUID id = UUID.randomUUID();
        sql("INSERT INTO users (id, email, organization_id) VALUES ('" + id + "', '" + id + "@aggregates.test', '" + org + "')");
        sql("INSERT INTO user_roles (user_id, role) VALUES ('" + id + "', 'learner')");
        String[] skills = {"skill-react", "skill-css", "skill-html"};
        for (int i = 0; i < mastery.length; i++) {
            sql("INSERT INTO user_skills (user_id, skill_id, mastery_level) VALUES ('" + id + "', '" + skills[i] + "', " + mastery[i] + ")");
        }
        return id;
    }

    private static UUID withPace(UUID learner, double pace) throws SQLException {
        velocity(learner, pace, "now() - interval '1 hour'", "now() + interval '1 day'");
        return learner;
    }

    private static void velocity(UUID learner, double pace, String calculatedAt, String expiresAt) throws SQLException {
        sql("INSERT INTO learner_velocity_analytics (user_id, current_pace, target_pace, trend_direction, trend_percentage, status,"
                + " calculated_at, expires_at) VALUES ('" + learner + "', " + pace + ", 8.33, 'stable', 0, 'on_track', " + calculatedAt
                + ", " + expiresAt + ")");
    }

    private static void performance(UUID learner, double score, int assessments) throws SQLException {
        sql("INSERT INTO performance_analytics (user_id, avg_score, trend, assessments_taken, pass_rate, performance_by_skill,"
                + " recent_scores, expires_at) VALUES ('" + learner + "', " + score + ", 'stable', " + assessments + ", 50, '{}', '[]',"
                + " now() + interval '1 day')");
    }

    private static void assessment(UUID learner, String skill, Double score, String verb, String at) throws SQLException {
        sql("INSERT INTO learning_events (event_id, user_id, verb, object_id, object_type, skill_id, score_scaled, occurred_at)"
                + " VALUES (gen_random_uuid(), '" + learner + "', '" + verb + "', 'quiz-" + skill + "', 'quiz', '" + skill + "', "
                + score + ", " + at + ")");
    }

    private static synchronized void sql(String statement) throws SQLException {
        try (Statement sql = admin.createStatement()) {
            sql.execute(statement);
        }
    }

    private static synchronized String query(String query) throws SQLException {
        try (Statement sql = admin.createStatement(); var rows = sql.executeQuery(query)) {
            rows.next();
            return rows.getString(1);
        }
    }
}
