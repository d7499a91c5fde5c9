package org.learninganalytics.http.points;

import java.util.Map;
import java.util.UUID;

import java.util.function.Supplier;

import org.learninganalytics.db.gamification.AwardRejectedException;
import org.learninganalytics.db.gamification.AwardResult;
import org.learninganalytics.db.gamification.PointTransactionPage;
import org.learninganalytics.http.observability.Metrics;
import org.learninganalytics.http.internal.ApiException;
import org.learninganalytics.http.internal.Callers;
import org.learninganalytics.http.internal.Json;
import org.learninganalytics.http.internal.Params;
import org.learninganalytics.http.internal.ProblemType;

import com.fasterxml.jackson.databind.JsonNode;

import io.javalin.http.Context;

/** Points, the ledger and self-reported activities. Reads run as the caller under row-level security. */
public final class PointsController {

    /** Long enough for a UUID or a client's own scheme, short enough to index. */
    private static final int MAX_IDEMPOTENCY_KEY = 200;

    private final Callers callers;
    private final Metrics metrics;

    public PointsController(Callers callers, Metrics metrics) {
        this.callers = callers;
        this.metrics = metrics;
    }

    public void myPoints(Context ctx) {
        points(ctx, callers.principal(ctx).userId());
    }

    public void userPoints(Context ctx) {
        points(ctx, Params.uuidPath(ctx, "userId"));
    }

    private void points(Context ctx, UUID userId) {
        var summary = callers.user(ctx).points().summary(userId)
                .orElseThrow(() -> new ApiException(ProblemType.NOT_FOUND, "No such user."));
        ctx.json(PointsJson.of(summary));
    }

    public void myTransactions(Context ctx) {
        transactions(ctx, callers.principal(ctx).userId());
    }

    public void userTransactions(Context ctx) {
        transactions(ctx, Params.uuidPath(ctx, "userId"));
    }

    /** One ledger line; metadata as a JSON object. */
    record TransactionJson(UUID id, String activityType, int points, com.fasterxml.jackson.databind.JsonNode metadata,
                           java.time.Instant occurredAt) {
    }

    record TransactionPageJson(java.util.List<TransactionJson> items, String nextCursor) {
    }

    private void transactions(Context ctx, UUID userId) {
        int limit = Params.limit(ctx);
        String cursor = Params.cursor(ctx);
        PointTransactionPage page = callers.user(ctx).points().transactions(userId, limit, cursor)
                .orElseThrow(() -> new ApiException(ProblemType.NOT_FOUND, "No such user."));
        ctx.json(new TransactionPageJson(page.entries().stream().map(t -> new TransactionJson(t.id(), t.activityType(), t.points(),
                Json.stored(t.metadata()), t.occurredAt())).toList(), page.nextCursor()));
    }


    /** The body of POST /v1/me/activities. */
    record ActivityReport(String activityType, JsonNode metadata) {
    }

    public void reportActivity(Context ctx) {
        String key = ctx.header("Idempotency-Key");
        if (key == null || key.isBlank()) {
            throw new ApiException(ProblemType.VALIDATION, "The Idempotency-Key header is required.",
                    java.util.List.of(new org.learninganalytics.http.internal.Problem.FieldError("/header/Idempotency-Key", "required")), Map.of());
        }
        if (key.length() > MAX_IDEMPOTENCY_KEY) {
            throw ApiException.invalid("/header/Idempotency-Key", "at most " + MAX_IDEMPOTENCY_KEY + " characters");
        }
        ActivityReport report = Json.read(ctx, ActivityReport.class);
        if (report.activityType() == null || report.activityType().isBlank()) {
            throw ApiException.invalid("/activityType", "activityType is required");
        }
        String metadata = metadataJson(report.metadata(), "/metadata");
        AwardResult result = counted(metrics, () -> callers.user(ctx).points().reportActivity(report.activityType(), key, metadata));
        ctx.status(result.replayed() ? 200 : 201).json(AwardJson.of(result));
    }

    /** Runs an award and counts its outcome: awarded, replayed, capped or rejected. */
    public static AwardResult counted(Metrics metrics, Supplier<AwardResult> award) {
        AwardResult result;
        try {
            result = award.get();
        } catch (AwardRejectedException e) {
            metrics.award(e.reason() == AwardRejectedException.Reason.CAPPED ? "capped" : "rejected");
            throw e;
        }
        metrics.award(result.replayed() ? "replayed" : "awarded");
        return result;
    }

    /** Metadata is a JSON object or absent; the library bounds its size and depth. */
    public static String metadataJson(JsonNode metadata, String pointer) {
        if (metadata == null || metadata.isNull()) return null;
        if (!metadata.isObject()) throw ApiException.invalid(pointer, "must be a JSON object");
        return Json.write(metadata);
    }
}
