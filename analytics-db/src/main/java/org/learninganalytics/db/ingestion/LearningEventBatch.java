package org.learninganalytics.db.ingestion;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import static org.learninganalytics.db.generated.Tables.COURSES;
import static org.learninganalytics.db.generated.Tables.LEARNING_EVENTS;
import static org.learninganalytics.db.generated.Tables.SKILLS;
import static org.learninganalytics.db.generated.Tables.USERS;

import org.jooq.DSLContext;
import org.jooq.JSONB;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.DSL;
import org.learninganalytics.db.generated.Routines;

/**
 * Ingestion of learning events: checks in Java, then a few set-based statements in one
 * transaction (look-ups of the referenced rows and of already stored ids, then one
 * {@code INSERT ... SELECT FROM unnest(...) ON CONFLICT DO NOTHING}). Events are immutable: an
 * id already stored with the same occurred_at is left alone (first write wins, the content is
 * not compared), one stored with another occurred_at is a rejected item.
 */
final class LearningEventBatch {

    static final String ENTITY = "learning event";

    /** The largest batch, as for every ingestion route. */
    static final int MAX_BATCH = 10_000;

    /** The seed's retention of "User Activity Logs": older events are not accepted. */
    static final Duration RETENTION = Duration.ofDays(90);

    /** Clock skew and time zones of producers: events up to a day ahead are accepted. */
    static final Duration MAX_AHEAD = Duration.ofDays(1);

    private static final int MAX_OBJECT_ID = 512;
    private static final int MAX_CONTEXT_TEXT = 16 * 1024;
    private static final BigDecimal ONE = BigDecimal.ONE;
    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

    /**
     * Concurrent batches serialize per bucket of event ids (transaction-scoped advisory locks,
     * taken in bucket order so two batches cannot deadlock), so that the same id sent twice at
     * once with two different times cannot be stored twice (the primary key includes the time).
     */
    private static final int LOCK_SPACE = 0x1e7e_0001;
    private static final int LOCK_BUCKETS = 64;

    private LearningEventBatch() {
    }

    /** What is checked without the database; throws for the first bad item. */
    static void validate(List<LearningEvent> batch, Instant now) {
        Objects.requireNonNull(batch, "batch");
        if (batch.size() > MAX_BATCH) {
            throw new IngestionRejectedException(ENTITY, MAX_BATCH, String.valueOf(key(batch.get(MAX_BATCH))),
                    "at most " + MAX_BATCH + " events per batch");
        }
        Instant oldest = now.minus(RETENTION);
        Instant latest = now.plus(MAX_AHEAD);
        Map<UUID, Integer> seen = new HashMap<>();
        for (int i = 0; i < batch.size(); i++) {
            LearningEvent e = batch.get(i);
            if (e == null) throw new IngestionRejectedException(ENTITY, i, "null", "item is null");
            String reason = reason(e, oldest, latest);
            if (reason == null && e.eventId() != null) {
                Integer first = seen.putIfAbsent(e.eventId(), i);
                if (first != null) reason = "same eventId as item #" + first + " of this batch";
            }
            if (reason != null) throw new IngestionRejectedException(ENTITY, i, key(e), reason);
        }
    }

    private static String reason(LearningEvent e, Instant oldest, Instant latest) {
        if (e.eventId() == null) return "eventId is required";
        if (e.userId() == null) return "userId is required";
        if (e.verb() == null) return "verb is required";
        if (e.objectId() == null || e.objectId().isBlank()) return "objectId is required";
        if (e.objectId().length() > MAX_OBJECT_ID) return "objectId is longer than " + MAX_OBJECT_ID + " characters";
        if (e.objectType() == null) return "objectType is required";
        if (e.skillId() != null && e.skillId().isBlank()) return "skillId must not be blank (leave it out)";
        if (e.occurredAt() == null) return "occurredAt is required";
        if (e.occurredAt().isBefore(oldest)) return "occurredAt is older than the " + RETENTION.toDays() + " days events are kept";
        if (e.occurredAt().isAfter(latest)) return "occurredAt is more than " + MAX_AHEAD.toDays() + " day in the future";
        if (e.scoreScaled() != null && (e.scoreScaled().compareTo(ONE.negate()) < 0 || e.scoreScaled().compareTo(ONE) > 0)) {
            return "scoreScaled must be between -1 and 1, was " + e.scoreScaled().toPlainString();
        }
        if (e.durationSeconds() != null && (e.durationSeconds() < 0 || e.durationSeconds() > 86_400)) {
            return "durationSeconds must be between 0 and 86400, was " + e.durationSeconds();
        }
        if (e.progressPercent() != null && (e.progressPercent().signum() < 0 || e.progressPercent().compareTo(HUNDRED) > 0)) {
            return "progressPercent must be between 0 and 100, was " + e.progressPercent().toPlainString();
        }
        if (e.contextJson() != null && e.contextJson().length() > MAX_CONTEXT_TEXT) {
            return "context must be a JSON object of at most 4096 bytes and 4 levels of nesting";
        }
        return null;
    }

    private static String key(LearningEvent e) {
        return e == null ? "null" : String.valueOf(e.eventId());
    }

    /** Writes the (validated) batch inside the caller's service transaction. */
    static UpsertResult write(DSLContext ctx, List<LearningEvent> batch) {
        if (batch.isEmpty()) return new UpsertResult(0, 0, 0);
        lockBuckets(ctx, batch);
        rejectUnknownReferences(ctx, batch);
        rejectIdsStoredWithAnotherTime(ctx, batch);
        ensurePartitions(ctx, batch);

        int n = batch.size();
        UUID[] eventIds = new UUID[n];
        UUID[] userIds = new UUID[n];
        String[] verbs = new String[n];
        String[] objectIds = new String[n];
        String[] objectTypes = new String[n];
        UUID[] courseIds = new UUID[n];
        String[] skillIds = new String[n];
        BigDecimal[] scores = new BigDecimal[n];
        Boolean[] successes = new Boolean[n];
        Boolean[] completions = new Boolean[n];
        Integer[] durations = new Integer[n];
        BigDecimal[] progresses = new BigDecimal[n];
        Instant[] times = new Instant[n];
        String[] contexts = new String[n];
        for (int i = 0; i < n; i++) {
            LearningEvent e = batch.get(i);
            eventIds[i] = e.eventId();
            userIds[i] = e.userId();
            verbs[i] = e.verb().sqlName();
            objectIds[i] = e.objectId();
            objectTypes[i] = e.objectType().sqlName();
            courseIds[i] = e.courseId();
            skillIds[i] = e.skillId();
            scores[i] = e.scoreScaled() == null ? null : e.scoreScaled().setScale(4, RoundingMode.HALF_UP);
            successes[i] = e.success();
            completions[i] = e.completion();
            durations[i] = e.durationSeconds();
            progresses[i] = e.progressPercent() == null ? null : e.progressPercent().setScale(2, RoundingMode.HALF_UP);
            times[i] = micros(e.occurredAt());
            contexts[i] = e.contextJson();
        }
        String insert = """
                INSERT INTO {0} (event_id, user_id, verb, object_id, object_type, course_id, skill_id, score_scaled,
                                             success, completion, duration_seconds, progress_percent, occurred_at, context)
                SELECT b.event_id, b.user_id, b.verb, b.object_id, b.object_type, b.course_id, b.skill_id, b.score_scaled,
                       b.success, b.completion, b.duration_seconds, b.progress_percent, b.occurred_at, b.context::jsonb
                FROM unnest({1}::uuid[], {2}::uuid[], {3}::text[], {4}::text[], {5}::text[], {6}::uuid[], {7}::text[],
                            {8}::numeric[], {9}::boolean[], {10}::boolean[], {11}::integer[], {12}::numeric[],
                            {13}::timestamptz[], {14}::text[])
                     AS b(event_id, user_id, verb, object_id, object_type, course_id, skill_id, score_scaled,
                          success, completion, duration_seconds, progress_percent, occurred_at, context)
                ON CONFLICT DO NOTHING""";
        int inserted;
        try {
            // A savepoint: when PostgreSQL refuses the batch (a context that is not a bounded JSON
            // object), the transaction stays usable to find the item.
            inserted = ctx.transactionResult(nested -> nested.dsl().execute(insert, LEARNING_EVENTS, DSL.val(eventIds), DSL.val(userIds), DSL.val(verbs), DSL.val(objectIds),
                    DSL.val(objectTypes), DSL.val(courseIds), DSL.val(skillIds), DSL.val(scores), DSL.val(successes), DSL.val(completions),
                    DSL.val(durations), DSL.val(progresses), DSL.val(times), DSL.val(contexts)));
        } catch (DataAccessException e) {
            throw locateBadContext(ctx, batch, e);
        }
        return new UpsertResult(inserted, 0, n - inserted);
    }

    private static Instant micros(Instant at) {
        return at.truncatedTo(ChronoUnit.MICROS);
    }

    private static void lockBuckets(DSLContext ctx, List<LearningEvent> batch) {
        TreeSet<Integer> buckets = new TreeSet<>();
        for (LearningEvent e : batch) buckets.add(Math.floorMod(e.eventId().hashCode(), LOCK_BUCKETS));
        // One statement; the subquery's ORDER BY fixes the order in which the locks are taken.
        ctx.fetch("SELECT pg_catalog.pg_advisory_xact_lock({0}, s.b) FROM (SELECT u.b FROM unnest({1}::integer[]) AS u(b) ORDER BY u.b) AS s",
                DSL.val(LOCK_SPACE), DSL.val(buckets.toArray(Integer[]::new)));
    }

    /** Users, courses and skills must exist, and an event's course must be of its learner's organization. */
    private static void rejectUnknownReferences(DSLContext ctx, List<LearningEvent> batch) {
        Map<UUID, UUID> userOrgs = new HashMap<>();
        Set<UUID> users = new HashSet<>();
        ctx.select(USERS.ID, USERS.ORGANIZATION_ID).from(USERS)
                .where(USERS.ID.eq(DSL.any(batch.stream().map(LearningEvent::userId).distinct().toArray(UUID[]::new))))
                .forEach(r -> {
                    users.add(r.value1());
                    userOrgs.put(r.value1(), r.value2());
                });
        UUID[] courseIds = batch.stream().map(LearningEvent::courseId).filter(Objects::nonNull).distinct().toArray(UUID[]::new);
        Map<UUID, UUID> courseOrgs = new HashMap<>();
        Set<UUID> courses = new HashSet<>();
        if (courseIds.length > 0) {
            ctx.select(COURSES.ID, COURSES.ORGANIZATION_ID).from(COURSES).where(COURSES.ID.eq(DSL.any(courseIds))).forEach(r -> {
                courses.add(r.value1());
                courseOrgs.put(r.value1(), r.value2());
            });
        }
        String[] skillIds = batch.stream().map(LearningEvent::skillId).filter(Objects::nonNull).distinct().toArray(String[]::new);
        Set<String> skills = new HashSet<>();
        if (skillIds.length > 0) {
            skills.addAll(ctx.select(SKILLS.ID).from(SKILLS).where(SKILLS.ID.eq(DSL.any(skillIds))).fetch(SKILLS.ID));
        }
        for (int i = 0; i < batch.size(); i++) {
            LearningEvent e = batch.get(i);
            String reason = null;
            if (!users.contains(e.userId())) reason = "userId refers to a user that does not exist";
            else if (e.courseId() != null && !courses.contains(e.courseId())) reason = "courseId refers to a course that does not exist";
            else if (e.skillId() != null && !skills.contains(e.skillId())) reason = "skillId refers to a skill that does not exist";
            else if (e.courseId() != null && crosses(courseOrgs.get(e.courseId()), userOrgs.get(e.userId()))) {
                reason = "the learner belongs to another organization than the course";
            }
            if (reason != null) throw new IngestionRejectedException(ENTITY, i, key(e), reason);
        }
    }

    private static boolean crosses(UUID organization, UUID otherOrganization) {
        return organization != null && otherOrganization != null && !organization.equals(otherOrganization);
    }

    /** An id is one event forever: the same id at another time is a producer's bug, not a new event. */
    private static void rejectIdsStoredWithAnotherTime(DSLContext ctx, List<LearningEvent> batch) {
        Map<UUID, List<Instant>> stored = new HashMap<>();
        ctx.select(LEARNING_EVENTS.EVENT_ID, LEARNING_EVENTS.OCCURRED_AT).from(LEARNING_EVENTS)
                .where(LEARNING_EVENTS.EVENT_ID.eq(DSL.any(batch.stream().map(LearningEvent::eventId).toArray(UUID[]::new))))
                .forEach(r -> stored.computeIfAbsent(r.value1(), id -> new ArrayList<>()).add(r.value2()));
        if (stored.isEmpty()) return;
        for (int i = 0; i < batch.size(); i++) {
            LearningEvent e = batch.get(i);
            List<Instant> times = stored.get(e.eventId());
            if (times == null) continue;
            Instant sent = e.occurredAt().truncatedTo(ChronoUnit.MICROS);
            if (!times.contains(sent)) {
                throw new IngestionRejectedException(ENTITY, i, key(e), "eventId is already stored with another occurredAt ("
                        + times.get(0) + "); an event id may not be reused");
            }
        }
    }

    /** Makes the monthly partitions the batch needs that do not exist yet (rare: the partition job makes them ahead). */
    private static void ensurePartitions(DSLContext ctx, List<LearningEvent> batch) {
        Set<LocalDate> months = new TreeSet<>();
        for (LearningEvent e : batch) months.add(LocalDate.ofInstant(e.occurredAt(), ZoneOffset.UTC).withDayOfMonth(1));
        String schema = LEARNING_EVENTS.getSchema().getName();
        for (LocalDate month : months) {
            String name = String.format("%s.learning_events_%04d_%02d", schema, month.getYear(), month.getMonthValue());
            if (ctx.fetchValue("SELECT pg_catalog.to_regclass({0}) IS NULL", DSL.val(name)) instanceof Boolean missing && missing) {
                ctx.select(Routines.createLearningEventPartitions(month, 1)).fetch();
            }
        }
    }

    /** The first item whose context PostgreSQL refuses; else the batch's own failure. */
    private static RuntimeException locateBadContext(DSLContext ctx, List<LearningEvent> batch, DataAccessException failure) {
        String state = failure.sqlState();
        if (state == null || !(state.startsWith("22") || state.startsWith("23"))) return failure;
        for (int i = 0; i < batch.size(); i++) {
            LearningEvent e = batch.get(i);
            if (e.contextJson() == null) continue;
            try {
                Boolean ok = ctx.transactionResult(nested -> nested.dsl()
                        .fetchValue(Routines.isBoundedJsonObject(JSONB.valueOf(e.contextJson()), 4096, 4)));
                if (Boolean.TRUE.equals(ok)) continue;
            } catch (DataAccessException invalid) {
                // not JSON at all
            }
            return new IngestionRejectedException(ENTITY, i, key(e),
                    "context must be a JSON object of at most 4096 bytes and 4 levels of nesting", failure);
        }
        return new IngestionRejectedException(ENTITY, 0, key(batch.get(0)), "invalid value (SQLSTATE " + state + ")", failure);
    }
}
