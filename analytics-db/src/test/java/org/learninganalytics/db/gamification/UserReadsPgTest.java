package org.learninganalytics.db.gamification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.learninganalytics.db.AnalyticsDb;
import org.learninganalytics.db.AnalyticsDbException;
import org.learninganalytics.db.UserSession;
import org.learninganalytics.db.ingestion.Course;
import org.learninganalytics.db.ingestion.Enrollment;
import org.learninganalytics.db.ingestion.Organization;
import org.learninganalytics.db.ingestion.User;
import org.learninganalytics.db.tenancy.Principal;
import org.learninganalytics.db.tenancy.Role;
import org.learninganalytics.db.testing.FreshDatabase;
import org.learninganalytics.db.testing.TestDatabase;

/**
 * What users read of points and achievements: the ledger page by page, earned achievements
 * and totals, each only for users the caller may see, with "not visible" and "does not
 * exist" alike.
 */
@FreshDatabase
class UserReadsPgTest {

    private static final UUID ORG_A = UUID.randomUUID();
    private static final UUID ORG_B = UUID.randomUUID();
    private static final UUID LEARNER = UUID.randomUUID();
    private static final UUID OTHER_LEARNER = UUID.randomUUID();
    private static final UUID NEWCOMER = UUID.randomUUID();
    private static final UUID TRAINER = UUID.randomUUID();
    private static final UUID ORG_ADMIN = UUID.randomUUID();
    private static final UUID OUTSIDER = UUID.randomUUID();
    private static final UUID PLATFORM_ADMIN = UUID.randomUUID();
    /** The learner's ledger rows written with shared instants: 60 rows, three per second. */
    private static final int TIED_ROWS = 60;

    private static TestDatabase database;
    private static AnalyticsDb db;

    @BeforeAll
    static void arrange(TestDatabase testDatabase) throws SQLException {
        database = testDatabase;
        db = testDatabase.analyticsDb();
        var ingestion = db.system().ingestion();
        ingestion.upsertOrganizations(List.of(new Organization(ORG_A, "Org A", null, null), new Organization(ORG_B, "Org B", null, null)));
        ingestion.upsertUsers(List.of(
                new User(LEARNER, "learner@a.test", "Learner", null, ORG_A, Set.of(Role.LEARNER)),
                new User(OTHER_LEARNER, "other@a.test", "Other", null, ORG_A, Set.of(Role.LEARNER)),
                new User(NEWCOMER, "new@a.test", "Newcomer", null, ORG_A, Set.of(Role.LEARNER)),
                new User(TRAINER, "trainer@a.test", "Trainer", null, ORG_A, Set.of(Role.TRAINER)),
                new User(ORG_ADMIN, "admin@a.test", "Admin", null, ORG_A, Set.of(Role.ORG_ADMIN)),
                new User(OUTSIDER, "outsider@b.test", "Outsider", null, ORG_B, Set.of(Role.LEARNER)),
                new User(PLATFORM_ADMIN, "platform@p.test", "Platform", null, null, Set.of(Role.PLATFORM_ADMIN))));
        UUID course = UUID.randomUUID();
        ingestion.upsertCourses(List.of(new Course(course, "Course", null, ORG_A, TRAINER)));
        ingestion.upsertEnrollments(List.of(new Enrollment(LEARNER, course, java.time.Instant.now(), null, java.math.BigDecimal.TEN)));
        admin("INSERT INTO analytics.activity_rules (activity_type, points) VALUES ('read_test', 5)");
        Awards awards = db.system().gamification().awards();
        for (UUID user : List.of(LEARNER, OTHER_LEARNER, OUTSIDER)) {
            awards.award(new Award(user, "read_test", "first-" + user, 100, "{\"lesson\": 1}", null)); // earns first-points
        }
        // Ties on the instant, as a service's batch with one occurredAt gives them; rows in the past, behind the award.
        admin("INSERT INTO analytics.point_transactions (user_id, points, activity_type, \"timestamp\")"
                + " SELECT '" + LEARNER + "', g, 'tie_test', timestamptz '2026-01-01 00:00:00+00' + (g / 3) * interval '1 second'"
                + " FROM generate_series(1, " + TIED_ROWS + ") g");
    }

    @Test
    void paging_walks_the_whole_ledger_newest_first_without_duplicates_or_gaps_across_ties() throws SQLException {
        List<UUID> expected = ledgerIds(LEARNER);
        assertThat(expected).hasSize(TIED_ROWS + 1);
        for (int limit : new int[] {1, 2, 3, 4, 7, TIED_ROWS + 1, 500}) {
            List<UUID> walked = new ArrayList<>();
            String cursor = null;
            int pages = 0;
            do {
                PointTransactionPage page = as(LEARNER).points().transactions(LEARNER, limit, cursor).orElseThrow();
                assertThat(page.entries().size()).isLessThanOrEqualTo(limit);
                page.entries().forEach(e -> walked.add(e.id()));
                cursor = page.nextCursor();
                pages++;
                if (cursor != null) assertThat(page.entries()).as("a page with a next cursor is full").hasSize(limit);
            } while (cursor != null && pages <= expected.size());
            assertThat(walked).as("limit " + limit).containsExactlyElementsOf(expected);
            assertThat(pages).as("no empty page at the end, limit " + limit).isEqualTo((expected.size() + limit - 1) / limit);
        }
    }

    @Test
    void an_entry_carries_activity_points_metadata_and_time() {
        PointTransaction newest = as(LEARNER).points().transactions(LEARNER, 1, null).orElseThrow().entries().getFirst();

        assertThat(newest.activityType()).isEqualTo("read_test");
        assertThat(newest.points()).isEqualTo(100);
        assertThat(newest.metadata()).isEqualTo("{\"lesson\": 1}");
        assertThat(newest.occurredAt()).isAfter(java.time.Instant.parse("2026-01-01T00:01:00Z"));
    }

    @Test
    void awards_after_the_first_page_do_not_shift_the_following_pages() throws SQLException {
        UUID user = UUID.randomUUID();
        db.system().ingestion().upsertUsers(List.of(new User(user, user + "@a.test", null, null, ORG_A, Set.of(Role.LEARNER))));
        Awards awards = db.system().gamification().awards();
        for (int i = 0; i < 5; i++) awards.award(new Award(user, "read_test", "shift-" + i + "-" + user, null, null, null));
        Points points = as(user).points();
        PointTransactionPage first = points.transactions(user, 2, null).orElseThrow();

        awards.award(new Award(user, "read_test", "shift-late-" + user, null, null, null));
        List<UUID> rest = new ArrayList<>();
        for (String cursor = first.nextCursor(); cursor != null; ) {
            PointTransactionPage page = points.transactions(user, 2, cursor).orElseThrow();
            page.entries().forEach(e -> rest.add(e.id()));
            cursor = page.nextCursor();
        }
        List<UUID> all = ledgerIds(user);
        assertThat(rest).containsExactlyElementsOf(all.subList(3, all.size())).hasSize(3);
    }

    @Test
    void the_ledger_is_read_only_for_users_the_caller_may_see() {
        assertThat(as(OUTSIDER).points().transactions(LEARNER, 10, null)).as("another organization").isEmpty();
        assertThat(as(OTHER_LEARNER).points().transactions(LEARNER, 10, null)).as("another learner").isEmpty();
        assertThat(as(LEARNER).points().transactions(UUID.randomUUID(), 10, null)).as("nobody").isEmpty();
        assertThat(as(TRAINER).points().transactions(LEARNER, 10, null)).as("the trainer of the learner's course")
                .hasValueSatisfying(page -> assertThat(page.entries()).hasSize(10));
        assertThat(as(TRAINER).points().transactions(OTHER_LEARNER, 10, null)).as("a learner not in the trainer's course").isEmpty();
        assertThat(as(ORG_ADMIN).points().transactions(OTHER_LEARNER, 10, null)).hasValueSatisfying(page -> assertThat(page.entries()).hasSize(1));
        assertThat(as(ORG_ADMIN).points().transactions(OUTSIDER, 10, null)).isEmpty();
        assertThat(as(PLATFORM_ADMIN).points().transactions(OUTSIDER, 10, null)).hasValueSatisfying(page -> assertThat(page.entries()).hasSize(1));
        assertThat(as(NEWCOMER).points().transactions(NEWCOMER, 10, null)).as("visible, nothing yet")
                .hasValueSatisfying(page -> {
                    assertThat(page.entries()).isEmpty();
                    assertThat(page.nextCursor()).isNull();
                });
    }

    @ParameterizedTest
    @ValueSource(strings = {"not a cursor!", "", "MTIz", "MToyOjM", "YWJjOjEyMw", "OTIyMzM3MjAzNjg1NDc3NTgwNzpub3QtYS11dWlk",
            "OTIyMzM3MjAzNjg1NDc3NTgwNzowMDAwMDAwMC0wMDAwLTAwMDAtMDAwMC0wMDAwMDAwMDAwMDA", "JyBPUiAxPTEgLS06eA"})
    void a_tampered_cursor_is_refused_as_invalid_input(String cursor) {
        assertThatThrownBy(() -> as(LEARNER).points().transactions(LEARNER, 10, cursor))
                .isInstanceOfSatisfying(InvalidPointsRequestException.class,
                        e -> assertThat(e.kind()).isEqualTo(AnalyticsDbException.Kind.INVALID_INPUT))
                .hasMessage("malformed cursor");
    }

    @Test
    void a_well_formed_cursor_from_elsewhere_only_moves_within_what_the_caller_sees() {
        String forged = Base64.getUrlEncoder().withoutPadding()
                .encodeToString(("4102444800000000:" + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8)); // 2100-01-01
        assertThat(as(LEARNER).points().transactions(LEARNER, 500, forged).orElseThrow().entries()).hasSize(TIED_ROWS + 1);
        assertThat(as(OUTSIDER).points().transactions(LEARNER, 500, forged)).isEmpty();
    }

    @Test
    void a_limit_out_of_range_is_refused() {
        for (int limit : new int[] {0, -1, 501}) {
            assertThatThrownBy(() -> as(LEARNER).points().transactions(LEARNER, limit, null))
                    .isInstanceOf(InvalidPointsRequestException.class).hasMessage("limit must be between 1 and 500");
        }
    }

    @Test
    void the_summary_is_empty_only_when_the_user_is_not_visible() {
        assertThat(as(NEWCOMER).points().summary(NEWCOMER)).as("visible, no points yet")
                .contains(new PointsSummary(NEWCOMER, 0, 1, 0, 0));
        assertThat(as(LEARNER).points().summary(LEARNER)).hasValueSatisfying(s -> assertThat(s.totalPoints()).isEqualTo(100));
        assertThat(as(OUTSIDER).points().summary(LEARNER)).isEmpty();
        assertThat(as(OUTSIDER).points().summary(NEWCOMER)).isEmpty();
        assertThat(as(LEARNER).points().summary(UUID.randomUUID())).isEmpty();
        assertThat(as(TRAINER).points().summary(LEARNER)).isPresent();
    }

    @Test
    void the_catalogue_is_everyone_s_and_earned_achievements_only_visible_users() {
        List<Achievement> catalogue = as(OUTSIDER).achievements().catalogue();
        assertThat(catalogue).extracting(Achievement::id).contains("first-points", "quiz-starter").isSorted();
        assertThat(catalogue).isEqualTo(db.system().gamification().rules().achievements());
        assertThat(catalogue).filteredOn(a -> a.id().equals("quiz-starter")).singleElement()
                .satisfies(a -> assertThat(a.criteria()).isEqualTo(AchievementCriteria.activities("quiz_completed", 5)));

        assertThat(as(LEARNER).achievements().earned(LEARNER)).hasValueSatisfying(earned -> assertThat(earned).singleElement()
                .satisfies(a -> {
                    assertThat(a.id()).isEqualTo("first-points");
                    assertThat(a.name()).isEqualTo("Getting Started");
                    assertThat(a.tier()).isEqualTo("beginner");
                    assertThat(a.earnedAt()).isNotNull();
                }));
        assertThat(as(TRAINER).achievements().earned(LEARNER)).hasValueSatisfying(earned -> assertThat(earned).hasSize(1));
        assertThat(as(OUTSIDER).achievements().earned(LEARNER)).as("another organization").isEmpty();
        assertThat(as(OTHER_LEARNER).achievements().earned(LEARNER)).isEmpty();
        assertThat(as(LEARNER).achievements().earned(UUID.randomUUID())).isEmpty();
        assertThat(as(NEWCOMER).achievements().earned(NEWCOMER)).as("visible, nothing earned").contains(List.of());
    }

    @Test
    void earned_achievements_come_newest_first() throws SQLException {
        admin("INSERT INTO analytics.user_achievements (user_id, achievement_id, earned_at) VALUES"
                + " ('" + OTHER_LEARNER + "', 'streak-3', now() + interval '1 minute'), ('" + OTHER_LEARNER + "', 'streak-7', now() - interval '1 day')");
        assertThat(as(OTHER_LEARNER).achievements().earned(OTHER_LEARNER).orElseThrow()).extracting(EarnedAchievement::id)
                .containsExactly("streak-3", "first-points", "streak-7");
    }

    /** The user's ledger as the administrator reads it, newest first, ties by id as PostgreSQL orders uuids. */
    private static List<UUID> ledgerIds(UUID user) throws SQLException {
        List<UUID> ids = new ArrayList<>();
        try (Connection connection = database.connect(); Statement sql = connection.createStatement();
             ResultSet rows = sql.executeQuery("SELECT id FROM analytics.point_transactions WHERE user_id = '" + user
                     + "' ORDER BY \"timestamp\" DESC, id DESC")) {
            while (rows.next()) ids.add(rows.getObject(1, UUID.class));
        }
        assertThat(new HashSet<>(ids)).hasSameSizeAs(ids);
        return ids;
    }

    private static void admin(String statement) throws SQLException {
        try (Connection connection = database.connect(); Statement sql = connection.createStatement()) {
            sql.execute(statement);
        }
    }

    private static UserSession as(UUID user) {
        return db.as(db.principal(user).orElseThrow());
    }
}
