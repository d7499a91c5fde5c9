package org.learninganalytics.db.ingestion;

import static org.learninganalytics.db.generated.Tables.COURSES;
import static org.learninganalytics.db.generated.Tables.COURSE_SKILLS;
import static org.learninganalytics.db.generated.Tables.ENROLLMENTS;
import static org.learninganalytics.db.generated.Tables.ORGANIZATIONS;
import static org.learninganalytics.db.generated.Tables.SKILLS;
import static org.learninganalytics.db.generated.Tables.USERS;
import static org.learninganalytics.db.generated.Tables.USER_ROLES;
import static org.learninganalytics.db.generated.Tables.USER_SKILLS;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Pattern;

import org.jooq.DSLContext;
import org.jooq.JSONB;
import org.jooq.impl.DSL;
import org.learninganalytics.db.internal.Transactions;
import org.learninganalytics.db.tenancy.Role;

/**
 * Idempotent bulk upserts of the learning data other microservices own (service path).
 *
 * <p>Each call is one transaction: either the whole batch is applied or, when an item is
 * bad, an {@link IngestionRejectedException} names it and nothing is written. Replaying a
 * batch changes nothing. Batches of 10,000 items are normal. Thread-safe.
 */
public final class Ingestion {

    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);
    private static final int MAX_EXPECTED_WEEKS = 520;
    private static final Pattern EMAIL = Pattern.compile("^[^@\\s]+@[^@\\s]+$");

    private final Transactions transactions;

    private final BulkUpsert<Organization, ?> organizations = new BulkUpsert<>("organization", ORGANIZATIONS,
            List.of(ORGANIZATIONS.ID),
            List.of(ORGANIZATIONS.NAME, ORGANIZATIONS.DOMAIN, ORGANIZATIONS.SETTINGS),
            o -> new Object[] {o.id(), o.name(), o.domain(), o.settingsJson() == null ? null : JSONB.valueOf(o.settingsJson())},
            o -> String.valueOf(o.id()),
            Map.of("ck_organizations_settings_object", "settings must be a JSON object"));

    private final BulkUpsert<User, ?> users = new BulkUpsert<>("user", USERS,
            List.of(USERS.ID),
            List.of(USERS.EMAIL, USERS.FULL_NAME, USERS.AVATAR_URL, USERS.ORGANIZATION_ID),
            u -> new Object[] {u.id(), u.email(), u.fullName(), u.avatarUrl(), u.organizationId()},
            u -> String.valueOf(u.id()),
            Map.of("fk_users_organization", "organizationId refers to an organization that does not exist",
                    "uq_users_email", "email is already used by another user"));

    private final BulkUpsert<Course, ?> courses = new BulkUpsert<>("course", COURSES,
            List.of(COURSES.ID),
            List.of(COURSES.NAME, COURSES.DESCRIPTION, COURSES.ORGANIZATION_ID, COURSES.TRAINER_ID, COURSES.EXPECTED_WEEKS),
            c -> new Object[] {c.id(), c.name(), c.description(), c.organizationId(), c.trainerId(), c.expectedWeeksOrDefault()},
            c -> String.valueOf(c.id()),
            Map.of("fk_courses_organization", "organizationId refers to an organization that does not exist",
                    "fk_courses_trainer", "trainerId refers to a user that does not exist"));

    private final BulkUpsert<Enrollment, ?> enrollments = new BulkUpsert<>("enrollment", ENROLLMENTS,
            List.of(ENROLLMENTS.USER_ID, ENROLLMENTS.COURSE_ID),
            List.of(ENROLLMENTS.ENROLLED_AT, ENROLLMENTS.COMPLETED_AT, ENROLLMENTS.PROGRESS_PERCENT),
            e -> new Object[] {e.userId(), e.courseId(), e.enrolledAt(), e.completedAt(), e.progressPercent()},
            e -> e.userId() + "/" + e.courseId(),
            Map.of("fk_enrollments_user", "userId refers to a user that does not exist",
                    "fk_enrollments_course", "courseId refers to a course that does not exist"));

    private final BulkUpsert<Skill, ?> skills = new BulkUpsert<>("skill", SKILLS,
            List.of(SKILLS.ID),
            List.of(SKILLS.NAME, SKILLS.DOMAIN, SKILLS.LEVEL),
            s -> new Object[] {s.id(), s.name(), s.domain(), s.level() == null ? null : s.level().sqlName()},
            Skill::id,
            Map.of());

    private final BulkUpsert<UserSkill, ?> userSkills = new BulkUpsert<>("user skill", USER_SKILLS,
            List.of(USER_SKILLS.USER_ID, USER_SKILLS.SKILL_ID),
            List.of(USER_SKILLS.MASTERY_LEVEL, USER_SKILLS.LAST_ASSESSED_AT),
            s -> new Object[] {s.userId(), s.skillId(), s.masteryLevel(), s.lastAssessedAt()},
            s -> s.userId() + "/" + s.skillId(),
            Map.of("fk_user_skills_user", "userId refers to a user that does not exist",
                    "fk_user_skills_skill", "skillId refers to a skill that does not exist"));

    private final BulkUpsert<CourseSkill, ?> courseSkills = new BulkUpsert<>("course skill", COURSE_SKILLS,
            List.of(COURSE_SKILLS.COURSE_ID, COURSE_SKILLS.SKILL_ID),
            List.of(COURSE_SKILLS.REQUIRED_LEVEL),
            s -> new Object[] {s.courseId(), s.skillId(), s.requiredLevelOrDefault()},
            s -> s.courseId() + "/" + s.skillId(),
            Map.of("fk_course_skills_course", "courseId refers to a course that does not exist",
                    "fk_course_skills_skill", "skillId refers to a skill that does not exist",
                    "ck_course_skills_required_level", "requiredLevel must be above 0 and at most 100"));

    Ingestion(Transactions transactions) {
        this.transactions = transactions;
    }

    public UpsertResult upsertOrganizations(List<Organization> batch) {
        validate(organizations, batch, o -> {
            if (o.id() == null) return "id is required";
            if (isBlank(o.name())) return "name is required";
            return null;
        });
        return transactions.asService(ctx -> organizations.run(ctx, batch).result());
    }

    /** Upserts users and makes each user's roles exactly {@link User#roles()}. */
    public UpsertResult upsertUsers(List<User> batch) {
        validate(users, batch, u -> {
            if (u.id() == null) return "id is required";
            if (isBlank(u.email())) return "email is required";
            if (!EMAIL.matcher(u.email()).matches()) return "email is not an e-mail address";
            if (u.roles() == null || u.roles().isEmpty()) return "at least one role is required";
            return null;
        });
        users.rejectDuplicates(batch, User::email, "email");
        return transactions.asService(ctx -> {
            BulkUpsert.Outcome outcome = users.run(ctx, batch);
            Set<UUID> rolesChanged = syncRoles(ctx, batch);
            Set<List<Object>> updated = new HashSet<>(outcome.updated());
            for (UUID id : rolesChanged) {
                List<Object> key = List.of(id);
                if (!outcome.inserted().contains(key)) updated.add(key);
            }
            int inserted = outcome.inserted().size();
            return new UpsertResult(inserted, updated.size(), batch.size() - inserted - updated.size());
        });
    }

    public UpsertResult upsertCourses(List<Course> batch) {
        validate(courses, batch, c -> {
            if (c.id() == null) return "id is required";
            if (isBlank(c.name())) return "name is required";
            if (c.expectedWeeks() != null && (c.expectedWeeks() < 1 || c.expectedWeeks() > MAX_EXPECTED_WEEKS)) {
                return "expectedWeeks must be between 1 and " + MAX_EXPECTED_WEEKS + ", was " + c.expectedWeeks();
            }
            return null;
        });
        return transactions.asService(ctx -> {
            Map<UUID, UUID> trainerOrganizations = organizationsOf(ctx, batch.stream().map(Course::trainerId).toList());
            for (int i = 0; i < batch.size(); i++) {
                Course course = batch.get(i);
                if (crosses(course.organizationId(), trainerOrganizations.get(course.trainerId()))) {
                    throw new IngestionRejectedException(courses.entity(), i, courses.keyOf(course),
                            "the trainer belongs to another organization than the course");
                }
            }
            return courses.run(ctx, batch).result();
        });
    }

    public UpsertResult upsertEnrollments(List<Enrollment> batch) {
        validate(enrollments, batch, e -> {
            if (e.userId() == null) return "userId is required";
            if (e.courseId() == null) return "courseId is required";
            if (e.enrolledAt() == null) return "enrolledAt is required";
            if (e.completedAt() != null && e.completedAt().isBefore(e.enrolledAt())) return "completedAt is before enrolledAt";
            return percentage("progressPercent", e.progressPercent());
        });
        return transactions.asService(ctx -> {
            Map<UUID, UUID> learnerOrganizations = organizationsOf(ctx, batch.stream().map(Enrollment::userId).toList());
            Map<UUID, UUID> courseOrganizations = new HashMap<>();
            ctx.select(COURSES.ID, COURSES.ORGANIZATION_ID).from(COURSES)
                    .where(COURSES.ID.eq(DSL.any(batch.stream().map(Enrollment::courseId).distinct().toArray(UUID[]::new))))
                    .forEach(r -> courseOrganizations.put(r.value1(), r.value2()));
            for (int i = 0; i < batch.size(); i++) {
                Enrollment enrollment = batch.get(i);
                if (crosses(courseOrganizations.get(enrollment.courseId()), learnerOrganizations.get(enrollment.userId()))) {
                    throw new IngestionRejectedException(enrollments.entity(), i, enrollments.keyOf(enrollment),
                            "the learner belongs to another organization than the course");
                }
            }
            return enrollments.run(ctx, batch).result();
        });
    }

    /**
     * Trainers see their courses' learners only within one organization, so a course or an
     * enrollment that joins two organizations is refused where both are known. (A user who
     * moves later keeps their rows; row-level security stops the crossing at once.)
     */
    private static boolean crosses(UUID organization, UUID otherOrganization) {
        return organization != null && otherOrganization != null && !organization.equals(otherOrganization);
    }

    /** The organization of each of these users that exists and has one. */
    private static Map<UUID, UUID> organizationsOf(DSLContext ctx, List<UUID> userIds) {
        Map<UUID, UUID> organizations = new HashMap<>();
        UUID[] ids = userIds.stream().filter(Objects::nonNull).distinct().toArray(UUID[]::new);
        if (ids.length == 0) return organizations;
        ctx.select(USERS.ID, USERS.ORGANIZATION_ID).from(USERS).where(USERS.ID.eq(DSL.any(ids)))
                .forEach(r -> organizations.put(r.value1(), r.value2()));
        return organizations;
    }

    public UpsertResult upsertSkills(List<Skill> batch) {
        validate(skills, batch, s -> {
            if (isBlank(s.id())) return "id is required";
            if (isBlank(s.name())) return "name is required";
            return null;
        });
        return transactions.asService(ctx -> skills.run(ctx, batch).result());
    }

    public UpsertResult upsertUserSkills(List<UserSkill> batch) {
        validate(userSkills, batch, s -> {
            if (s.userId() == null) return "userId is required";
            if (isBlank(s.skillId())) return "skillId is required";
            return percentage("masteryLevel", s.masteryLevel());
        });
        return transactions.asService(ctx -> userSkills.run(ctx, batch).result());
    }

    /**
     * Upserts which skills a course teaches and the level it requires (by course and skill;
     * a null {@code requiredLevel} is the default, 80). Mappings not in the batch are kept.
     */
    public UpsertResult upsertCourseSkills(List<CourseSkill> batch) {
        validate(courseSkills, batch, s -> {
            if (s.courseId() == null) return "courseId is required";
            if (isBlank(s.skillId())) return "skillId is required";
            BigDecimal level = s.requiredLevel();
            if (level != null && (level.signum() <= 0 || level.compareTo(HUNDRED) > 0)) {
                return "requiredLevel must be above 0 and at most 100, was " + level.toPlainString();
            }
            return null;
        });
        return transactions.asService(ctx -> courseSkills.run(ctx, batch).result());
    }

    /**
     * Stores learning events (ANALYTICS.md "Learning events"), up to 10,000 per call, in one
     * transaction and a few set-based statements. Idempotent on the event id: an event already
     * stored with the same {@code occurredAt} is left as it is and counted unchanged (events are
     * immutable; the first write wins), so a replayed batch writes nothing. Never counts
     * {@code updated}.
     *
     * <p>Rejected with the item's index, its event id and the reason, and nothing of the batch
     * written: a missing required field, a value out of range, {@code occurredAt} older than 90
     * days (the retention) or more than a day ahead, an event id twice in the batch or already
     * stored with another {@code occurredAt}, an unknown user, course or skill, a course of
     * another organization than the learner's, a context that is not a small JSON object, more
     * than 10,000 events.
     *
     * <p>{@code scoreScaled} is stored rounded half-up to 4 decimals, {@code progressPercent} to
     * 2, {@code occurredAt} to the microsecond. A month without a partition yet gets one.
     */
    public UpsertResult upsertLearningEvents(List<LearningEvent> batch) {
        LearningEventBatch.validate(batch, java.time.Instant.now());
        return transactions.asService(ctx -> LearningEventBatch.write(ctx, batch));
    }

    /** Makes user_roles of the batch's users equal to their role sets; returns users whose roles changed. */
    private static Set<UUID> syncRoles(DSLContext ctx, List<User> batch) {
        Map<UUID, Set<String>> wanted = new HashMap<>();
        for (User user : batch) {
            Set<String> names = new HashSet<>();
            user.roles().forEach(role -> names.add(role.sqlName()));
            wanted.put(user.id(), names);
        }
        Map<UUID, Set<String>> existing = new HashMap<>();
        ctx.select(USER_ROLES.USER_ID, USER_ROLES.ROLE)
                .from(USER_ROLES)
                .where(USER_ROLES.USER_ID.eq(DSL.any(wanted.keySet().toArray(UUID[]::new))))
                .forEach(r -> existing.computeIfAbsent(r.value1(), id -> new HashSet<>()).add(r.value2()));

        Set<UUID> changed = new HashSet<>();
        var deletes = new ArrayList<org.jooq.Query>();
        var inserts = new ArrayList<org.jooq.Query>();
        wanted.forEach((userId, roles) -> {
            Set<String> current = existing.getOrDefault(userId, Set.of());
            for (String role : current) {
                if (!roles.contains(role)) {
                    deletes.add(ctx.deleteFrom(USER_ROLES).where(USER_ROLES.USER_ID.eq(userId)).and(USER_ROLES.ROLE.eq(role)));
                    changed.add(userId);
                }
            }
            for (String role : roles) {
                if (!current.contains(role)) {
                    inserts.add(ctx.insertInto(USER_ROLES, USER_ROLES.USER_ID, USER_ROLES.ROLE).values(userId, role));
                    changed.add(userId);
                }
            }
        });
        if (!deletes.isEmpty()) ctx.batch(deletes).execute();
        if (!inserts.isEmpty()) ctx.batch(inserts).execute();
        return changed;
    }

    private static <T> void validate(BulkUpsert<T, ?> upsert, List<T> batch, Function<T, String> rule) {
        Objects.requireNonNull(batch, "batch");
        for (int i = 0; i < batch.size(); i++) {
            T item = batch.get(i);
            if (item == null) {
                throw new IngestionRejectedException(upsert.entity(), i, "null", "item is null");
            }
            String reason = rule.apply(item);
            if (reason != null) {
                throw new IngestionRejectedException(upsert.entity(), i, upsert.keyOf(item), reason);
            }
        }
        upsert.rejectDuplicateKeys(batch);
    }

    private static String percentage(String name, BigDecimal value) {
        if (value == null) return name + " is required";
        if (value.signum() < 0 || value.compareTo(HUNDRED) > 0) return name + " must be between 0 and 100, was " + value.toPlainString();
        return null;
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }
}
