package org.learninganalytics.db.predictions;

import static org.learninganalytics.db.AnalyticsDb.SCHEMA;
import static org.learninganalytics.db.generated.Tables.PREDICTIVE_ANALYTICS_CACHE;
import static org.learninganalytics.db.generated.Tables.USERS;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.jooq.DSLContext;
import org.jooq.JSONB;
import org.jooq.Record;
import org.jooq.impl.DSL;
import org.learninganalytics.db.AnalyticsDbException;
import org.learninganalytics.db.generated.tables.records.PredictiveAnalyticsCacheRecord;

/**
 * Reading and computing cached predictions, inside a unit of work the caller opened (as a user
 * for reads, on the service path for computing). Not API; the services below use it.
 */
final class PredictionCache {

    /** ANALYTICS.md: the predictive cache keeps a prediction 48 hours. */
    static final Duration TTL = Duration.ofHours(48);

    private PredictionCache() {
    }

    /** The unexpired prediction of a user, as the context's role may see it. */
    static Optional<Prediction> fresh(DSLContext ctx, UUID userId, PredictionType type) {
        return ctx.select(PREDICTIVE_ANALYTICS_CACHE.asterisk(), STATUS)
                .from(PREDICTIVE_ANALYTICS_CACHE)
                .where(PREDICTIVE_ANALYTICS_CACHE.USER_ID.eq(userId), PREDICTIVE_ANALYTICS_CACHE.ANALYTICS_TYPE.eq(type.sqlName()),
                        PREDICTIVE_ANALYTICS_CACHE.EXPIRES_AT.gt(DSL.currentInstant()))
                .fetchOptional(row -> prediction(row.into(PREDICTIVE_ANALYTICS_CACHE), type, row.get(STATUS)));
    }

    /** data ->> 'status': every prediction's JSON says ok, not_enough_data_yet or insufficient_data. */
    private static final org.jooq.Field<String> STATUS =
            DSL.field("{0} ->> 'status'", String.class, PREDICTIVE_ANALYTICS_CACHE.DATA).as("prediction_status");

    private static Prediction prediction(PredictiveAnalyticsCacheRecord row, PredictionType type, String status) {
        BigDecimal confidence = row.getConfidenceScore() == null ? null
                : row.getConfidenceScore().movePointLeft(2).setScale(2, RoundingMode.HALF_UP);
        return new Prediction(row.getUserId(), type, PredictionStatus.valueOf(status.toUpperCase(java.util.Locale.ROOT)), confidence,
                row.getData().data(), row.getCalculatedAt(), row.getExpiresAt());
    }

    /**
     * Computes and stores a prediction on the service path: under the learner's prediction lock,
     * only while their switch allows it; unless {@code force}, a fresh row that another reader
     * stored meanwhile is returned instead (concurrent readers compute once).
     *
     * @throws PredictionDisabledException when the learner switched it off
     */
    static Prediction compute(DSLContext ctx, UUID userId, PredictionType type, boolean force) {
        ctx.resultQuery("SELECT " + SCHEMA + ".lock_learner_predictions(?)", userId).fetch();
        Boolean enabled = ctx.resultQuery("SELECT " + SCHEMA + ".prediction_enabled(?, ?)", userId, type.sqlName())
                .fetchOne(0, Boolean.class);
        if (!Boolean.TRUE.equals(enabled)) throw new PredictionDisabledException(type);
        if (!force) {
            Optional<Prediction> fresh = fresh(ctx, userId, type);
            if (fresh.isPresent()) return fresh.get();
        }
        if (!ctx.fetchExists(USERS, USERS.ID.eq(userId))) {
            throw new AnalyticsDbException(AnalyticsDbException.Kind.NOT_VISIBLE, "no such user", null);
        }
        OffsetDateTime now = ctx.resultQuery("SELECT now()").fetchOne(0, OffsetDateTime.class);
        Instant at = now.toInstant();
        String data;
        BigDecimal confidence;
        PredictionStatus status;
        switch (type) {
            case DROP_OFF_RISK -> {
                DropOffRisk risk = DropOffRiskModel.assess(dropOffInputs(ctx, userId, now), at);
                data = risk.toJson();
                confidence = risk.confidence();
                status = risk.status();
            }
            case FORECAST -> {
                ForecastModel.Result forecast = forecast(ctx, userId, now, at);
                data = forecast.json();
                confidence = forecast.confidence();
                status = forecast.status();
            }
            default -> {
                data = recommendations(ctx, userId, now);
                confidence = null;
                status = data.startsWith("{\"status\":\"ok\"") ? PredictionStatus.OK : PredictionStatus.INSUFFICIENT_DATA;
            }
        }
        Instant expires = at.plus(TTL);
        PredictiveAnalyticsCacheRecord row = ctx.insertInto(PREDICTIVE_ANALYTICS_CACHE)
                .set(PREDICTIVE_ANALYTICS_CACHE.USER_ID, userId)
                .set(PREDICTIVE_ANALYTICS_CACHE.ANALYTICS_TYPE, type.sqlName())
                .set(PREDICTIVE_ANALYTICS_CACHE.DATA, JSONB.valueOf(data))
                .set(PREDICTIVE_ANALYTICS_CACHE.CONFIDENCE_SCORE, confidence == null ? null : confidence.movePointRight(2))
                .set(PREDICTIVE_ANALYTICS_CACHE.CALCULATED_AT, at)
                .set(PREDICTIVE_ANALYTICS_CACHE.EXPIRES_AT, expires)
                .onConflict(PREDICTIVE_ANALYTICS_CACHE.USER_ID, PREDICTIVE_ANALYTICS_CACHE.ANALYTICS_TYPE)
                .doUpdate()
                .set(PREDICTIVE_ANALYTICS_CACHE.DATA, JSONB.valueOf(data))
                .set(PREDICTIVE_ANALYTICS_CACHE.CONFIDENCE_SCORE, confidence == null ? null : confidence.movePointRight(2))
                .set(PREDICTIVE_ANALYTICS_CACHE.CALCULATED_AT, at)
                .set(PREDICTIVE_ANALYTICS_CACHE.EXPIRES_AT, expires)
                .returning()
                .fetchOne();
        return prediction(row, type, status.name());
    }

    private static DropOffInputs dropOffInputs(DSLContext ctx, UUID userId, OffsetDateTime at) {
        return DropOffInputs.of(ctx.resultQuery("SELECT * FROM " + SCHEMA + ".prediction_drop_off_inputs(ARRAY[?::uuid], ?::timestamptz)",
                userId, at).fetchOne());
    }

    private static ForecastModel.Result forecast(DSLContext ctx, UUID userId, OffsetDateTime now, Instant at) {
        List<ForecastModel.Enrollment> enrollments = new ArrayList<>();
        int weeks = 0;
        for (Record r : ctx.resultQuery("SELECT * FROM " + SCHEMA + ".prediction_forecast_inputs(ARRAY[?::uuid], ?::timestamptz) ORDER BY course_id",
                userId, now).fetch()) {
            enrollments.add(new ForecastModel.Enrollment(r.get("course_id", UUID.class), r.get("progress", BigDecimal.class),
                    r.get("pace14", BigDecimal.class), r.get("pace28", BigDecimal.class), r.get("pace56", BigDecimal.class)));
            weeks = r.get("weeks_with_progress", Integer.class);
        }
        return ForecastModel.forecast(enrollments, weeks, at);
    }

    /** The content-effectiveness recommendations, in the order of the learner's gaps (largest first). */
    private static String recommendations(DSLContext ctx, UUID userId, OffsetDateTime at) {
        Record r = ctx.resultQuery("SELECT result_status, recommendations, data -> 'missing' AS missing FROM " + SCHEMA
                + ".analytics_content_effectiveness(ARRAY[?::uuid], ?::timestamptz)", userId, at).fetchOne();
        String status = r.get("result_status", String.class);
        if (!"ok".equals(status)) {
            JSONB missing = r.get("missing", JSONB.class);
            return "{\"status\":\"insufficient_data\",\"missing\":" + (missing == null ? "[]" : missing.data()) + "}";
        }
        JSONB recommendations = r.get("recommendations", JSONB.class);
        return "{\"status\":\"ok\",\"recommendations\":" + (recommendations == null ? "[]" : recommendations.data()) + "}";
    }
}
