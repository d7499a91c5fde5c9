package org.learninganalytics.db.leaderboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.time.Instant;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.learninganalytics.db.AnalyticsDb;
import org.learninganalytics.db.UserSession;
import org.learninganalytics.db.gamification.Award;
import org.learninganalytics.db.ingestion.Organization;
import org.learninganalytics.db.ingestion.User;
import org.learninganalytics.db.preferences.LeaderboardPrivacy;
import org.learninganalytics.db.tenancy.Principal;
import org.learninganalytics.db.tenancy.Role;
import org.learninganalytics.db.testing.FreshDatabase;
import org.learninganalytics.db.testing.TestDatabase;

/**
 * Leaderboards rank within the caller's organization, apply privacy at read time, page by
 * keyset with a deterministic tie order, and stay readable while they are refreshed.
 */
@FreshDatabase
class LeaderboardsPgTest {

    private static AnalyticsDb db;
    private static final UUID ORG = UUID.randomUUID();
    private static final UUID OTHER_ORG = UUID.randomUUID();
    /** In ORG, with weekly points 500, 300 (anonymous), 300, 200 (hidden), 100, 50. */
    private static final List<UUID> members = new ArrayList<>();
    private static UUID outsider;

    @BeforeAll
    static void arrange(TestDatabase database) throws Exception {
        db = database.analyticsDb();
        try (var connection = database.connect(); var sql = connection.createStatement()) {
            sql.execute("INSERT INTO analytics.activity_rules (activity_type, points) VALUES ('board_test', 1)");
        }
        db.system().ingestion().upsertOrganizations(List.of(new Organization(ORG, "Board Org", null, null),
                new Organization(OTHER_ORG, "Other Org", null, null)));
        int[] points = {500, 300, 300, 200, 100, 50};
        for (int i = 0; i < points.length; i++) {
            members.add(user(ORG, "Member " + i, points[i]));
        }
        outsider = user(OTHER_ORG, "Outsider", 1000);
        as(members.get(1)).preferences().setLeaderboardPrivacy(LeaderboardPrivacy.ANONYMOUS);
        as(members.get(3)).preferences().setLeaderboardPrivacy(LeaderboardPrivacy.HIDDEN);
        db.system().leaderboards().refresh();
    }

    @AfterAll
    static void close() {
        db.close();
    }

    @Test
    void ranks_stay_within_the_organization_and_hidden_users_leave_no_gap() {
        LeaderboardPage page = as(members.get(5)).leaderboards().top(Board.WEEKLY, 50);

        assertThat(page.entries()).extracting(LeaderboardEntry::points).containsExactly(500L, 300L, 300L, 100L, 50L);
        assertThat(page.entries()).extracting(LeaderboardEntry::rank).containsExactly(1L, 2L, 2L, 4L, 5L);
        assertThat(page.entries()).extracting(LeaderboardEntry::userId).doesNotContain(outsider, members.get(3));
        assertThat(page.entries()).filteredOn(LeaderboardEntry::me).extracting(LeaderboardEntry::points).containsExactly(50L);
        assertThat(page.refreshedAt()).isNotNull();
        assertThat(page.nextCursor()).isNull();
        assertThat(as(outsider).leaderboards().top(Board.WEEKLY, 50).entries()).extracting(LeaderboardEntry::userId)
                .contains(outsider).doesNotContainAnyElementsOf(members);
    }

    @ParameterizedTest
    @EnumSource(Board.class)
    void every_board_applies_each_privacy_mode_and_stays_within_the_organization(Board board) {
        List<LeaderboardEntry> entries = as(members.get(5)).leaderboards().top(board, 50).entries();

        assertThat(entries).extracting(LeaderboardEntry::points).containsExactly(500L, 300L, 300L, 100L, 50L);
        assertThat(entries).extracting(LeaderboardEntry::rank).containsExactly(1L, 2L, 2L, 4L, 5L);
        assertThat(entries).extracting(LeaderboardEntry::userId).as("hidden and other organizations' users are absent")
                .doesNotContain(members.get(3), outsider);
        assertThat(entries).extracting(LeaderboardEntry::displayName).doesNotContain("Member 3", "Member 1", "Outsider");
        assertThat(anonymous(entries).displayName()).as("the same pseudonym on every board")
                .isEqualTo(anonymous(as(members.get(0)).leaderboards().top(Board.WEEKLY, 50).entries()).displayName());
        assertThat(entries).filteredOn(e -> e.userId() != null).extracting(LeaderboardEntry::displayName)
                .containsExactly("Member 0", "Member 2", "Member 4", "Member 5");
        assertThat(as(members.get(3)).leaderboards().aroundMe(board, 5).entries()).as("a hidden user has no rank").isEmpty();
        assertThat(as(members.get(1)).leaderboards().aroundMe(board, 0).entries()).singleElement()
                .satisfies(me -> assertThat(me.userId()).isNull()).satisfies(me -> assertThat(me.me()).isTrue());
        assertThat(as(outsider).leaderboards().top(board, 50).entries()).extracting(LeaderboardEntry::userId)
                .contains(outsider).doesNotContainAnyElementsOf(members);
    }

    @Test
    void anonymous_users_show_a_stable_pseudonym_without_name_or_id() {
        List<LeaderboardEntry> first = as(members.get(0)).leaderboards().top(Board.WEEKLY, 50).entries();
        LeaderboardEntry anonymous = first.stream().filter(e -> e.userId() == null).findFirst().orElseThrow();

        assertThat(anonymous.displayName()).matches("Anonymous [0-9A-F]{6}").doesNotContain("Member");
        assertThat(as(members.get(4)).leaderboards().top(Board.WEEKLY, 50).entries())
                .filteredOn(e -> e.userId() == null).extracting(LeaderboardEntry::displayName).containsExactly(anonymous.displayName());
        assertThat(first).filteredOn(e -> e.userId() != null).extracting(LeaderboardEntry::displayName).allMatch(n -> n.startsWith("Member"));
    }

    @Test
    void ties_are_ordered_deterministically_and_pages_join_up_without_revealing_ids() {
        List<LeaderboardEntry> all = as(members.get(0)).leaderboards().top(Board.WEEKLY, 50).entries();
        List<LeaderboardEntry> paged = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            LeaderboardPage page = as(members.get(0)).leaderboards().page(Board.WEEKLY, 2, cursor);
            paged.addAll(page.entries());
            cursor = page.nextCursor();
            if (cursor != null) {
                String decoded = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
                assertThat(decoded).as("cursor").matches("\\d+:\\d+");
            }
            pages++;
        } while (cursor != null && pages < 10);

        assertThat(paged).isEqualTo(all);
        List<LeaderboardEntry> tied = all.stream().filter(e -> e.points() == 300).toList();
        assertThat(tied).hasSize(2).allMatch(e -> e.rank() == 2);
    }

    @Test
    void my_rank_comes_with_my_neighbours() {
        LeaderboardPage around = as(members.get(4)).leaderboards().aroundMe(Board.WEEKLY, 1);

        assertThat(around.entries()).extracting(LeaderboardEntry::points).containsExactly(300L, 100L, 50L);
        assertThat(around.entries()).extracting(LeaderboardEntry::rank).containsExactly(2L, 4L, 5L);
        assertThat(around.entries().get(1).me()).isTrue();
        assertThat(as(members.get(0)).leaderboards().aroundMe(Board.WEEKLY, 2).entries())
                .extracting(LeaderboardEntry::rank).containsExactly(1L, 2L, 2L);
        assertThat(as(members.get(3)).leaderboards().aroundMe(Board.WEEKLY, 2).entries()).as("hidden").isEmpty();
    }

    @Test
    void a_privacy_change_takes_effect_before_the_next_refresh() {
        UUID late = user(ORG, "Late Changer", 75);
        db.system().leaderboards().refresh();
        assertThat(names(as(members.get(0)).leaderboards().top(Board.WEEKLY, 50))).contains("Late Changer");

        as(late).preferences().setLeaderboardPrivacy(LeaderboardPrivacy.HIDDEN);
        assertThat(names(as(members.get(0)).leaderboards().top(Board.WEEKLY, 50))).doesNotContain("Late Changer");

        as(late).preferences().setLeaderboardPrivacy(LeaderboardPrivacy.PUBLIC);
        assertThat(names(as(members.get(0)).leaderboards().top(Board.WEEKLY, 50))).contains("Late Changer");
        as(late).preferences().setLeaderboardPrivacy(LeaderboardPrivacy.HIDDEN);
    }

    @Test
    void new_points_show_on_the_all_time_board_at_once_and_on_the_weekly_board_after_a_refresh() {
        UUID climber = user(OTHER_ORG, "Climber", 10);
        db.system().leaderboards().refresh();
        db.system().gamification().awards().award(new Award(climber, "board_test", UUID.randomUUID().toString(), 5000, null, null));

        assertThat(as(climber).leaderboards().top(Board.ALL_TIME, 1).entries()).singleElement()
                .extracting(LeaderboardEntry::points).isEqualTo(5010L);
        LeaderboardPage before = as(climber).leaderboards().top(Board.WEEKLY, 1);
        assertThat(before.entries().get(0).userId()).isEqualTo(outsider);

        db.system().leaderboards().refresh();
        LeaderboardPage after = as(climber).leaderboards().top(Board.MONTHLY, 1);
        assertThat(after.entries().get(0).userId()).isEqualTo(climber);
        assertThat(as(climber).leaderboards().top(Board.WEEKLY, 1).refreshedAt()).isAfter(before.refreshedAt());
    }

    @Test
    void a_user_who_moved_to_another_organization_is_anonymous_on_the_old_board_until_the_refresh() {
        UUID mover = user(ORG, "Mover", 60);
        db.system().leaderboards().refresh();
        db.system().ingestion().upsertUsers(List.of(new User(mover, mover + "@board.test", "Mover", null, OTHER_ORG, Set.of(Role.LEARNER))));

        try {
            List<LeaderboardEntry> before = as(members.get(0)).leaderboards().top(Board.WEEKLY, 50).entries();
            assertThat(before).extracting(LeaderboardEntry::points).as("ranks stay as refreshed").contains(60L);
            assertThat(before).extracting(LeaderboardEntry::userId).doesNotContain(mover);
            assertThat(before).extracting(LeaderboardEntry::displayName).doesNotContain("Mover");
            assertThat(as(members.get(0)).leaderboards().top(Board.ALL_TIME, 50).entries()).extracting(LeaderboardEntry::points)
                    .as("the live board follows at once").doesNotContain(60L);
        } finally {
            db.system().leaderboards().refresh(); // the other tests expect the board without the mover
        }
        assertThat(as(members.get(0)).leaderboards().top(Board.WEEKLY, 50).entries()).extracting(LeaderboardEntry::points).doesNotContain(60L);
        assertThat(db.as(new Principal(mover, OTHER_ORG, Set.of(Role.LEARNER))).leaderboards().top(Board.WEEKLY, 50).entries())
                .extracting(LeaderboardEntry::displayName).contains("Mover");
    }

    @Test
    void a_refresh_of_either_board_refreshes_both_and_the_live_board_has_nothing_to_refresh() {
        Leaderboards boards = as(members.get(0)).leaderboards();
        Instant weekly = boards.top(Board.WEEKLY, 1).refreshedAt();
        Instant monthly = boards.top(Board.MONTHLY, 1).refreshedAt();

        db.system().leaderboards().refresh(Board.WEEKLY);

        // Both boards take the same deltas in one statement (R__230), so both say so.
        Instant refreshed = boards.top(Board.WEEKLY, 1).refreshedAt();
        assertThat(refreshed).isAfter(weekly);
        assertThat(boards.top(Board.MONTHLY, 1).refreshedAt()).isAfter(monthly).isEqualTo(refreshed);
        assertThatThrownBy(() -> db.system().leaderboards().refresh(Board.ALL_TIME))
                .isInstanceOf(InvalidLeaderboardRequestException.class).hasMessageContaining("live");
    }

    @Test
    void readers_keep_reading_while_the_views_refresh_concurrently() throws Exception {
        AtomicBoolean refreshing = new AtomicBoolean(true);
        AtomicInteger reads = new AtomicInteger();
        try (ExecutorService threads = Executors.newFixedThreadPool(4)) {
            List<Future<?>> readers = new ArrayList<>();
            for (int t = 0; t < 3; t++) {
                readers.add(threads.submit(() -> {
                    while (refreshing.get()) {
                        assertThat(as(members.get(0)).leaderboards().top(Board.WEEKLY, 10).entries()).hasSizeGreaterThanOrEqualTo(5);
                        reads.incrementAndGet();
                    }
                    return null;
                }));
            }
            for (int i = 0; i < 10; i++) db.system().leaderboards().refresh();
            refreshing.set(false);
            for (Future<?> reader : readers) reader.get();
        }
        assertThat(reads.get()).isPositive();
    }

    @Test
    void users_without_an_organization_see_empty_boards_and_bad_requests_are_refused() {
        UUID platform = UUID.randomUUID();
        db.system().ingestion().upsertUsers(List.of(new User(platform, platform + "@p.test", "P", null, null, Set.of(Role.PLATFORM_ADMIN))));
        LeaderboardPage empty = db.as(new Principal(platform, null, Set.of(Role.PLATFORM_ADMIN))).leaderboards().top(Board.WEEKLY, 10);
        assertThat(empty.entries()).isEmpty();
        assertThat(empty.refreshedAt()).as("an empty page still says when its view was refreshed").isNotNull();
        assertThat(empty.nextCursor()).isNull();

        Leaderboards mine = as(members.get(0)).leaderboards();
        assertThatThrownBy(() -> mine.top(Board.WEEKLY, 0)).isInstanceOf(InvalidLeaderboardRequestException.class)
                .hasMessage("limit must be between 1 and 500");
        assertThatThrownBy(() -> mine.page(Board.WEEKLY, 10, "not a cursor!")).isInstanceOf(InvalidLeaderboardRequestException.class);
        assertThatThrownBy(() -> mine.aroundMe(Board.WEEKLY, 51)).isInstanceOf(InvalidLeaderboardRequestException.class);
    }

    private static LeaderboardEntry anonymous(List<LeaderboardEntry> entries) {
        List<LeaderboardEntry> anonymous = entries.stream().filter(e -> e.userId() == null).toList();
        assertThat(anonymous).hasSize(1);
        return anonymous.get(0);
    }

    private static List<String> names(LeaderboardPage page) {
        return page.entries().stream().sorted(Comparator.comparingLong(LeaderboardEntry::rank)).map(LeaderboardEntry::displayName).toList();
    }

    private static UUID user(UUID org, String name, int points) {
        UUID id = UUID.randomUUID();
        db.system().ingestion().upsertUsers(List.of(new User(id, id + "@board.test", name, null, org, Set.of(Role.LEARNER))));
        db.system().gamification().awards().award(new Award(id, "board_test", UUID.randomUUID().toString(), points, null, null));
        return id;
    }

    private static UserSession as(UUID user) {
        UUID org = user.equals(outsider) ? OTHER_ORG : ORG;
        return db.as(new Principal(user, org, Set.of(Role.LEARNER)));
    }
}
