package org.learninganalytics.http.analytics;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.learninganalytics.db.analytics.AnalyticType;
import org.learninganalytics.db.analytics.LearnerAnalytic;
import org.learninganalytics.db.analytics.LearnerAnalytics;
import org.learninganalytics.http.internal.ApiException;
import org.learninganalytics.http.internal.Callers;
import org.learninganalytics.http.internal.HttpDates;
import org.learninganalytics.http.internal.Json;
import org.learninganalytics.http.internal.Params;
import org.learninganalytics.http.internal.ProblemType;

import com.fasterxml.jackson.databind.JsonNode;

import io.javalin.http.Context;

/**
 * The six learner analytics, read as the caller under row-level security through the
 * library's TTL cache. A cached answer says when it was calculated and when it expires, in
 * the body ({@code calculatedAt}, {@code expiresAt}) and in the headers: {@code Last-Modified}
 * (calculated), {@code Expires} and {@code Cache-Control: private, max-age} (the seconds until
 * it expires; of all six, the first to expire). History ({@code ?from=&to=}) is not cached.
 */
public final class AnalyticsController {

    /** The history range when only one end is given: 30 days. */
    static final Duration DEFAULT_HISTORY_RANGE = Duration.ofDays(30);

    private final Callers callers;

    public AnalyticsController(Callers callers) {
        this.callers = callers;
    }

    /** One stored result, as every analytics answer shows it. */
    record AnalyticJson(String type, UUID id, String status, List<String> missing, Instant calculatedAt, Instant expiresAt,
                        Instant windowStart, Instant windowEnd, JsonNode result) {
        static AnalyticJson of(LearnerAnalytic a) {
            return new AnalyticJson(word(a.type()), a.id(), a.status() == LearnerAnalytic.Status.OK ? "ok" : "insufficient_data",
                    a.missing(), a.calculatedAt(), a.expiresAt(), a.windowStart(), a.windowEnd(), Json.stored(a.resultJson()));
        }
    }

    /** All six, by type (camelCase keys). */
    record AllJson(UUID userId, Map<String, AnalyticJson> analytics) {
    }

    record HistoryJson(UUID userId, String type, Instant from, Instant to, List<AnalyticJson> items) {
    }

    public void mine(Context ctx) {
        UUID me = callers.principal(ctx).userId();
        LearnerAnalytics all = callers.user(ctx).analytics().all(me)
                .orElseThrow(() -> new ApiException(ProblemType.NOT_FOUND, "No such user."));
        Map<String, AnalyticJson> byType = new LinkedHashMap<>();
        for (LearnerAnalytic analytic : all.analytics()) byType.put(key(analytic.type()), AnalyticJson.of(analytic));
        Instant calculated = all.analytics().stream().map(LearnerAnalytic::calculatedAt).max(Comparator.naturalOrder()).orElseThrow();
        Instant expires = all.analytics().stream().map(LearnerAnalytic::expiresAt).min(Comparator.naturalOrder()).orElseThrow();
        HttpDates.cached(ctx, calculated, expires);
        ctx.json(new AllJson(me, byType));
    }

    public void user(Context ctx) {
        UUID userId = Params.uuidPath(ctx, "userId");
        AnalyticType type = type(ctx.pathParam("type"));
        Instant from = instantQuery(ctx, "from");
        Instant to = instantQuery(ctx, "to");
        if (from != null || to != null) {
            Instant end = to != null ? to : (from.isAfter(Instant.now()) ? from.plus(DEFAULT_HISTORY_RANGE) : Instant.now());
            Instant start = from != null ? from : end.minus(DEFAULT_HISTORY_RANGE);
            if (!end.isAfter(start)) throw ApiException.invalid("/query/to", "to must be after from");
            List<LearnerAnalytic> items = callers.user(ctx).analytics().history(type, userId, start, end)
                    .orElseThrow(() -> new ApiException(ProblemType.NOT_FOUND, "No such user."));
            ctx.header("Cache-Control", "private, no-cache");
            ctx.json(new HistoryJson(userId, word(type), start, end, items.stream().map(AnalyticJson::of).toList()));
            return;
        }
        LearnerAnalytic analytic = callers.user(ctx).analytics().get(type, userId)
                .orElseThrow(() -> new ApiException(ProblemType.NOT_FOUND, "No such user."));
        HttpDates.cached(ctx, analytic.calculatedAt(), analytic.expiresAt());
        ctx.json(AnalyticJson.of(analytic));
    }


    /** The path's word for a type: {@code velocity}, {@code skill-gaps}, ... */
    static String word(AnalyticType type) {
        return type.name().toLowerCase().replace('_', '-');
    }

    /** The key of a type in the all-six body: {@code velocity}, {@code skillGaps}, ... */
    static String key(AnalyticType type) {
        String[] parts = type.name().toLowerCase().split("_");
        StringBuilder key = new StringBuilder(parts[0]);
        for (int i = 1; i < parts.length; i++) key.append(Character.toUpperCase(parts[i].charAt(0))).append(parts[i].substring(1));
        return key.toString();
    }

    static AnalyticType type(String word) {
        for (AnalyticType type : AnalyticType.values()) {
            if (word(type).equals(word)) return type;
        }
        throw new ApiException(ProblemType.NOT_FOUND, "No analytic '" + word.replaceAll("[^A-Za-z0-9_-]", "?")
                + "'; there are velocity, skill-gaps, engagement, mastery, performance and content-effectiveness.");
    }

    private static Instant instantQuery(Context ctx, String name) {
        String value = ctx.queryParam(name);
        if (value == null || value.isEmpty()) return null;
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw ApiException.invalid("/query/" + name, name + " must be an ISO-8601 instant such as 2026-11-25T10:00:00Z");
        }
    }

}
