package org.learninganalytics.db.predictions;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * ANALYTICS.md's drop-off risk: {@code risk = 0.35 r_recency + 0.25 r_trend + 0.25 r_pace +
 * 0.15 r_fail}, each factor's local risk in [0, 1]. Every weight and threshold is a constant
 * here, and the explanations are written from the same constants. Pure: no database.
 * <p>
 * Choices where ANALYTICS.md is silent (a practitioner's reading):
 * <ul>
 *   <li>Days observed: whole days from the learner's first enrollment to T.</li>
 *   <li>A factor "has data": recency when there was any activity; trend when there was a
 *       session in the last 28 days; pace when there is an active enrollment; failures when
 *       there was an assessment in the last 28 days. A factor without data has local risk 0
 *       (recency: 1, but a learner without activity has fewer than 3 active days anyway).</li>
 *   <li>No enrollment at all is insufficient data, like an enrollment younger than 7 days.</li>
 *   <li>The level comes from the exact risk; the stored risk is rounded half-up to two
 *       decimals, and the contributions are rounded so that they add up to it exactly
 *       (largest remainder).</li>
 *   <li>{@code topFactors}: the factors with a positive contribution, largest first, at most 2.</li>
 * </ul>
 * Thread-safe (stateless).
 */
public final class DropOffRiskModel {

    public static final BigDecimal WEIGHT_RECENCY = new BigDecimal("0.35");
    public static final BigDecimal WEIGHT_TREND = new BigDecimal("0.25");
    public static final BigDecimal WEIGHT_PACE = new BigDecimal("0.25");
    public static final BigDecimal WEIGHT_FAILURES = new BigDecimal("0.15");
    /** Days without activity at which the recency factor is full. */
    public static final int RECENCY_FULL_DAYS = 14;
    /** Length of each of the two periods whose sessions the trend compares. */
    public static final int TREND_PERIOD_DAYS = 14;
    /** Window of the failure rate and of the pace. */
    public static final int ASSESSMENT_WINDOW_DAYS = 28;
    /** Risk from which the level is medium, and from which it is high. */
    public static final BigDecimal MEDIUM_FROM = new BigDecimal("0.3");
    public static final BigDecimal HIGH_FROM = new BigDecimal("0.6");
    /** Insufficient data below these. */
    public static final int MIN_ENROLLED_DAYS = 7;
    public static final int MIN_ACTIVE_DAYS = 3;
    /** Days observed at which the confidence's time part is full. */
    public static final int FULL_CONFIDENCE_DAYS = 28;
    /** Below this confidence a prediction is "not enough data yet", not a level (Moodle's threshold). */
    public static final BigDecimal MIN_CONFIDENCE = new BigDecimal("0.6");
    public static final int TOP_FACTORS = 2;

    static final int FACTORS = 4;
    private static final MathContext MATH = MathContext.DECIMAL64;

    private DropOffRiskModel() {
    }

    /** The risk of {@code inputs} at {@code at}. */
    public static DropOffRisk assess(DropOffInputs inputs, Instant at) {
        List<String> missing = new ArrayList<>();
        if (inputs.firstEnrolledAt() == null) {
            missing.add("enrollment");
        } else if (Duration.between(inputs.firstEnrolledAt(), at).compareTo(Duration.ofDays(MIN_ENROLLED_DAYS)) < 0) {
            missing.add("enrolled_" + MIN_ENROLLED_DAYS + "_days");
        }
        if (inputs.activeDays() < MIN_ACTIVE_DAYS) missing.add("active_days_" + MIN_ACTIVE_DAYS);
        if (!missing.isEmpty()) {
            return new DropOffRisk(PredictionStatus.INSUFFICIENT_DATA, null, null, null, List.of(), List.of(), missing);
        }

        List<Exact> factors = List.of(recency(inputs), trend(inputs), pace(inputs), failures(inputs));
        BigDecimal exactRisk = factors.stream().map(Exact::contribution).reduce(BigDecimal.ZERO, BigDecimal::add);
        BigDecimal risk = exactRisk.setScale(2, RoundingMode.HALF_UP);
        List<BigDecimal> contributions = largestRemainder(factors.stream().map(Exact::contribution).toList(), risk);

        long withData = factors.stream().filter(Exact::hasData).count();
        long daysObserved = Duration.between(inputs.firstEnrolledAt(), at).toDays();
        BigDecimal exactConfidence = BigDecimal.ONE.min(BigDecimal.valueOf(daysObserved).divide(BigDecimal.valueOf(FULL_CONFIDENCE_DAYS), MATH))
                .multiply(BigDecimal.valueOf(withData).divide(BigDecimal.valueOf(FACTORS), MATH));
        boolean confident = exactConfidence.compareTo(MIN_CONFIDENCE) >= 0; // the threshold applies to the exact value
        BigDecimal confidence = exactConfidence.setScale(2, RoundingMode.HALF_UP);

        List<RiskFactor> stored = new ArrayList<>();
        for (int i = 0; i < factors.size(); i++) {
            Exact f = factors.get(i);
            stored.add(new RiskFactor(f.name, scaled(f.actual), scaled(f.expected), f.localRisk.setScale(2, RoundingMode.HALF_UP),
                    f.weight, contributions.get(i), f.hasData, f.explanation));
        }
        List<String> top = stored.stream().filter(f -> f.contribution().signum() > 0)
                .sorted(Comparator.comparing(RiskFactor::contribution).reversed()).limit(TOP_FACTORS).map(RiskFactor::factor).toList();
        return new DropOffRisk(confident ? PredictionStatus.OK : PredictionStatus.NOT_ENOUGH_DATA_YET, risk,
                confident ? level(exactRisk) : null, confidence, stored, top, List.of());
    }

    /** The level of a risk: low below {@link #MEDIUM_FROM}, medium below {@link #HIGH_FROM}, else high. */
    public static RiskLevel level(BigDecimal risk) {
        if (risk.compareTo(MEDIUM_FROM) < 0) return RiskLevel.LOW;
        if (risk.compareTo(HIGH_FROM) < 0) return RiskLevel.MEDIUM;
        return RiskLevel.HIGH;
    }

    private record Exact(String name, BigDecimal actual, BigDecimal expected, BigDecimal localRisk, BigDecimal weight, boolean hasData,
                         String explanation) {
        BigDecimal contribution() {
            return weight.multiply(localRisk, MATH);
        }
    }

    private static Exact recency(DropOffInputs in) {
        Integer days = in.daysSinceActive();
        if (days == null) {
            return new Exact("recency", null, BigDecimal.valueOf(RECENCY_FULL_DAYS), BigDecimal.ONE, WEIGHT_RECENCY, false,
                    "No activity recorded yet; this factor counts in full. " + weight(WEIGHT_RECENCY));
        }
        BigDecimal local = BigDecimal.ONE.min(BigDecimal.valueOf(days).divide(BigDecimal.valueOf(RECENCY_FULL_DAYS), MATH));
        return new Exact("recency", BigDecimal.valueOf(days), BigDecimal.valueOf(RECENCY_FULL_DAYS), local, WEIGHT_RECENCY, true,
                (days == 0 ? "Active today" : "Last active " + days + (days == 1 ? " day ago" : " days ago"))
                        + "; this factor grows each day without activity and is full after " + RECENCY_FULL_DAYS + " days. "
                        + weight(WEIGHT_RECENCY));
    }

    private static Exact trend(DropOffInputs in) {
        int previous = in.sessionsPrevious14();
        int last = in.sessionsLast14();
        BigDecimal local = clamp(BigDecimal.valueOf(previous - last).divide(BigDecimal.valueOf(Math.max(previous, 1)), MATH));
        return new Exact("trend", BigDecimal.valueOf(last), BigDecimal.valueOf(previous), local, WEIGHT_TREND, previous + last > 0,
                last + " " + sessions(last) + " in the last " + TREND_PERIOD_DAYS + " days against " + previous + " in the "
                        + TREND_PERIOD_DAYS + " days before; fewer sessions than before raise this factor. " + weight(WEIGHT_TREND));
    }

    private static Exact pace(DropOffInputs in) {
        if (in.activeEnrollments() == 0 || in.currentPace() == null || in.targetPace() == null || in.targetPace().signum() <= 0) {
            return new Exact("pace", null, null, BigDecimal.ZERO, WEIGHT_PACE, false,
                    "No active enrollment, so pace is not assessed. " + weight(WEIGHT_PACE));
        }
        BigDecimal local = clamp(BigDecimal.ONE.subtract(in.currentPace().divide(in.targetPace(), MATH)));
        return new Exact("pace", in.currentPace(), in.targetPace(), local, WEIGHT_PACE, true,
                "Progress of " + percent(in.currentPace()) + " % of a course per week over the last " + ASSESSMENT_WINDOW_DAYS
                        + " days against the " + percent(in.targetPace()) + " % per week your courses expect; the further below, the"
                        + " higher this factor. " + weight(WEIGHT_PACE));
    }

    private static Exact failures(DropOffInputs in) {
        int taken = in.passed() + in.failed();
        if (taken == 0) {
            return new Exact("failures", BigDecimal.ZERO, null, BigDecimal.ZERO, WEIGHT_FAILURES, false,
                    "No assessments in the last " + ASSESSMENT_WINDOW_DAYS + " days. " + weight(WEIGHT_FAILURES));
        }
        BigDecimal local = BigDecimal.valueOf(in.failed()).divide(BigDecimal.valueOf(taken), MATH);
        return new Exact("failures", BigDecimal.valueOf(in.failed()), BigDecimal.valueOf(taken), local, WEIGHT_FAILURES, true,
                in.failed() + " of " + taken + " assessments failed in the last " + ASSESSMENT_WINDOW_DAYS + " days. "
                        + weight(WEIGHT_FAILURES));
    }

    private static String weight(BigDecimal weight) {
        return "Weight " + weight.movePointRight(2).stripTrailingZeros().toPlainString() + " % of the risk.";
    }

    private static String sessions(int n) {
        return n == 1 ? "session" : "sessions";
    }

    private static String percent(BigDecimal value) {
        return value.setScale(2, RoundingMode.HALF_UP).toPlainString();
    }

    private static BigDecimal clamp(BigDecimal value) {
        return value.max(BigDecimal.ZERO).min(BigDecimal.ONE);
    }

    private static BigDecimal scaled(BigDecimal value) {
        return value == null ? null : value.setScale(2, RoundingMode.HALF_UP);
    }

    /** Two-decimal contributions that add up to {@code total}: floors, then the remaining cents to the largest remainders. */
    static List<BigDecimal> largestRemainder(List<BigDecimal> exact, BigDecimal total) {
        List<BigDecimal> rounded = new ArrayList<>();
        for (BigDecimal value : exact) rounded.add(value.setScale(2, RoundingMode.FLOOR));
        BigDecimal sum = rounded.stream().reduce(BigDecimal.ZERO.setScale(2), BigDecimal::add);
        int cents = total.subtract(sum).movePointRight(2).intValueExact();
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < exact.size(); i++) order.add(i);
        order.sort(Comparator.comparing((Integer i) -> exact.get(i).subtract(rounded.get(i))).reversed().thenComparing(i -> i));
        for (int k = 0; k < cents; k++) {
            int i = order.get(k % order.size());
            rounded.set(i, rounded.get(i).add(new BigDecimal("0.01")));
        }
        return rounded;
    }
}
