package org.learninganalytics.db.ingestion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.learninganalytics.db.AnalyticsDb;
import org.learninganalytics.db.tenancy.Role;
import org.learninganalytics.db.testing.FreshDatabase;
import org.learninganalytics.db.testing.TestDatabase;

/**
 * Bad input raises {@link IngestionRejectedException} naming the offending item, and writes
 * nothing of its batch — also the good items before it.
 */
@FreshDatabase
class IngestionRejectsBadInputPgTest {

    private static final UUID ORG = UUID.randomUUID();
    private static final UUID EXISTING_USER = UUID.randomUUID();
    private static final UUID COURSE = UUID.randomUUID();
    private static final Instant ENROLLED = Instant.parse("2026-10-01T00:00:00Z");

    private static TestDatabase database;
    private static AnalyticsDb db;
    private static Ingestion ingestion;

    @BeforeAll
    static void arrange(TestDatabase testDatabase) {
        database = testDatabase;
        db = testDatabase.analyticsDb();
        ingestion = db.system().ingestion();
        ingestion.upsertOrganizations(List.of(new Organization(ORG, "Org", null, null)));
        ingestion.upsertUsers(List.of(new User(EXISTING_USER, "taken@org.test", "Existing", null, ORG, Set.of(Role.LEARNER))));
        ingestion.upsertCourses(List.of(new Course(COURSE, "Course", null, ORG, null)));
    }

    @AfterAll
    static void close() {
        db.close();
    }

    @Test
    void unknown_organization_names_the_user_and_writes_nothing() {
        List<User> batch = new ArrayList<>(goodUsers(1500));
        UUID bad = UUID.randomUUID();
        batch.add(new User(bad, "orphan@org.test", null, null, UUID.randomUUID(), Set.of(Role.LEARNER)));

        IngestionRejectedException rejected = rejectedLeavingTablesUnchanged(() -> ingestion.upsertUsers(batch));

        assertThat(rejected.entity()).isEqualTo("user");
        assertThat(rejected.index()).isEqualTo(1500);
        assertThat(rejected.key()).isEqualTo(bad.toString());
        assertThat(rejected.reason()).contains("organization").contains("does not exist");
    }

    @Test
    void a_course_whose_trainer_is_in_another_organization_is_rejected() {
        UUID otherOrg = UUID.randomUUID();
        UUID outsideTrainer = UUID.randomUUID();
        ingestion.upsertOrganizations(List.of(new Organization(otherOrg, "Other Org", null, null)));
        ingestion.upsertUsers(List.of(new User(outsideTrainer, outsideTrainer + "@other.test", null, null, otherOrg, Set.of(Role.TRAINER))));
        UUID bad = UUID.randomUUID();
        List<Course> batch = List.of(new Course(UUID.randomUUID(), "Fine", null, ORG, null),
                new Course(UUID.randomUUID(), "Also fine", null, otherOrg, outsideTrainer),
                new Course(bad, "Crossing", null, ORG, outsideTrainer));

        IngestionRejectedException rejected = rejectedLeavingTablesUnchanged(() -> ingestion.upsertCourses(batch));

        assertThat(rejected.entity()).isEqualTo("course");
        assertThat(rejected.index()).isEqualTo(2);
        assertThat(rejected.key()).isEqualTo(bad.toString());
        assertThat(rejected.reason()).isEqualTo("the trainer belongs to another organization than the course");
    }

    @Test
    void an_enrollment_of_a_learner_from_another_organization_is_rejected() {
        UUID otherOrg = UUID.randomUUID();
        UUID outsider = UUID.randomUUID();
        ingestion.upsertOrganizations(List.of(new Organization(otherOrg, "Another Org", null, null)));
        ingestion.upsertUsers(List.of(new User(outsider, outsider + "@another.test", null, null, otherOrg, Set.of(Role.LEARNER))));
        List<Enrollment> batch = List.of(new Enrollment(EXISTING_USER, COURSE, ENROLLED, null, BigDecimal.TEN),
                new Enrollment(outsider, COURSE, ENROLLED, null, BigDecimal.ONE));

        IngestionRejectedException rejected = rejectedLeavingTablesUnchanged(() -> ingestion.upsertEnrollments(batch));

        assertThat(rejected.entity()).isEqualTo("enrollment");
        assertThat(rejected.index()).isEqualTo(1);
        assertThat(rejected.key()).isEqualTo(outsider + "/" + COURSE);
        assertThat(rejected.reason()).isEqualTo("the learner belongs to another organization than the course");
        assertThat(rejected.getMessage()).doesNotContainIgnoringCase("insert").doesNotContainIgnoringCase("select");
    }

    @Test
    void email_of_another_user_is_rejected() {
        List<User> batch = new ArrayList<>(goodUsers(3));
        UUID bad = UUID.randomUUID();
        batch.add(1, new User(bad, "taken@org.test", null, null, ORG, Set.of(Role.LEARNER)));

        IngestionRejectedException rejected = rejectedLeavingTablesUnchanged(() -> ingestion.upsertUsers(batch));

        assertThat(rejected.index()).isEqualTo(1);
        assertThat(rejected.key()).isEqualTo(bad.toString());
        assertThat(rejected.reason()).isEqualTo("email is already used by another user");
    }

    @Test
    void duplicate_email_inside_one_batch_is_rejected() {
        List<User> batch = new ArrayList<>(goodUsers(2));
        batch.add(new User(UUID.randomUUID(), batch.get(0).email(), null, null, ORG, Set.of(Role.LEARNER)));

        IngestionRejectedException rejected = rejectedLeavingTablesUnchanged(() -> ingestion.upsertUsers(batch));

        assertThat(rejected.index()).isEqualTo(2);
        assertThat(rejected.reason()).contains("same email as item #0");
    }

    @Test
    void progress_out_of_range_is_rejected_before_touching_the_database() {
        IngestionRejectedException rejected = rejectedLeavingTablesUnchanged(() -> ingestion.upsertEnrollments(List.of(
                new Enrollment(EXISTING_USER, COURSE, ENROLLED, null, new BigDecimal("100.01")))));

        assertThat(rejected.entity()).isEqualTo("enrollment");
        assertThat(rejected.key()).isEqualTo(EXISTING_USER + "/" + COURSE);
        assertThat(rejected.reason()).isEqualTo("progressPercent must be between 0 and 100, was 100.01");
    }

    @Test
    void mastery_out_of_range_is_rejected() {
        IngestionRejectedException rejected = rejectedLeavingTablesUnchanged(() -> ingestion.upsertUserSkills(List.of(
                new UserSkill(EXISTING_USER, "skill-react", new BigDecimal("-1"), null))));

        assertThat(rejected.reason()).startsWith("masteryLevel must be between 0 and 100");
    }

    @Test
    void unknown_course_and_unknown_skill_are_rejected() {
        UUID missingCourse = UUID.randomUUID();
        IngestionRejectedException course = rejectedLeavingTablesUnchanged(() -> ingestion.upsertEnrollments(List.of(
                new Enrollment(EXISTING_USER, COURSE, ENROLLED, null, BigDecimal.TEN),
                new Enrollment(EXISTING_USER, missingCourse, ENROLLED, null, BigDecimal.TEN))));
        assertThat(course.index()).isEqualTo(1);
        assertThat(course.reason()).isEqualTo("courseId refers to a course that does not exist");

        IngestionRejectedException skill = rejectedLeavingTablesUnchanged(() -> ingestion.upsertUserSkills(List.of(
                new UserSkill(EXISTING_USER, "skill-cobol-on-mars", BigDecimal.ONE, null))));
        assertThat(skill.reason()).isEqualTo("skillId refers to a skill that does not exist");
    }

    @Test
    void unknown_trainer_is_rejected() {
        IngestionRejectedException rejected = rejectedLeavingTablesUnchanged(() -> ingestion.upsertCourses(List.of(
                new Course(UUID.randomUUID(), "Ghost-trained", null, ORG, UUID.randomUUID()))));

        assertThat(rejected.reason()).isEqualTo("trainerId refers to a user that does not exist");
    }

    @Test
    void malformed_settings_json_is_rejected() {
        UUID bad = UUID.randomUUID();
        IngestionRejectedException rejected = rejectedLeavingTablesUnchanged(() -> ingestion.upsertOrganizations(List.of(
                new Organization(UUID.randomUUID(), "Fine", null, "{}"),
                new Organization(bad, "Broken", null, "{not json"))));

        assertThat(rejected.index()).isEqualTo(1);
        assertThat(rejected.key()).isEqualTo(bad.toString());
        assertThat(rejected.getMessage()).doesNotContainIgnoringCase("insert into");
    }

    @Test
    void settings_that_are_not_an_object_are_rejected() {
        IngestionRejectedException rejected = rejectedLeavingTablesUnchanged(() -> ingestion.upsertOrganizations(List.of(
                new Organization(UUID.randomUUID(), "Array", null, "[1, 2]"))));

        assertThat(rejected.reason()).isEqualTo("settings must be a JSON object");
    }

    @Test
    void missing_required_values_and_duplicate_keys_are_rejected() {
        assertThat(rejectedLeavingTablesUnchanged(() -> ingestion.upsertUsers(List.of(
                new User(UUID.randomUUID(), "no-roles@org.test", null, null, ORG, Set.of())))).reason())
                .isEqualTo("at least one role is required");
        assertThat(rejectedLeavingTablesUnchanged(() -> ingestion.upsertUsers(List.of(
                new User(UUID.randomUUID(), "not-an-email", null, null, ORG, Set.of(Role.LEARNER))))).reason())
                .isEqualTo("email is not an e-mail address");
        assertThat(rejectedLeavingTablesUnchanged(() -> ingestion.upsertSkills(List.of(
                new Skill("skill-x", " ", null, null)))).reason())
                .isEqualTo("name is required");
        assertThat(rejectedLeavingTablesUnchanged(() -> ingestion.upsertCourses(List.of(
                new Course(COURSE, "Same id", null, ORG, null), new Course(COURSE, "Same id again", null, ORG, null)))).reason())
                .isEqualTo("same key as item #0 of this batch");
        assertThat(rejectedLeavingTablesUnchanged(() -> ingestion.upsertEnrollments(List.of(
                new Enrollment(EXISTING_USER, COURSE, ENROLLED, ENROLLED.minusSeconds(1), BigDecimal.ONE)))).reason())
                .isEqualTo("completedAt is before enrolledAt");
    }

    private static List<User> goodUsers(int count) {
        List<User> users = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            UUID id = UUID.randomUUID();
            users.add(new User(id, id + "@org.test", "Good " + i, null, ORG, Set.of(Role.LEARNER)));
        }
        return users;
    }

    private static IngestionRejectedException rejectedLeavingTablesUnchanged(Supplier<UpsertResult> call) {
        String before = fingerprint();
        IngestionRejectedException rejected = catchThrowableOfType(IngestionRejectedException.class, call::get);
        assertThat(rejected).as("a typed rejection").isNotNull();
        assertThat(fingerprint()).as("tables after the rejected batch").isEqualTo(before);
        return rejected;
    }

    /** Row counts and a hash of every ingested table's content. */
    private static String fingerprint() {
        return database.withAdmin(ctx -> ctx.fetchValue("""
                SELECT concat_ws('|',
                  (SELECT count(*) || md5(coalesce(string_agg(t::text, ',' ORDER BY t.id), '')) FROM analytics.organizations t),
                  (SELECT count(*) || md5(coalesce(string_agg(t::text, ',' ORDER BY t.id), '')) FROM analytics.users t),
                  (SELECT count(*) || md5(coalesce(string_agg(t::text, ',' ORDER BY t.id), '')) FROM analytics.user_roles t),
                  (SELECT count(*) || md5(coalesce(string_agg(t::text, ',' ORDER BY t.id), '')) FROM analytics.courses t),
                  (SELECT count(*) || md5(coalesce(string_agg(t::text, ',' ORDER BY t.id), '')) FROM analytics.enrollments t),
                  (SELECT count(*) || md5(coalesce(string_agg(t::text, ',' ORDER BY t.id), '')) FROM analytics.skills t),
                  (SELECT count(*) || md5(coalesce(string_agg(t::text, ',' ORDER BY t.id), '')) FROM analytics.user_skills t))
                """).toString());
    }
}
