package org.learninganalytics.http.xapi;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.learninganalytics.db.ingestion.LearningEvent;
import org.learninganalytics.db.ingestion.LearningObjectType;
import org.learninganalytics.db.ingestion.LearningVerb;
import org.learninganalytics.http.internal.ApiException;
import org.learninganalytics.http.internal.Json;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The mapping of an xAPI 1.0.3 statement onto a {@link LearningEvent} (the subset we accept;
 * openapi.yaml's {@code XapiStatement} and the README's table say the same). Pure: no IO.
 * Anything outside the subset is a 400 whose pointer names the property.
 */
final class XapiStatements {

    static final String VERB_PREFIX = "http://adlnet.gov/expapi/verbs/";
    static final String ADL_ACTIVITIES = "http://adlnet.gov/expapi/activities/";
    /** Our own activity types: {@code <this><objectType>} for each of our object types. */
    static final String OUR_ACTIVITY_TYPES = "https://learninganalytics.org/xapi/activity-types/";
    static final String VIDEO_PROFILE = "https://w3id.org/xapi/video/activity-type/video";
    static final String CMI5_PROGRESS = "https://w3id.org/xapi/cmi5/result/extensions/progress";
    static final String COURSE_EXTENSION = "https://learninganalytics.org/xapi/course-id";
    static final String SKILL_EXTENSION = "https://learninganalytics.org/xapi/skill-id";

    /** Activity types of other vocabularies that map onto ours; any other type is {@code other}. */
    static final Map<String, LearningObjectType> ACTIVITY_TYPES;

    static {
        Map<String, LearningObjectType> types = new LinkedHashMap<>();
        types.put(ADL_ACTIVITIES + "course", LearningObjectType.COURSE);
        types.put(ADL_ACTIVITIES + "module", LearningObjectType.MODULE);
        types.put(ADL_ACTIVITIES + "lesson", LearningObjectType.LESSON);
        types.put(ADL_ACTIVITIES + "assessment", LearningObjectType.ASSESSMENT);
        types.put(ADL_ACTIVITIES + "interaction", LearningObjectType.EXERCISE);
        types.put(ADL_ACTIVITIES + "cmi.interaction", LearningObjectType.EXERCISE);
        types.put(ADL_ACTIVITIES + "question", LearningObjectType.EXERCISE);
        types.put(ADL_ACTIVITIES + "media", LearningObjectType.VIDEO);
        types.put(VIDEO_PROFILE, LearningObjectType.VIDEO);
        types.put("http://id.tincanapi.com/activitytype/document", LearningObjectType.READING);
        types.put("http://id.tincanapi.com/activitytype/discussion", LearningObjectType.FORUM);
        for (LearningObjectType type : LearningObjectType.values()) types.put(OUR_ACTIVITY_TYPES + type.sqlName(), type);
        ACTIVITY_TYPES = Map.copyOf(types);
    }

    private static final Set<String> STATEMENT = Set.of("id", "actor", "verb", "object", "result", "context", "timestamp", "stored",
            "authority", "version", "attachments");
    private static final Set<String> AGENT = Set.of("objectType", "name", "mbox", "mbox_sha1sum", "openid", "account");
    private static final Set<String> ACCOUNT = Set.of("homePage", "name");
    private static final Set<String> VERB = Set.of("id", "display");
    private static final Set<String> ACTIVITY = Set.of("objectType", "id", "definition");
    private static final Set<String> DEFINITION = Set.of("name", "description", "type", "moreInfo", "extensions", "interactionType",
            "correctResponsesPattern", "choices", "scale", "source", "target", "steps");
    private static final Set<String> RESULT = Set.of("score", "success", "completion", "response", "duration", "extensions");
    private static final Set<String> SCORE = Set.of("scaled", "raw", "min", "max");
    private static final Set<String> CONTEXT = Set.of("registration", "instructor", "team", "contextActivities", "revision", "platform",
            "language", "statement", "extensions");
    private static final Set<String> CONTEXT_ACTIVITIES = Set.of("parent", "grouping", "category", "other");

    /** A UUID at the end of an activity IRI: {@code https://lms.example/courses/<uuid>} or {@code urn:uuid:<uuid>}. */
    private static final Pattern TRAILING_UUID = Pattern.compile("([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})/?$");
    /** xAPI durations: ISO 8601 with days, hours, minutes and (fractional) seconds. */
    private static final Pattern DURATION = Pattern.compile("P(?:\\d+D)?(?:T(?:\\d+H)?(?:\\d+M)?(?:\\d+(?:\\.\\d+)?S)?)?");

    private XapiStatements() {
    }

    /** The event of {@code statement} at {@code at} ("" for a single statement, "/3" in an array); {@code now} for a missing timestamp. */
    static LearningEvent event(JsonNode statement, String at, Instant now) {
        object(statement, at, STATEMENT);
        UUID id = statement.has("id") ? uuid(statement.get("id"), at + "/id") : UUID.randomUUID();
        UUID userId = actor(required(statement, "actor", at), at + "/actor");
        LearningVerb verb = verb(required(statement, "verb", at), at + "/verb");

        JsonNode activity = required(statement, "object", at);
        object(activity, at + "/object", ACTIVITY);
        if (activity.has("objectType") && !"Activity".equals(activity.get("objectType").asText())) {
            throw ApiException.invalid(at + "/object/objectType", "only statements about an Activity are accepted");
        }
        String objectId = text(required(activity, "id", at + "/object"), at + "/object/id");
        LearningObjectType objectType = LearningObjectType.OTHER;
        if (activity.has("definition")) {
            JsonNode definition = object(activity.get("definition"), at + "/object/definition", DEFINITION);
            if (definition.has("type")) {
                objectType = ACTIVITY_TYPES.getOrDefault(text(definition.get("type"), at + "/object/definition/type"), LearningObjectType.OTHER);
            }
        }

        BigDecimal scaled = null;
        Boolean success = null;
        Boolean completion = null;
        Integer seconds = null;
        BigDecimal progress = null;
        if (statement.has("result")) {
            String p = at + "/result";
            JsonNode result = object(statement.get("result"), p, RESULT);
            if (result.has("score")) {
                JsonNode score = object(result.get("score"), p + "/score", SCORE);
                if (score.has("scaled")) {
                    scaled = number(score.get("scaled"), p + "/score/scaled");
                    if (scaled.abs().compareTo(BigDecimal.ONE) > 0) throw ApiException.invalid(p + "/score/scaled", "must be between -1 and 1");
                }
            }
            if (result.has("success")) success = bool(result.get("success"), p + "/success");
            if (result.has("completion")) completion = bool(result.get("completion"), p + "/completion");
            if (result.has("duration")) seconds = seconds(text(result.get("duration"), p + "/duration"), p + "/duration");
            JsonNode extensions = result.has("extensions") ? object(result.get("extensions"), p + "/extensions", null) : null;
            if (extensions != null && extensions.has(CMI5_PROGRESS)) {
                String pointer = p + "/extensions/" + escape(CMI5_PROGRESS);
                progress = number(extensions.get(CMI5_PROGRESS), pointer);
                if (progress.signum() < 0 || progress.compareTo(BigDecimal.valueOf(100)) > 0) {
                    throw ApiException.invalid(pointer, "progress must be between 0 and 100");
                }
            }
        }

        UUID courseId = null;
        String skillId = null;
        Map<String, Object> kept = new LinkedHashMap<>();
        if (statement.has("context")) {
            String p = at + "/context";
            JsonNode context = object(statement.get("context"), p, CONTEXT);
            if (context.has("contextActivities")) {
                JsonNode activities = object(context.get("contextActivities"), p + "/contextActivities", CONTEXT_ACTIVITIES);
                courseId = parentCourse(activities.get("parent"), p + "/contextActivities/parent");
            }
            if (context.has("extensions")) {
                JsonNode extensions = object(context.get("extensions"), p + "/extensions", null);
                if (extensions.has(COURSE_EXTENSION)) courseId = uuid(extensions.get(COURSE_EXTENSION), p + "/extensions/" + escape(COURSE_EXTENSION));
                if (extensions.has(SKILL_EXTENSION)) skillId = text(extensions.get(SKILL_EXTENSION), p + "/extensions/" + escape(SKILL_EXTENSION));
            }
            for (String name : List.of("registration", "platform", "language")) {
                if (context.has(name)) kept.put(name, text(context.get(name), p + "/" + name));
            }
        }

        Instant occurredAt = now;
        if (statement.has("timestamp")) {
            String text = text(statement.get("timestamp"), at + "/timestamp");
            try {
                occurredAt = OffsetDateTime.parse(text).toInstant();
            } catch (DateTimeException e) {
                throw ApiException.invalid(at + "/timestamp", "must be an ISO 8601 timestamp with a time zone, e.g. 2026-11-25T10:00:00Z");
            }
        }
        return new LearningEvent(id, userId, verb, objectId, objectType, courseId, skillId, scaled, success, completion, seconds, progress,
                occurredAt, kept.isEmpty() ? null : Json.write(Map.of("xapi", kept)));
    }

    private static UUID actor(JsonNode actor, String at) {
        object(actor, at, AGENT);
        if (actor.has("objectType") && !"Agent".equals(actor.get("objectType").asText())) {
            throw ApiException.invalid(at + "/objectType", "the actor must be an Agent identified by account.name (the user's id)");
        }
        for (String other : List.of("mbox", "mbox_sha1sum", "openid")) {
            if (actor.has(other)) {
                throw ApiException.invalid(at + "/" + other, "identify the actor by account.name (the user's id), not by " + other);
            }
        }
        JsonNode account = object(required(actor, "account", at), at + "/account", ACCOUNT);
        return uuid(required(account, "name", at + "/account"), at + "/account/name");
    }

    private static LearningVerb verb(JsonNode verb, String at) {
        object(verb, at, VERB);
        String iri = text(required(verb, "id", at), at + "/id");
        LearningVerb known = iri.startsWith(VERB_PREFIX) ? LearningVerb.fromSqlName(iri.substring(VERB_PREFIX.length())) : null;
        if (known == null) {
            throw ApiException.invalid(at + "/id", "the verb must be one of " + VERB_PREFIX
                    + "{initialized, terminated, experienced, attempted, answered, progressed, completed, passed, failed, mastered}");
        }
        return known;
    }

    /** The course of the first parent activity of type course whose id ends with a UUID; null when there is none. */
    private static UUID parentCourse(JsonNode parents, String at) {
        if (parents == null) return null;
        List<JsonNode> list = new ArrayList<>();
        if (parents.isArray()) parents.forEach(list::add);
        else list.add(parents);
        for (int i = 0; i < list.size(); i++) {
            String p = parents.isArray() ? at + "/" + i : at;
            JsonNode parent = object(list.get(i), p, ACTIVITY);
            JsonNode type = parent.path("definition").path("type");
            if (!type.isTextual() || !type.asText().equals(ADL_ACTIVITIES + "course") || !parent.path("id").isTextual()) continue;
            Matcher uuid = TRAILING_UUID.matcher(parent.get("id").asText());
            if (uuid.find()) return UUID.fromString(uuid.group(1));
        }
        return null;
    }

    private static Integer seconds(String iso, String at) {
        if (!DURATION.matcher(iso).matches() || iso.equals("P") || iso.endsWith("T")) {
            throw ApiException.invalid(at, "must be an ISO 8601 duration in days, hours, minutes and seconds, e.g. PT4M30S");
        }
        try {
            Duration duration = Duration.parse(iso);
            BigDecimal secs = BigDecimal.valueOf(duration.getSeconds()).add(BigDecimal.valueOf(duration.getNano(), 9))
                    .setScale(0, RoundingMode.HALF_UP);
            return secs.compareTo(BigDecimal.valueOf(Integer.MAX_VALUE)) > 0 ? Integer.MAX_VALUE : secs.intValue();
        } catch (DateTimeException | ArithmeticException e) {
            throw ApiException.invalid(at, "must be an ISO 8601 duration in days, hours, minutes and seconds, e.g. PT4M30S");
        }
    }

    /** {@code node} as an object with only {@code allowed} properties (any when null). */
    private static JsonNode object(JsonNode node, String at, Set<String> allowed) {
        if (node == null || !node.isObject()) throw ApiException.invalid(at, "must be an object");
        if (allowed != null) {
            for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                if (!allowed.contains(name)) throw ApiException.invalid(at + "/" + escape(name), "not an xAPI 1.0.3 property here");
            }
        }
        return node;
    }

    private static JsonNode required(JsonNode node, String name, String at) {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) throw ApiException.invalid(at + "/" + name, "is required");
        return value;
    }

    private static String text(JsonNode node, String at) {
        if (!node.isTextual() || node.asText().isBlank()) throw ApiException.invalid(at, "must be a non-empty string");
        return node.asText();
    }

    private static UUID uuid(JsonNode node, String at) {
        try {
            String text = text(node, at);
            if (text.length() != 36) throw new IllegalArgumentException();
            return UUID.fromString(text);
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid(at, "must be a UUID");
        }
    }

    private static BigDecimal number(JsonNode node, String at) {
        if (!node.isNumber()) throw ApiException.invalid(at, "must be a number");
        return node.decimalValue();
    }

    private static Boolean bool(JsonNode node, String at) {
        if (!node.isBoolean()) throw ApiException.invalid(at, "must be true or false");
        return node.booleanValue();
    }

    /** A JSON pointer token (RFC 6901). */
    static String escape(String name) {
        return name.replace("~", "~0").replace("/", "~1");
    }
}
