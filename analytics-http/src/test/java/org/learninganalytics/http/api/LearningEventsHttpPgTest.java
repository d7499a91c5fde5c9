package org.learninganalytics.http.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.learninganalytics.db.ingestion.Skill;
import org.learninganalytics.db.ingestion.SkillLevel;
import org.learninganalytics.db.testing.FreshDatabase;
import org.learninganalytics.db.testing.TestDatabase;
import org.learninganalytics.http.testing.ApiClient.ApiResponse;
import org.learninganalytics.http.testing.TestServer;

/**
 * Learning events and course skills through /v1/ingest, and xAPI statements through
 * /xapi/statements: every field of the mapping, replays, and bad input that writes nothing.
 */
@FreshDatabase
class LearningEventsHttpPgTest {

    private static final String XAPI = "/xapi/statements";
    private static final String VERBS = "http://adlnet.gov/expapi/verbs/";
    private static final String ACTIVITIES = "http://adlnet.gov/expapi/activities/";

    private static TestServer server;
    private static TestDatabase db;

    @BeforeAll
    static void start(TestDatabase database) {
        db = database;
        server = TestServer.start(database);
        server.db.system().ingestion().upsertSkills(List.of(new Skill("xapi-skill", "xAPI", "standards", SkillLevel.BEGINNER)));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static Instant recent(Duration ago) {
        return Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(ago);
    }

    private ApiResponse ingest(String entity, Object body) {
        return server.api.post("/v1/ingest/" + entity).bearer(server.serviceToken()).json(body).send();
    }

    private ApiResponse xapi(Object body) {
        return server.api.post(XAPI).bearer(server.serviceToken()).header("X-Experience-API-Version", "1.0.3").json(body).send();
    }

    /** Row counts and a hash of the tables these routes write. */
    private static String fingerprint() {
        return db.<Object>withAdmin(ctx -> ctx.fetchValue("""
                SELECT concat_ws('|',
                  (SELECT count(*) || md5(coalesce(string_agg(t::text, ',' ORDER BY t.event_id), '')) FROM analytics.learning_events t),
                  (SELECT count(*) || md5(coalesce(string_agg(t::text, ',' ORDER BY t.course_id, t.skill_id), '')) FROM analytics.course_skills t),
                  (SELECT count(*) || md5(coalesce(string_agg(t::text, ',' ORDER BY t.id), '')) FROM analytics.courses t))
                """)).toString();
    }

    private static List<Object> row(UUID eventId) {
        return db.withAdmin(ctx -> ctx.fetchOne("""
                SELECT user_id, verb, object_id, object_type, course_id, skill_id, score_scaled, success, completion,
                       duration_seconds, progress_percent, occurred_at, context::text
                FROM analytics.learning_events WHERE event_id = ?""", eventId).intoList());
    }

    @Test
    void events_course_skills_and_course_length_are_ingested_and_a_replay_is_unchanged() {
        UUID course = UUID.randomUUID();
        UUID event = UUID.randomUUID();
        Instant at = recent(Duration.ofDays(3));
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("eventId", event);
        item.put("userId", server.alice);
        item.put("verb", "passed");
        item.put("objectId", "quiz-1");
        item.put("objectType", "quiz");
        item.put("courseId", server.courseA);
        item.put("skillId", "xapi-skill");
        item.put("scoreScaled", 0.8);
        item.put("success", true);
        item.put("durationSeconds", 300);
        item.put("occurredAt", at.toString());
        item.put("context", Map.of("attempt", 1));

        ApiResponse courses = ingest("courses", List.of(Map.of("id", course, "name", "Eight weeks", "organizationId", server.orgA,
                "expectedWeeks", 8)));
        ApiResponse skills = ingest("course-skills", List.of(Map.of("courseId", course, "skillId", "xapi-skill", "requiredLevel", 70),
                Map.of("courseId", server.courseA, "skillId", "xapi-skill")));
        ApiResponse events = ingest("events", List.of(item));
        ApiResponse replay = ingest("events", List.of(item));

        assertThat(courses.status()).as(courses.body()).isEqualTo(200);
        assertThat(skills.status()).as(skills.body()).isEqualTo(200);
        assertThat(skills.json().get("inserted").asInt()).isEqualTo(2);
        assertThat(events.status()).as(events.body()).isEqualTo(200);
        assertThat(events.json().get("entity").asText()).isEqualTo("events");
        assertThat(events.json().get("inserted").asInt()).isEqualTo(1);
        assertThat(replay.json().get("unchanged").asInt()).isEqualTo(1);
        assertThat(replay.json().get("inserted").asInt()).isZero();
        assertThat(row(event)).containsExactly(server.alice, "passed", "quiz-1", "quiz", server.courseA, "xapi-skill",
                new BigDecimal("0.8000"), true, null, 300, null, OffsetDateTime.parse(at.toString()), "{\"attempt\": 1}");
        assertThat(db.<Object>withAdmin(ctx -> ctx.fetchValue("SELECT expected_weeks FROM analytics.courses WHERE id = ?", course))).isEqualTo(8);
        assertThat(db.<Object>withAdmin(ctx -> ctx.fetchValue("SELECT required_level FROM analytics.course_skills WHERE course_id = ?",
                server.courseA))).isEqualTo(new BigDecimal("80.00"));
    }

    @Test
    void bad_events_and_course_skills_write_nothing() {
        String before = fingerprint();
        Map<String, Object> good = Map.of("eventId", UUID.randomUUID(), "userId", server.alice, "verb", "experienced",
                "objectId", "video-1", "objectType", "video", "occurredAt", recent(Duration.ofHours(1)).toString());
        Map<String, Object> tooOld = Map.of("eventId", UUID.randomUUID(), "userId", server.alice, "verb", "experienced",
                "objectId", "video-2", "objectType", "video", "occurredAt", recent(Duration.ofDays(100)).toString());
        Map<String, Object> otherOrg = Map.of("eventId", UUID.randomUUID(), "userId", server.bob, "verb", "experienced",
                "objectId", "video-3", "objectType", "video", "courseId", server.courseA, "occurredAt", recent(Duration.ofHours(1)).toString());

        ApiResponse old = ingest("events", List.of(good, tooOld));
        ApiResponse crossing = ingest("events", List.of(good, otherOrg));
        ApiResponse badVerb = ingest("events", List.of(Map.of("eventId", UUID.randomUUID(), "userId", server.alice, "verb", "watched",
                "objectId", "v", "objectType", "video", "occurredAt", recent(Duration.ofHours(1)).toString())));
        ApiResponse unknownField = ingest("events", List.of(Map.of("eventId", UUID.randomUUID(), "userId", server.alice, "verb", "experienced",
                "objectId", "v", "objectType", "video", "occurredAt", recent(Duration.ofHours(1)).toString(), "mood", "happy")));
        ApiResponse badLevel = ingest("course-skills", List.of(Map.of("courseId", server.courseA, "skillId", "xapi-skill", "requiredLevel", 0)));
        ApiResponse unknownSkill = ingest("course-skills", List.of(Map.of("courseId", server.courseA, "skillId", "nope")));
        ApiResponse badWeeks = ingest("courses", List.of(Map.of("id", UUID.randomUUID(), "name", "Long", "expectedWeeks", 1000)));
        ApiResponse userToken = server.api.post("/v1/ingest/events").bearer(server.token(server.alice)).json(List.of(good)).send();

        assertThat(old.status()).as(old.body()).isEqualTo(422);
        assertThat(old.json().get("errors").get(0).get("pointer").asText()).isEqualTo("/1");
        assertThat(old.json().get("detail").asText()).contains("older than the 90 days");
        assertThat(crossing.status()).isEqualTo(422);
        assertThat(crossing.json().get("detail").asText()).contains("another organization");
        assertThat(badVerb.status()).isEqualTo(400);
        assertThat(badVerb.json().get("errors").get(0).get("pointer").asText()).isEqualTo("/0/verb");
        assertThat(unknownField.status()).isEqualTo(400);
        assertThat(unknownField.json().get("errors").get(0).get("pointer").asText()).isEqualTo("/0/mood");
        assertThat(badLevel.status()).isEqualTo(422);
        assertThat(unknownSkill.status()).isEqualTo(422);
        assertThat(unknownSkill.json().get("detail").asText()).contains("skillId refers to a skill that does not exist");
        assertThat(badWeeks.status()).isEqualTo(422);
        assertThat(userToken.status()).isEqualTo(403);
        assertThat(fingerprint()).isEqualTo(before);
    }

    /** A statement with every field we map. */
    private static Map<String, Object> fullStatement(UUID id, Instant at) {
        Map<String, Object> statement = new LinkedHashMap<>();
        statement.put("id", id);
        statement.put("actor", Map.of("objectType", "Agent", "name", "Alice", "account", Map.of("homePage", "https://lms.example", "name",
                server.alice.toString())));
        statement.put("verb", Map.of("id", VERBS + "passed", "display", Map.of("en-US", "passed")));
        statement.put("object", Map.of("objectType", "Activity", "id", "https://lms.example/assessments/final",
                "definition", Map.of("type", ACTIVITIES + "assessment", "name", Map.of("en-US", "Final"))));
        statement.put("result", Map.of("score", Map.of("scaled", 0.9125, "raw", 73, "min", 0, "max", 80), "success", true,
                "completion", true, "duration", "PT12M30.6S",
                "extensions", Map.of("https://w3id.org/xapi/cmi5/result/extensions/progress", 100)));
        statement.put("context", Map.of("registration", "6f1e0a3c-1111-4c3b-9d5e-000000000001", "platform", "Moodle",
                "extensions", Map.of("https://learninganalytics.org/xapi/course-id", server.courseA.toString(),
                        "https://learninganalytics.org/xapi/skill-id", "xapi-skill")));
        statement.put("timestamp", at.toString().replace("Z", "+00:00"));
        statement.put("version", "1.0.3");
        return statement;
    }

    @Test
    void an_xapi_statement_maps_every_field_and_a_replay_stores_nothing() {
        UUID id = UUID.randomUUID();
        Instant at = recent(Duration.ofDays(2));

        ApiResponse stored = xapi(fullStatement(id, at));
        String after = fingerprint();
        ApiResponse replay = xapi(fullStatement(id, at));

        assertThat(stored.status()).as(stored.body()).isEqualTo(200);
        assertThat(stored.header("X-Experience-API-Version")).contains("1.0.3");
        assertThat(stored.json()).hasSize(1);
        assertThat(stored.json().get(0).asText()).isEqualTo(id.toString());
        // Hand-checked: PT12M30.6S = 750.6 s → 751; scaled 0.9125 as sent; cmi5 progress 100.
        assertThat(row(id)).containsExactly(server.alice, "passed", "https://lms.example/assessments/final", "assessment", server.courseA,
                "xapi-skill", new BigDecimal("0.9125"), true, true, 751, new BigDecimal("100.00"), OffsetDateTime.parse(at.toString()),
                "{\"xapi\": {\"platform\": \"Moodle\", \"registration\": \"6f1e0a3c-1111-4c3b-9d5e-000000000001\"}}");
        assertThat(replay.status()).isEqualTo(200);
        assertThat(replay.json().get(0).asText()).isEqualTo(id.toString());
        assertThat(fingerprint()).as("the replay stored nothing").isEqualTo(after);
    }

    @Test
    void an_array_maps_activity_types_parent_courses_and_generates_missing_ids() {
        UUID video = UUID.randomUUID();
        UUID exercise = UUID.randomUUID();
        Instant at = recent(Duration.ofHours(5));
        Map<String, Object> actor = Map.of("account", Map.of("homePage", "https://lms.example", "name", server.alice.toString()));
        List<Object> statements = List.of(
                Map.of("id", video, "actor", actor, "verb", Map.of("id", VERBS + "experienced"),
                        "object", Map.of("id", "https://lms.example/videos/7", "definition",
                                Map.of("type", "https://w3id.org/xapi/video/activity-type/video")),
                        "context", Map.of("contextActivities", Map.of("parent", List.of(Map.of("id", "https://lms.example/courses/" + server.courseA,
                                "definition", Map.of("type", ACTIVITIES + "course"))))),
                        "timestamp", at.toString()),
                Map.of("id", exercise, "actor", actor, "verb", Map.of("id", VERBS + "answered"),
                        "object", Map.of("id", "https://lms.example/q/1", "definition", Map.of("type", ACTIVITIES + "interaction")),
                        "result", Map.of("success", false, "duration", "P1DT0H0M0S"), "timestamp", at.plusSeconds(60).toString()),
                Map.of("actor", actor, "verb", Map.of("id", VERBS + "progressed"),
                        "object", Map.of("id", "https://lms.example/reading/3", "definition",
                                Map.of("type", "https://learninganalytics.org/xapi/activity-types/reading")),
                        "result", Map.of("extensions", Map.of("https://w3id.org/xapi/cmi5/result/extensions/progress", 37.5))),
                Map.of("actor", actor, "verb", Map.of("id", VERBS + "initialized"), "object", Map.of("id", "https://lms.example/sim/1",
                        "definition", Map.of("type", ACTIVITIES + "simulation"))));

        ApiResponse stored = xapi(statements);

        assertThat(stored.status()).as(stored.body()).isEqualTo(200);
        assertThat(stored.json()).hasSize(4);
        assertThat(stored.json().get(0).asText()).isEqualTo(video.toString());
        assertThat(stored.json().get(1).asText()).isEqualTo(exercise.toString());
        assertThat(row(video).subList(1, 6)).containsExactly("experienced", "https://lms.example/videos/7", "video", server.courseA, null);
        assertThat(row(exercise).subList(1, 10)).containsExactly("answered", "https://lms.example/q/1", "exercise", null, null, null,
                false, null, 86_400);
        UUID generated = UUID.fromString(stored.json().get(2).asText());
        List<Object> reading = row(generated);
        assertThat(reading.subList(1, 4)).containsExactly("progressed", "https://lms.example/reading/3", "reading");
        assertThat(reading.get(10)).isEqualTo(new BigDecimal("37.50"));
        assertThat(((OffsetDateTime) reading.get(11)).toInstant()).as("no timestamp: now").isAfter(Instant.now().minusSeconds(60));
        assertThat(row(UUID.fromString(stored.json().get(3).asText())).get(3)).as("another activity type").isEqualTo("other");
    }

    @Test
    void statements_outside_the_subset_are_400_and_refused_ones_422_and_nothing_is_stored() {
        String before = fingerprint();
        Instant at = recent(Duration.ofHours(2));
        Map<String, Object> good = fullStatement(UUID.randomUUID(), at);

        ApiResponse noVersion = server.api.post(XAPI).bearer(server.serviceToken()).json(good).send();
        ApiResponse otherVersion = server.api.post(XAPI).bearer(server.serviceToken()).header("X-Experience-API-Version", "2.0.0")
                .json(good).send();
        Map<String, Object> mbox = new LinkedHashMap<>(fullStatement(UUID.randomUUID(), at));
        mbox.put("actor", Map.of("mbox", "mailto:alice@a.example", "account", Map.of("homePage", "https://lms.example",
                "name", server.alice.toString())));
        Map<String, Object> badVerb = new LinkedHashMap<>(fullStatement(UUID.randomUUID(), at));
        badVerb.put("verb", Map.of("id", "http://adlnet.gov/expapi/verbs/launched"));
        Map<String, Object> badDuration = new LinkedHashMap<>(fullStatement(UUID.randomUUID(), at));
        badDuration.put("result", Map.of("duration", "P2W"));
        Map<String, Object> unknownProperty = new LinkedHashMap<>(fullStatement(UUID.randomUUID(), at));
        unknownProperty.put("mood", "happy");
        Map<String, Object> unknownUser = new LinkedHashMap<>(fullStatement(UUID.randomUUID(), at));
        unknownUser.put("actor", Map.of("account", Map.of("homePage", "https://lms.example", "name", UUID.randomUUID().toString())));
        Map<String, Object> tooOld = fullStatement(UUID.randomUUID(), recent(Duration.ofDays(120)));
        Map<String, Object> noTimeZone = new LinkedHashMap<>(fullStatement(UUID.randomUUID(), at));
        noTimeZone.put("timestamp", "2026-11-25T10:00:00");

        List<ApiResponse> malformed = List.of(xapi(mbox), xapi(badVerb), xapi(badDuration), xapi(unknownProperty), xapi(noTimeZone),
                xapi(List.of(good, badVerb)));
        ApiResponse refusedUser = xapi(List.of(good, unknownUser));
        ApiResponse refusedOld = xapi(tooOld);
        ApiResponse userToken = server.api.post(XAPI).bearer(server.token(server.alice)).header("X-Experience-API-Version", "1.0.3")
                .json(good).send();

        assertThat(noVersion.status()).isEqualTo(400);
        assertThat(noVersion.json().get("detail").asText()).contains("X-Experience-API-Version");
        assertThat(otherVersion.status()).isEqualTo(400);
        assertThat(malformed).extracting(ApiResponse::status).containsOnly(400);
        assertThat(malformed).extracting(r -> r.json().get("errors").get(0).get("pointer").asText())
                .containsExactly("/actor/mbox", "/verb/id", "/result/duration", "/mood", "/timestamp", "/1/verb/id");
        assertThat(refusedUser.status()).as(refusedUser.body()).isEqualTo(422);
        assertThat(refusedUser.json().get("errors").get(0).get("pointer").asText()).isEqualTo("/1");
        assertThat(refusedUser.json().get("detail").asText()).contains("userId refers to a user that does not exist");
        assertThat(refusedOld.status()).isEqualTo(422);
        assertThat(refusedOld.json().get("errors").get(0).get("pointer").asText()).isEqualTo("");
        assertThat(userToken.status()).isEqualTo(403);
        assertThat(fingerprint()).isEqualTo(before);
    }

    @Test
    void a_statement_id_reused_with_another_timestamp_is_refused() {
        UUID id = UUID.randomUUID();
        assertThat(xapi(fullStatement(id, recent(Duration.ofDays(1)))).status()).isEqualTo(200);
        String before = fingerprint();

        ApiResponse reused = xapi(fullStatement(id, recent(Duration.ofDays(4))));

        assertThat(reused.status()).isEqualTo(422);
        assertThat(reused.json().get("detail").asText()).contains("already stored with another occurredAt");
        assertThat(fingerprint()).isEqualTo(before);
    }
}
