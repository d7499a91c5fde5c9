package org.learninganalytics.http.predictions;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

import org.learninganalytics.db.predictions.Prediction;
import org.learninganalytics.db.predictions.PredictionStatus;
import org.learninganalytics.db.predictions.PredictionType;
import org.learninganalytics.http.internal.ApiException;
import org.learninganalytics.http.internal.Callers;
import org.learninganalytics.http.internal.HttpDates;
import org.learninganalytics.http.internal.Json;
import org.learninganalytics.http.internal.Params;
import org.learninganalytics.http.internal.ProblemType;

import com.fasterxml.jackson.databind.JsonNode;

import io.javalin.http.Context;

/**
 * A learner's predictions, read as the caller under row-level security: cached for 48 hours,
 * computed on the service path when missing or expired. A prediction the learner switched
 * off is 404 for everyone, like a user the caller may not see.
 */
public final class PredictionsController {

    private final Callers callers;

    public PredictionsController(Callers callers) {
        this.callers = callers;
    }

    record PredictionJson(UUID userId, String type, PredictionStatus status, BigDecimal confidence, Instant calculatedAt,
                          Instant expiresAt, JsonNode data) {
    }

    public void prediction(Context ctx) {
        UUID userId = Params.uuidPath(ctx, "userId");
        String name = ctx.pathParam("type");
        PredictionType type = switch (name) {
            case "drop-off-risk" -> PredictionType.DROP_OFF_RISK;
            case "forecast" -> PredictionType.FORECAST;
            case "recommendations" -> PredictionType.RECOMMENDATIONS;
            default -> throw new ApiException(ProblemType.NOT_FOUND, "No prediction '" + name.replaceAll("[^A-Za-z0-9_-]", "?")
                    + "'; there are drop-off-risk, forecast and recommendations.");
        };
        Prediction prediction = callers.user(ctx).predictions().get(userId, type);
        HttpDates.cached(ctx, prediction.calculatedAt(), prediction.expiresAt());
        ctx.json(new PredictionJson(userId, name, prediction.status(), prediction.confidence(), prediction.calculatedAt(),
                prediction.expiresAt(), Json.stored(prediction.data())));
    }


}
