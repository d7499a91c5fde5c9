package org.learninganalytics.db.ingestion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.learninganalytics.db.AnalyticsDb;
import org.learninganalytics.db.tenancy.Role;
import org.learninganalytics.db.testing.FreshDatabase;
import org.learninganalytics.db.testing.TestDatabase;

/** Ingestion of learning data owned by other services: round trip and idempotent replay. */
@FreshDatabase
class IngestionPgTest {

    private static TestDatabase database;
    private static AnalyticsDb db;
    private static Ingestion ingestion;

    @BeforeAll
    static void connect(TestDatabase testDatabase) {
        database = testDatabase;
        db = testDatabase.analyticsDb();
        ingestion = db.system().ingestion();
    }

    @AfterAll
    static void close() {
        db.close();
    }

    @Test
    void a_full_set_of_learning_data_round_trips() {
        UUID orgId = UUID.randomUUID();
        UUID trainerId = UUID.randomUUID();
        UUID learnerId = UUID.randomUUID();
        UUID courseId = UUID.randomUUID();
        Instant enrolledAt = Instant.parse("2026-09-01T08:00:00Z");

        assertThat(ingestion.upsertOrganizations(List.of(new Organization(orgId, "Acme Academy", "acme.test", "{\"locale\": \"en\"}"))))
                .isEqualTo(new UpsertResult(1, 0, 0));
        assertThat(ingestion.upsertUsers(List.of(
                new User(trainerId, "trainer@acme.test", "Tess Trainer", null, orgId, Set.of(Role.TRAINER, Role.LEARNER)),
                new User(learnerId, "learner@acme.test", "Lee Learner", "https://cdn.test/lee.png", orgId, Set.of(Role.LEARNER)))))
                .isEqualTo(new UpsertResult(2, 0, 0));
        assertThat(ingestion.upsertCourses(List.of(new Course(courseId, "SQL basics", "Joins and more", orgId, trainerId, 10))))
                .isEqualTo(new UpsertResult(1, 0, 0));
        assertThat(ingestion.upsertEnrollments(List.of(new Enrollment(learnerId, courseId, enrolledAt, null, new BigDecimal("42.50")))))
                .isEqualTo(new UpsertResult(1, 0, 0));
        assertThat(ingestion.upsertSkills(List.of(new Skill("skill-jooq", "jOOQ", "backend", SkillLevel.ADVANCED))))
                .isEqualTo(new UpsertResult(1, 0, 0));
        assertThat(ingestion.upsertUserSkills(List.of(new UserSkill(learnerId, "skill-jooq", new BigDecimal("81.25"), enrolledAt))))
                .isEqualTo(new UpsertResult(1, 0, 0));

        List<Object> joined = database.withAdmin(ctx -> ctx.fetchOne(
                "SELECT o.name, o.settings->>'locale', u.email, u.full_name, u.avatar_url, c.name, c.trainer_id,"
                        + " e.progress_percent, e.enrolled_at, us.mastery_level, s.level"
                        + " FROM analytics.users u JOIN analytics.organizations o ON o.id = u.organization_id"
                        + " JOIN analytics.enrollments e ON e.user_id = u.id JOIN analytics.courses c ON c.id = e.course_id"
                        + " JOIN analytics.user_skills us ON us.user_id = u.id JOIN analytics.skills s ON s.id = us.skill_id"
                        + " WHERE u.id = ?", learnerId).intoList());
        assertThat(joined).containsExactly("Acme Academy", "en", "learner@acme.test", "Lee Learner", "https://cdn.test/lee.png",
                        "SQL basics", trainerId, new BigDecimal("42.50"),
                        java.time.OffsetDateTime.parse("2026-09-01T08:00:00Z"), new BigDecimal("81.25"), "advanced");
        assertThat(roles(trainerId)).containsExactlyInAnyOrder("learner", "trainer");
    }

    @Test
    void replaying_a_batch_of_10000_users_changes_nothing() {
        UUID orgId = UUID.randomUUID();
        ingestion.upsertOrganizations(List.of(new Organization(orgId, "Big Org", null, null)));
        List<User> batch = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            batch.add(new User(UUID.randomUUID(), "bulk" + i + "@big.test", "Bulk " + i, null, orgId,
                    i % 100 == 0 ? Set.of(Role.LEARNER, Role.TRAINER) : Set.of(Role.LEARNER)));
        }
        assertThat(ingestion.upsertUsers(batch)).isEqualTo(new UpsertResult(10_000, 0, 0));
        String before = snapshot("SELECT string_agg(concat(u.id, u.updated_at, u.xmin), ',' ORDER BY u.id) FROM analytics.users u"
                + " WHERE u.organization_id = '" + orgId + "'");
        String rolesBefore = snapshot("SELECT string_agg(concat(r.id, r.role, r.granted_at), ',' ORDER BY r.id) FROM analytics.user_roles r"
                + " JOIN analytics.users u ON u.id = r.user_id WHERE u.organization_id = '" + orgId + "'");

        assertThat(ingestion.upsertUsers(batch)).isEqualTo(new UpsertResult(0, 0, 10_000));

        // Same xmin and updated_at: no row was rewritten, not even to the same values.
        assertThat(snapshot("SELECT string_agg(concat(u.id, u.updated_at, u.xmin), ',' ORDER BY u.id) FROM analytics.users u"
                + " WHERE u.organization_id = '" + orgId + "'")).isEqualTo(before);
        assertThat(snapshot("SELECT string_agg(concat(r.id, r.role, r.granted_at), ',' ORDER BY r.id) FROM analytics.user_roles r"
                + " JOIN analytics.users u ON u.id = r.user_id WHERE u.organization_id = '" + orgId + "'")).isEqualTo(rolesBefore);
    }

    @Test
    void a_changed_item_is_updated_and_the_rest_left_alone() {
        UUID orgId = UUID.randomUUID();
        UUID userId = UUID.randomUUID();
        UUID otherId = UUID.randomUUID();
        ingestion.upsertOrganizations(List.of(new Organization(orgId, "Change Org", null, null)));
        ingestion.upsertUsers(List.of(
                new User(userId, "change@org.test", "Before", null, orgId, Set.of(Role.LEARNER)),
                new User(otherId, "other@org.test", "Other", null, orgId, Set.of(Role.LEARNER))));

        UpsertResult renamed = ingestion.upsertUsers(List.of(
                new User(userId, "change@org.test", "After", null, orgId, Set.of(Role.LEARNER)),
                new User(otherId, "other@org.test", "Other", null, orgId, Set.of(Role.LEARNER))));
        assertThat(renamed).isEqualTo(new UpsertResult(0, 1, 1));

        UpsertResult promoted = ingestion.upsertUsers(List.of(
                new User(otherId, "other@org.test", "Other", null, orgId, Set.of(Role.ORG_ADMIN))));
        assertThat(promoted).isEqualTo(new UpsertResult(0, 1, 0));
        assertThat(roles(otherId)).containsExactly("org_admin");
        assertThat(snapshot("SELECT full_name FROM analytics.users WHERE id = '" + userId + "'")).isEqualTo("After");
    }

    @Test
    void enrollments_are_keyed_by_user_and_course() {
        UUID orgId = UUID.randomUUID();
        UUID userId = UUID.randomUUID();
        UUID courseId = UUID.randomUUID();
        ingestion.upsertOrganizations(List.of(new Organization(orgId, "Enroll Org", null, null)));
        ingestion.upsertUsers(List.of(new User(userId, "enroll@org.test", null, null, orgId, Set.of(Role.LEARNER))));
        ingestion.upsertCourses(List.of(new Course(courseId, "Course", null, orgId, null)));
        Instant enrolled = Instant.now().truncatedTo(ChronoUnit.MICROS).minus(10, ChronoUnit.DAYS);

        ingestion.upsertEnrollments(List.of(new Enrollment(userId, courseId, enrolled, null, new BigDecimal("10"))));
        UpsertResult completed = ingestion.upsertEnrollments(List.of(
                new Enrollment(userId, courseId, enrolled, enrolled.plus(5, ChronoUnit.DAYS), new BigDecimal("100"))));

        assertThat(completed).isEqualTo(new UpsertResult(0, 1, 0));
        assertThat(snapshot("SELECT count(*) || ' ' || max(progress_percent) FROM analytics.enrollments WHERE user_id = '" + userId + "'"))
                .isEqualTo("1 100.00");
    }

    private static List<String> roles(UUID userId) {
        return database.withAdmin(ctx -> ctx.fetch("SELECT role FROM analytics.user_roles WHERE user_id = ?", userId)
                .getValues(0, String.class));
    }

    private static String snapshot(String sql) {
        return database.withAdmin(ctx -> String.valueOf(ctx.fetchValue(sql)));
    }
}
