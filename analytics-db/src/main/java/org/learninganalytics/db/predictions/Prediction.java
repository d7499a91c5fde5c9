package org.learninganalytics.db.predictions;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

/**
 * One cached prediction (predictive_analytics_cache, 48 h).
 *
 * @param confidence   0 to 1 (two decimals), or null where the model defines none (recommendations)
 * @param data         the prediction as a JSON object (README: "Predictions" documents each type's shape)
 * @param calculatedAt when it was computed
 * @param expiresAt    when it will be computed again on the next read
 */
public record Prediction(UUID userId, PredictionType type, PredictionStatus status, BigDecimal confidence, String data,
                         Instant calculatedAt, Instant expiresAt) {
}
