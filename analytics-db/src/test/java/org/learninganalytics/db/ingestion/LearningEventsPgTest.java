package org.learninganalytics.db.ingestion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.learninganalytics.db.AnalyticsDb;
import org.learninganalytics.db.events.InvalidLearningEventsRequestException;
import org.learninganalytics.db.events.LearningEventPage;
import org.learninganalytics.db.tenancy.Principal;
import org.learninganalytics.db.tenancy.Role;
import org.learninganalytics.db.testing.FreshDatabase;
import org.learninganalytics.db.testing.TestDatabase;

/**
 * Learning events in (idempotent, set-based, all-or-nothing) and out (under RLS, keyset
 * pages); course skills and course length.
 */
@FreshDatabase
class LearningEventsPgTest {

    private static final UUID ORG_A = UUID.randomUUID();
    private static final UUID ORG_B = UUID.randomUUID();
    private static final UUID LEARNER_A = UUID.randomUUID();
    private static final UUID OTHER_A = UUID.randomUUID();
    private static final UUID ADMIN_A = UUID.randomUUID();
    private static final UUID LEARNER_B = UUID.randomUUID();
    private static final UUID COURSE_A = UUID.randomUUID();
    private static final UUID COURSE_B = UUID.randomUUID();
    /** A whole second a few hours ago: every time the tests use is inside the 90 days kept. */
    private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofHours(3));

    private static TestDatabase database;
    private static AnalyticsDb db;
    private static Ingestion ingestion;

    @BeforeAll
    static void arrange(TestDatabase testDatabase) {
        database = testDatabase;
        db = testDatabase.analyticsDb();
        ingestion = db.system().ingestion();
        ingestion.upsertOrganizations(List.of(new Organization(ORG_A, "Org A", null, null), new Organization(ORG_B, "Org B", null, null)));
        ingestion.upsertUsers(List.of(
                new User(LEARNER_A, "a@a.test", "Ann", null, ORG_A, Set.of(Role.LEARNER)),
                new User(OTHER_A, "o@a.test", "Otto", null, ORG_A, Set.of(Role.LEARNER)),
                new User(ADMIN_A, "admin@a.test", "Ada", null, ORG_A, Set.of(Role.ORG_ADMIN)),
                new User(LEARNER_B, "b@b.test", "Bea", null, ORG_B, Set.of(Role.LEARNER))));
        ingestion.upsertCourses(List.of(new Course(COURSE_A, "SQL", null, ORG_A, null, 6), new Course(COURSE_B, "Java", null, ORG_B, null)));
        ingestion.upsertSkills(List.of(new Skill("sql-joins", "Joins", "data", SkillLevel.BEGINNER),
                new Skill("sql-window", "Window functions", "data", SkillLevel.ADVANCED)));
    }

    @AfterAll
    static void close() {
        db.close();
    }

    private static LearningEvent simple(UUID id, UUID user, Instant at) {
        return new LearningEvent(id, user, LearningVerb.EXPERIENCED, "https://lms.test/videos/" + id, LearningObjectType.VIDEO,
                null, null, null, null, null, null, null, at, null);
    }

    @Test
    void every_field_is_stored_as_sent_and_read_back_newest_first() {
        UUID passed = UUID.randomUUID();
        UUID progressed = UUID.randomUUID();
        Instant at = NOW.minus(Duration.ofDays(2)).plusNanos(123_456_789); // stored to the microsecond: .123456
        List<LearningEvent> batch = List.of(
                new LearningEvent(passed, LEARNER_A, LearningVerb.PASSED, "https://lms.test/quiz/7", LearningObjectType.ASSESSMENT,
                        COURSE_A, "sql-joins", new BigDecimal("0.87654"), true, true, 600, null, at, "{\"attempt\": 2}"),
                new LearningEvent(progressed, LEARNER_A, LearningVerb.PROGRESSED, "https://lms.test/course/sql", LearningObjectType.COURSE,
                        COURSE_A, null, null, null, false, null, new BigDecimal("42.505"), at.plusSeconds(60), null));

        assertThat(ingestion.upsertLearningEvents(batch)).isEqualTo(new UpsertResult(2, 0, 0));

        List<Object> row = database.withAdmin(ctx -> ctx.fetchOne("""
                SELECT user_id, verb, object_id, object_type, course_id, skill_id, score_scaled, success, completion,
                       duration_seconds, progress_percent, occurred_at, context->>'attempt', stored_at > now() - interval '1 minute'
                FROM analytics.learning_events WHERE event_id = ?""", passed).intoList());
        // Hand-checked: the score is rounded half-up to 4 decimals, the time to the microsecond.
        assertThat(row).containsExactly(LEARNER_A, "passed", "https://lms.test/quiz/7", "assessment", COURSE_A, "sql-joins",
                new BigDecimal("0.8765"), true, true, 600, null,
                java.time.OffsetDateTime.parse(at.truncatedTo(ChronoUnit.MICROS).toString()), "2", true);
        assertThat(database.<Object>withAdmin(ctx -> ctx.fetchValue("SELECT progress_percent FROM analytics.learning_events WHERE event_id = ?",
                progressed))).isEqualTo(new BigDecimal("42.51"));

        LearningEventPage page = db.as(principal(LEARNER_A, ORG_A, Role.LEARNER)).learningEvents()
                .list(LEARNER_A, at.minusSeconds(1), at.plusSeconds(61), 10, null).orElseThrow();
        assertThat(page.events()).extracting(LearningEvent::eventId).containsExactly(progressed, passed);
        LearningEvent read = page.events().get(1);
        assertThat(read).isEqualTo(new LearningEvent(passed, LEARNER_A, LearningVerb.PASSED, "https://lms.test/quiz/7",
                LearningObjectType.ASSESSMENT, COURSE_A, "sql-joins", new BigDecimal("0.8765"), true, true, 600, null,
                at.truncatedTo(ChronoUnit.MICROS), "{\"attempt\": 2}"));
        assertThat(page.nextCursor()).isNull();
    }

    @Test
    void a_replayed_batch_of_10000_events_writes_nothing() {
        UUID learner = UUID.randomUUID();
        ingestion.upsertUsers(List.of(new User(learner, "bulk@a.test", "Bulk", null, ORG_A, Set.of(Role.LEARNER))));
        List<LearningEvent> batch = new ArrayList<>();
        LearningVerb[] verbs = LearningVerb.values();
        for (int i = 0; i < 10_000; i++) {
            boolean assessment = i % 10 == 0;
            batch.add(new LearningEvent(UUID.randomUUID(), learner, assessment ? (i % 20 == 0 ? LearningVerb.PASSED : LearningVerb.FAILED)
                    : verbs[i % verbs.length], "https://lms.test/objects/" + (i % 300), assessment ? LearningObjectType.QUIZ
                    : LearningObjectType.values()[i % LearningObjectType.values().length], COURSE_A, i % 3 == 0 ? "sql-joins" : null,
                    assessment ? new BigDecimal("0.75") : null, assessment ? i % 20 == 0 : null, null, 30 + i % 600, null,
                    NOW.minus(Duration.ofMinutes(12L * i)), i % 50 == 0 ? "{\"platform\": \"web\"}" : null));
        }

        long started = System.nanoTime();
        UpsertResult first = ingestion.upsertLearningEvents(batch);
        long firstMs = (System.nanoTime() - started) / 1_000_000;
        String before = snapshot(learner);
        started = System.nanoTime();
        UpsertResult replay = ingestion.upsertLearningEvents(batch);
        long replayMs = (System.nanoTime() - started) / 1_000_000;
        System.out.printf("[learning events] a batch of 10,000 events: first write %d ms, replay %d ms%n", firstMs, replayMs);

        assertThat(first).isEqualTo(new UpsertResult(10_000, 0, 0));
        assertThat(replay).isEqualTo(new UpsertResult(0, 0, 10_000));
        // Same xmin and stored_at for every row: the replay rewrote nothing.
        assertThat(snapshot(learner)).isEqualTo(before);
        // 12 minutes apart over ~83 days: months before this one got partitions; the default one stays empty.
        assertThat(database.<Object>withAdmin(ctx -> ctx.fetchValue("SELECT count(*) FROM analytics.learning_events_default"))).isEqualTo(0L);
    }

    private static String snapshot(UUID learner) {
        return database.withAdmin(ctx -> ctx.fetchValue("SELECT count(*) || md5(string_agg(concat(event_id, xmin, stored_at), ','"
                + " ORDER BY event_id)) FROM analytics.learning_events WHERE user_id = ?", learner)).toString();
    }

    @Test
    void an_event_id_reused_with_another_time_is_rejected_and_nothing_is_written() {
        UUID reused = UUID.randomUUID();
        ingestion.upsertLearningEvents(List.of(simple(reused, LEARNER_A, NOW.minus(Duration.ofDays(5)))));
        UUID fresh = UUID.randomUUID();

        IngestionRejectedException rejected = rejectedLeavingEventsUnchanged(() -> ingestion.upsertLearningEvents(List.of(
                simple(fresh, LEARNER_A, NOW.minus(Duration.ofDays(1))),
                simple(reused, LEARNER_A, NOW.minus(Duration.ofDays(4))))));

        assertThat(rejected.entity()).isEqualTo("learning event");
        assertThat(rejected.index()).isEqualTo(1);
        assertThat(rejected.key()).isEqualTo(reused.toString());
        assertThat(rejected.reason()).startsWith("eventId is already stored with another occurredAt");
        // The same id at the same time is a replay: unchanged.
        assertThat(ingestion.upsertLearningEvents(List.of(simple(reused, LEARNER_A, NOW.minus(Duration.ofDays(5))))))
                .isEqualTo(new UpsertResult(0, 0, 1));
    }

    @Test
    void bad_items_are_named_with_index_key_and_reason_and_nothing_is_written() {
        UUID bad = UUID.randomUUID();
        Instant at = NOW.minus(Duration.ofHours(1));
        record Case(LearningEvent event, String reason) {
        }
        List<Case> cases = List.of(
                new Case(simple(bad, LEARNER_A, Instant.now().minus(Duration.ofDays(91))), "occurredAt is older than the 90 days events are kept"),
                new Case(simple(bad, LEARNER_A, Instant.now().plus(Duration.ofDays(2))), "occurredAt is more than 1 day in the future"),
                new Case(simple(bad, LEARNER_A, null), "occurredAt is required"),
                new Case(simple(bad, UUID.randomUUID(), at), "userId refers to a user that does not exist"),
                new Case(new LearningEvent(bad, LEARNER_A, null, "x", LearningObjectType.OTHER, null, null, null, null, null, null, null, at, null),
                        "verb is required"),
                new Case(new LearningEvent(bad, LEARNER_A, LearningVerb.PASSED, " ", LearningObjectType.OTHER, null, null, null, null, null,
                        null, null, at, null), "objectId is required"),
                new Case(new LearningEvent(bad, LEARNER_A, LearningVerb.PASSED, "q", LearningObjectType.QUIZ, null, null,
                        new BigDecimal("1.5"), null, null, null, null, at, null), "scoreScaled must be between -1 and 1, was 1.5"),
                new Case(new LearningEvent(bad, LEARNER_A, LearningVerb.EXPERIENCED, "v", LearningObjectType.VIDEO, null, null, null, null,
                        null, 86_401, null, at, null), "durationSeconds must be between 0 and 86400, was 86401"),
                new Case(new LearningEvent(bad, LEARNER_A, LearningVerb.PROGRESSED, "c", LearningObjectType.COURSE, COURSE_A, null, null,
                        null, null, null, new BigDecimal("100.5"), at, null), "progressPercent must be between 0 and 100, was 100.5"),
                new Case(new LearningEvent(bad, LEARNER_A, LearningVerb.PROGRESSED, "c", LearningObjectType.COURSE, COURSE_B, null, null,
                        null, null, null, null, at, null), "the learner belongs to another organization than the course"),
                new Case(new LearningEvent(bad, LEARNER_A, LearningVerb.PROGRESSED, "c", LearningObjectType.COURSE, UUID.randomUUID(), null,
                        null, null, null, null, null, at, null), "courseId refers to a course that does not exist"),
                new Case(new LearningEvent(bad, LEARNER_A, LearningVerb.PASSED, "q", LearningObjectType.QUIZ, null, "no-such-skill", null,
                        null, null, null, null, at, null), "skillId refers to a skill that does not exist"),
                new Case(new LearningEvent(bad, LEARNER_A, LearningVerb.PASSED, "q", LearningObjectType.QUIZ, null, null, null, null, null,
                        null, null, at, "[1, 2]"), "context must be a JSON object of at most 4096 bytes and 4 levels of nesting"),
                new Case(new LearningEvent(bad, LEARNER_A, LearningVerb.PASSED, "q", LearningObjectType.QUIZ, null, null, null, null, null,
                        null, null, at, "{not json"), "context must be a JSON object of at most 4096 bytes and 4 levels of nesting"));
        for (Case c : cases) {
            List<LearningEvent> batch = List.of(simple(UUID.randomUUID(), LEARNER_A, at), simple(UUID.randomUUID(), OTHER_A, at), c.event());
            IngestionRejectedException rejected = rejectedLeavingEventsUnchanged(() -> ingestion.upsertLearningEvents(batch));
            assertThat(rejected.index()).as(c.reason()).isEqualTo(2);
            assertThat(rejected.key()).isEqualTo(bad.toString());
            assertThat(rejected.reason()).isEqualTo(c.reason());
        }

        UUID twice = UUID.randomUUID();
        IngestionRejectedException duplicate = rejectedLeavingEventsUnchanged(() -> ingestion.upsertLearningEvents(List.of(
                simple(twice, LEARNER_A, at), simple(UUID.randomUUID(), LEARNER_A, at), simple(twice, LEARNER_A, at))));
        assertThat(duplicate.index()).isEqualTo(2);
        assertThat(duplicate.reason()).isEqualTo("same eventId as item #0 of this batch");

        List<LearningEvent> tooMany = new ArrayList<>();
        for (int i = 0; i <= 10_000; i++) tooMany.add(simple(UUID.randomUUID(), LEARNER_A, at));
        IngestionRejectedException over = rejectedLeavingEventsUnchanged(() -> ingestion.upsertLearningEvents(tooMany));
        assertThat(over.index()).isEqualTo(10_000);
        assertThat(over.reason()).isEqualTo("at most 10000 events per batch");
    }

    private static IngestionRejectedException rejectedLeavingEventsUnchanged(Supplier<UpsertResult> call) {
        String before = eventsFingerprint();
        IngestionRejectedException rejected = catchThrowableOfType(IngestionRejectedException.class, call::get);
        assertThat(rejected).as("a typed rejection").isNotNull();
        assertThat(eventsFingerprint()).as("learning_events after the rejected batch").isEqualTo(before);
        return rejected;
    }

    private static String eventsFingerprint() {
        return database.withAdmin(ctx -> ctx.fetchValue("SELECT count(*) || md5(coalesce(string_agg(t::text, ',' ORDER BY t.event_id), ''))"
                + " FROM analytics.learning_events t")).toString();
    }

    @Test
    void pages_are_keyset_newest_first_with_ties_broken_by_id() {
        UUID learner = UUID.randomUUID();
        ingestion.upsertUsers(List.of(new User(learner, "pages@a.test", "Pia", null, ORG_A, Set.of(Role.LEARNER))));
        Instant t = NOW.minus(Duration.ofDays(3));
        UUID low = UUID.fromString("00000000-0000-4000-8000-000000000001");
        UUID high = UUID.fromString("ffffffff-0000-4000-8000-000000000001");
        UUID newest = UUID.randomUUID();
        UUID oldest = UUID.randomUUID();
        ingestion.upsertLearningEvents(List.of(simple(low, learner, t), simple(high, learner, t), simple(newest, learner, t.plusSeconds(5)),
                simple(oldest, learner, t.minusSeconds(5))));
        var events = db.as(principal(learner, ORG_A, Role.LEARNER)).learningEvents();

        LearningEventPage first = events.list(learner, null, null, 2, null).orElseThrow();
        LearningEventPage second = events.list(learner, null, null, 2, first.nextCursor()).orElseThrow();
        LearningEventPage window = events.list(learner, t, t.plusSeconds(5), 10, null).orElseThrow();

        assertThat(first.events()).extracting(LearningEvent::eventId).containsExactly(newest, high);
        assertThat(second.events()).extracting(LearningEvent::eventId).containsExactly(low, oldest);
        assertThat(second.nextCursor()).isNull();
        assertThat(window.events()).extracting(LearningEvent::eventId).containsExactly(high, low); // from inclusive, to exclusive
        assertThatThrownBy(() -> events.list(learner, null, null, 0, null)).isInstanceOf(InvalidLearningEventsRequestException.class);
        assertThatThrownBy(() -> events.list(learner, null, null, 501, null)).isInstanceOf(InvalidLearningEventsRequestException.class);
        assertThatThrownBy(() -> events.list(learner, null, null, 5, "not-a-cursor")).isInstanceOf(InvalidLearningEventsRequestException.class);
        assertThatThrownBy(() -> events.list(learner, t, t.minusSeconds(1), 5, null)).isInstanceOf(InvalidLearningEventsRequestException.class);
    }

    @Test
    void a_learner_of_another_organization_cannot_read_the_events() {
        UUID mine = UUID.randomUUID();
        ingestion.upsertLearningEvents(List.of(simple(mine, LEARNER_A, NOW.minus(Duration.ofDays(7)))));

        var learnerB = db.as(principal(LEARNER_B, ORG_B, Role.LEARNER)).learningEvents();
        var classmate = db.as(principal(OTHER_A, ORG_A, Role.LEARNER)).learningEvents();
        var adminA = db.as(principal(ADMIN_A, ORG_A, Role.ORG_ADMIN)).learningEvents();

        assertThat(learnerB.list(LEARNER_A, null, null, 50, null)).as("another organization: not visible").isEmpty();
        assertThat(classmate.list(LEARNER_A, null, null, 50, null)).as("a fellow learner: not visible").isEmpty();
        assertThat(adminA.list(LEARNER_A, null, null, 50, null).orElseThrow().events()).extracting(LearningEvent::eventId).contains(mine);
        assertThat(learnerB.list(LEARNER_B, null, null, 50, null).orElseThrow().events()).as("visible, no events").isEmpty();
        // Even a forged query straight at the table returns none of org A's rows for org B's learner.
        assertThat(learnerB.list(UUID.randomUUID(), null, null, 50, null)).isEmpty();
    }

    @Test
    void courses_have_a_length_and_skills_with_a_required_level() {
        UUID course = UUID.randomUUID();
        assertThat(ingestion.upsertCourses(List.of(new Course(course, "Default length", null, ORG_A, null))))
                .isEqualTo(new UpsertResult(1, 0, 0));
        assertThat(weeks(course)).isEqualTo(12);
        assertThat(ingestion.upsertCourses(List.of(new Course(course, "Default length", null, ORG_A, null, 8))))
                .isEqualTo(new UpsertResult(0, 1, 0));
        assertThat(weeks(course)).isEqualTo(8);
        assertThat(weeks(COURSE_A)).isEqualTo(6);
        IngestionRejectedException zero = catchThrowableOfType(IngestionRejectedException.class,
                () -> ingestion.upsertCourses(List.of(new Course(course, "Zero", null, ORG_A, null, 0))));
        assertThat(zero.reason()).isEqualTo("expectedWeeks must be between 1 and 520, was 0");

        List<CourseSkill> skills = List.of(new CourseSkill(course, "sql-joins", null), new CourseSkill(course, "sql-window", new BigDecimal("65.5")));
        assertThat(ingestion.upsertCourseSkills(skills)).isEqualTo(new UpsertResult(2, 0, 0));
        assertThat(ingestion.upsertCourseSkills(skills)).isEqualTo(new UpsertResult(0, 0, 2));
        assertThat(ingestion.upsertCourseSkills(List.of(new CourseSkill(course, "sql-joins", new BigDecimal("90")))))
                .isEqualTo(new UpsertResult(0, 1, 0));
        assertThat(database.<List<String>>withAdmin(ctx -> ctx.fetch("SELECT skill_id, required_level FROM analytics.course_skills WHERE course_id = ?"
                + " ORDER BY skill_id", course).map(r -> r.get(0) + "=" + r.get(1)))).containsExactly("sql-joins=90.00", "sql-window=65.50");

        IngestionRejectedException level = catchThrowableOfType(IngestionRejectedException.class, () -> ingestion.upsertCourseSkills(List.of(
                new CourseSkill(course, "sql-joins", new BigDecimal("70")), new CourseSkill(course, "sql-window", BigDecimal.ZERO))));
        assertThat(level.index()).isEqualTo(1);
        assertThat(level.reason()).isEqualTo("requiredLevel must be above 0 and at most 100, was 0");
        IngestionRejectedException unknown = catchThrowableOfType(IngestionRejectedException.class, () -> ingestion.upsertCourseSkills(List.of(
                new CourseSkill(course, "sql-joins", new BigDecimal("70")), new CourseSkill(course, "no-such-skill", null))));
        assertThat(unknown.index()).isEqualTo(1);
        assertThat(unknown.key()).isEqualTo(course + "/no-such-skill");
        assertThat(unknown.reason()).isEqualTo("skillId refers to a skill that does not exist");
        assertThat(database.<Object>withAdmin(ctx -> ctx.fetchValue("SELECT required_level FROM analytics.course_skills WHERE course_id = ?"
                + " AND skill_id = 'sql-joins'", course))).as("nothing of the rejected batches").isEqualTo(new BigDecimal("90.00"));
    }

    private static int weeks(UUID course) {
        return (Integer) database.withAdmin(ctx -> ctx.fetchValue("SELECT expected_weeks FROM analytics.courses WHERE id = ?", course));
    }

    private static Principal principal(UUID user, UUID org, Role role) {
        return new Principal(user, org, Set.of(role));
    }
}
