package org.learninganalytics.http.awards;

import java.time.Instant;
import java.util.UUID;

import org.learninganalytics.db.gamification.Award;
import org.learninganalytics.db.gamification.AwardResult;
import org.learninganalytics.http.internal.ApiException;
import org.learninganalytics.http.internal.Callers;
import org.learninganalytics.http.internal.Json;
import org.learninganalytics.http.observability.Metrics;
import org.learninganalytics.http.points.AwardJson;
import org.learninganalytics.http.points.PointsController;

import com.fasterxml.jackson.databind.JsonNode;

import io.javalin.http.Context;

/** POST /v1/awards: other services award points on the system path. */
public final class AwardsController {

    private final Callers callers;
    private final Metrics metrics;

    public AwardsController(Callers callers, Metrics metrics) {
        this.callers = callers;
        this.metrics = metrics;
    }

    record AwardRequest(UUID userId, String activityType, String idempotencyKey, Integer points, JsonNode metadata,
                        Instant occurredAt) {
    }

    public void award(Context ctx) {
        AwardRequest request = Json.read(ctx, AwardRequest.class);
        if (request.userId() == null) throw ApiException.invalid("/userId", "userId is required");
        if (request.activityType() == null || request.activityType().isBlank()) throw ApiException.invalid("/activityType", "activityType is required");
        if (request.idempotencyKey() == null || request.idempotencyKey().isBlank()) throw ApiException.invalid("/idempotencyKey", "idempotencyKey is required");
        String metadata = PointsController.metadataJson(request.metadata(), "/metadata");
        Award award = new Award(request.userId(), request.activityType(), request.idempotencyKey(), request.points(), metadata,
                request.occurredAt());
        AwardResult result = PointsController.counted(metrics, () -> callers.system(ctx).gamification().awards().award(award));
        ctx.status(result.replayed() ? 200 : 201).json(AwardJson.of(result));
    }
}
