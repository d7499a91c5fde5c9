package org.learninganalytics.db.predictions;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.learninganalytics.db.internal.JsonText;

/**
 * ANALYTICS.md's forecast: per active enrollment the projected completion at the 28-day pace
 * and a pessimistic one at the slower of the 14- and 56-day paces; confidence = weeks with
 * progress among the last 4, / 4. A completion date is null when its pace is not positive,
 * and every date is null while the confidence is below {@link DropOffRiskModel#MIN_CONFIDENCE}
 * ("not enough data yet"). Pure. Thread-safe.
 */
public final class ForecastModel {

    /** Weeks looked back for the confidence. */
    public static final int CONFIDENCE_WEEKS = 4;

    private static final MathContext MATH = MathContext.DECIMAL64;
    private static final long SECONDS_PER_WEEK = 7 * 24 * 3600;

    private ForecastModel() {
    }

    /** One active enrollment's inputs: progress at T (0-100) and paces in % per week. */
    public record Enrollment(UUID courseId, BigDecimal progress, BigDecimal pace14, BigDecimal pace28, BigDecimal pace56) {
    }

    /** The forecast of a learner's active enrollments; {@code weeksWithProgress} among the last {@link #CONFIDENCE_WEEKS}. */
    public record Result(PredictionStatus status, BigDecimal confidence, String json) {
    }

    public static Result forecast(List<Enrollment> enrollments, int weeksWithProgress, Instant at) {
        Map<String, Object> json = new LinkedHashMap<>();
        if (enrollments.isEmpty()) {
            json.put("status", "insufficient_data");
            json.put("missing", List.of("active_enrollment"));
            return new Result(PredictionStatus.INSUFFICIENT_DATA, null, JsonText.write(json));
        }
        BigDecimal confidence = BigDecimal.valueOf(weeksWithProgress).divide(BigDecimal.valueOf(CONFIDENCE_WEEKS), 2, RoundingMode.HALF_UP);
        boolean confident = confidence.compareTo(DropOffRiskModel.MIN_CONFIDENCE) >= 0;
        PredictionStatus status = confident ? PredictionStatus.OK : PredictionStatus.NOT_ENOUGH_DATA_YET;
        List<Map<String, Object>> items = new ArrayList<>();
        for (Enrollment e : enrollments) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("courseId", e.courseId().toString());
            item.put("progress", e.progress().setScale(2, RoundingMode.HALF_UP));
            item.put("pace28", e.pace28().setScale(2, RoundingMode.HALF_UP));
            item.put("projectedCompletion", confident ? completion(e.progress(), e.pace28(), at) : null);
            item.put("pessimisticCompletion", confident ? completion(e.progress(), e.pace14().min(e.pace56()), at) : null);
            items.add(item);
        }
        json.put("status", status.name().toLowerCase(java.util.Locale.ROOT));
        json.put("confidence", confidence);
        json.put("weeksWithProgress", weeksWithProgress);
        json.put("enrollments", items);
        return new Result(status, confidence, JsonText.write(json));
    }

    /** T + (100 - progress) / pace weeks, to the second; null when the pace is not positive. */
    public static Instant completion(BigDecimal progress, BigDecimal pace, Instant at) {
        if (pace == null || pace.signum() <= 0) return null;
        BigDecimal weeks = BigDecimal.valueOf(100).subtract(progress).max(BigDecimal.ZERO).divide(pace, MATH);
        long seconds = weeks.multiply(BigDecimal.valueOf(SECONDS_PER_WEEK)).setScale(0, RoundingMode.HALF_UP).longValueExact();
        return at.plus(Duration.ofSeconds(seconds)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    }
}
