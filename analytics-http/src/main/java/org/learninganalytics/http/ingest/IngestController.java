package org.learninganalytics.http.ingest;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;

import org.learninganalytics.db.ingestion.Course;
import org.learninganalytics.db.ingestion.CourseSkill;
import org.learninganalytics.db.ingestion.Enrollment;
import org.learninganalytics.db.ingestion.LearningEvent;
import org.learninganalytics.db.ingestion.LearningObjectType;
import org.learninganalytics.db.ingestion.LearningVerb;
import org.learninganalytics.db.ingestion.Organization;
import org.learninganalytics.db.ingestion.Skill;
import org.learninganalytics.db.ingestion.SkillLevel;
import org.learninganalytics.db.ingestion.UpsertResult;
import org.learninganalytics.db.ingestion.User;
import org.learninganalytics.db.ingestion.UserSkill;
import org.learninganalytics.db.tenancy.Role;
import org.learninganalytics.http.internal.ApiException;
import org.learninganalytics.http.internal.Callers;
import org.learninganalytics.http.internal.Json;
import org.learninganalytics.http.internal.ProblemType;

import com.fasterxml.jackson.databind.JsonNode;

import io.javalin.http.Context;

/**
 * POST /v1/ingest/{entity}: batches of up to 10,000 items from the systems of record, on the
 * system path. A batch is written whole or not at all; the library names the bad item.
 */
public final class IngestController {

    public static final int MAX_ITEMS = 10_000;

    private final Callers callers;

    public IngestController(Callers callers) {
        this.callers = callers;
    }

    record OrganizationJson(UUID id, String name, String domain, JsonNode settings) {
    }

    record UserJson(UUID id, String email, String fullName, String avatarUrl, UUID organizationId, List<Role> roles) {
    }

    record CourseJson(UUID id, String name, String description, UUID organizationId, UUID trainerId, Integer expectedWeeks) {
    }

    record CourseSkillJson(UUID courseId, String skillId, BigDecimal requiredLevel) {
    }

    record EventJson(UUID eventId, UUID userId, LearningVerb verb, String objectId, LearningObjectType objectType, UUID courseId,
                     String skillId, BigDecimal scoreScaled, Boolean success, Boolean completion, Integer durationSeconds,
                     BigDecimal progressPercent, Instant occurredAt, JsonNode context) {
    }

    record EnrollmentJson(UUID userId, UUID courseId, Instant enrolledAt, Instant completedAt, BigDecimal progressPercent) {
    }

    record SkillJson(String id, String name, String domain, SkillLevel level) {
    }

    record UserSkillJson(UUID userId, String skillId, BigDecimal masteryLevel, Instant lastAssessedAt) {
    }

    /** The answer: how many items were new, changed and already as sent. */
    record IngestResult(String entity, int inserted, int updated, int unchanged, int total) {
        static IngestResult of(String entity, UpsertResult r) {
            return new IngestResult(entity, r.inserted(), r.updated(), r.unchanged(), r.total());
        }
    }

    public void ingest(Context ctx) {
        String entity = ctx.pathParam("entity");
        UpsertResult result = switch (entity) {
            case "organizations" -> {
                List<Organization> batch = batch(ctx, OrganizationJson[].class, o -> new Organization(o.id(), o.name(), o.domain(),
                        o.settings() == null || o.settings().isNull() ? null : Json.write(o.settings())));
                yield callers.system(ctx).ingestion().upsertOrganizations(batch);
            }
            case "users" -> {
                List<User> batch = batch(ctx, UserJson[].class, u -> new User(u.id(), u.email(), u.fullName(), u.avatarUrl(),
                        u.organizationId(), u.roles() == null ? null : new java.util.HashSet<>(u.roles())));
                yield callers.system(ctx).ingestion().upsertUsers(batch);
            }
            case "courses" -> {
                List<Course> batch = batch(ctx, CourseJson[].class, c -> new Course(c.id(), c.name(), c.description(),
                        c.organizationId(), c.trainerId(), c.expectedWeeks()));
                yield callers.system(ctx).ingestion().upsertCourses(batch);
            }
            case "enrollments" -> {
                List<Enrollment> batch = batch(ctx, EnrollmentJson[].class, e -> new Enrollment(e.userId(), e.courseId(),
                        e.enrolledAt(), e.completedAt(), e.progressPercent()));
                yield callers.system(ctx).ingestion().upsertEnrollments(batch);
            }
            case "skills" -> {
                List<Skill> batch = batch(ctx, SkillJson[].class, s -> new Skill(s.id(), s.name(), s.domain(), s.level()));
                yield callers.system(ctx).ingestion().upsertSkills(batch);
            }
            case "user-skills" -> {
                List<UserSkill> batch = batch(ctx, UserSkillJson[].class, s -> new UserSkill(s.userId(), s.skillId(),
                        s.masteryLevel(), s.lastAssessedAt()));
                yield callers.system(ctx).ingestion().upsertUserSkills(batch);
            }
            case "course-skills" -> {
                List<CourseSkill> batch = batch(ctx, CourseSkillJson[].class, s -> new CourseSkill(s.courseId(), s.skillId(),
                        s.requiredLevel()));
                yield callers.system(ctx).ingestion().upsertCourseSkills(batch);
            }
            case "events" -> {
                List<LearningEvent> batch = batch(ctx, EventJson[].class, e -> new LearningEvent(e.eventId(), e.userId(), e.verb(),
                        e.objectId(), e.objectType(), e.courseId(), e.skillId(), e.scoreScaled(), e.success(), e.completion(),
                        e.durationSeconds(), e.progressPercent(), e.occurredAt(),
                        e.context() == null || e.context().isNull() ? null : Json.write(e.context())));
                yield callers.system(ctx).ingestion().upsertLearningEvents(batch);
            }
            default -> throw new ApiException(ProblemType.NOT_FOUND, "Nothing to ingest at '" + entity.replaceAll("[^A-Za-z0-9_-]", "?")
                    + "'; the entities are organizations, users, courses, enrollments, skills, user-skills, course-skills and events.");
        };
        ctx.json(IngestResult.of(entity, result));
    }

    /** Reads the array, bounds it, and converts each item; a record that refuses an item is a 400 at its index. */
    private static <J, T> List<T> batch(Context ctx, Class<J[]> arrayType, Function<J, T> convert) {
        J[] items = Json.read(ctx, arrayType);
        if (items.length > MAX_ITEMS) {
            throw ApiException.invalid("", "at most " + MAX_ITEMS + " items per batch, got " + items.length);
        }
        List<T> batch = new ArrayList<>(items.length);
        for (int i = 0; i < items.length; i++) {
            if (items[i] == null) throw ApiException.invalid("/" + i, "an item must be an object");
            try {
                batch.add(convert.apply(items[i]));
            } catch (RuntimeException e) { // a record's own checks (e.g. a required field)
                throw ApiException.invalid("/" + i, safe(e.getMessage()));
            }
        }
        return batch;
    }

    private static String safe(String message) {
        return message == null ? "invalid item" : message.length() > 200 ? message.substring(0, 200) : message;
    }
}
