package org.learninganalytics.demo;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import org.jooq.DSLContext;
import org.jooq.Record;
import org.learninganalytics.db.AnalyticsDb;
import org.learninganalytics.db.predictions.DropOffInputs;
import org.learninganalytics.db.predictions.DropOffRisk;
import org.learninganalytics.db.predictions.DropOffRiskModel;
import org.learninganalytics.db.predictions.PredictionStatus;
import org.learninganalytics.db.predictions.RocAuc;

/**
 * ANALYTICS.md "Validating the risk model": the drop-off risk of every learner of generated
 * data at the end of its last day, against the generator's drop-outs
 * ({@link DemoDataGenerator#dropOffDays(long, UUID)}) as the positives, summarized as ROC AUC
 * over the learners with enough data (all but {@code insufficient_data}; a prediction below
 * the confidence threshold still has a score and counts). The model's inputs come from the
 * set-based {@code prediction_drop_off_inputs} in batches of {@value #BATCH} learners, the
 * risk from {@link DropOffRiskModel}, exactly as a refresh computes them, without writing
 * anything. Needs a connection that may execute the input function (the service role or
 * an administrator).
 */
public final class DropOffRiskValidation {

    /** Learners per call of the input function. */
    public static final int BATCH = 2_000;

    private DropOffRiskValidation() {
    }

    /**
     * @param auc             ROC AUC of the risk score with drop-outs as positives (ties count one half)
     * @param aucConfident    the same over the predictions at or above the confidence threshold only (NaN without both classes)
     * @param learners        learners assessed
     * @param insufficient    of them, with insufficient data (left out of the AUC)
     * @param missing         per reason of insufficient data ({@link DropOffRisk#missing()}), the learners it applies to
     * @param positives       drop-outs among the rest
     * @param negatives       the rest who did not drop off
     * @param notEnoughYet    of the scored, predictions below the confidence threshold
     * @param confidence      scored learners per tenth of confidence (0.0 for [0, 0.1), ..., 0.9 for [0.9, 1]), ascending
     * @param meanRiskDropOut mean risk of the scored drop-outs
     * @param meanRiskOther   mean risk of the other scored learners
     * @param millis          time to read the inputs and assess every learner
     */
    public record Result(double auc, double aucConfident, int learners, int insufficient, Map<String, Integer> missing, int positives,
                         int negatives, int notEnoughYet, Map<BigDecimal, Integer> confidence, double meanRiskDropOut,
                         double meanRiskOther, long millis) {

        /** A few lines for a test's or benchmark's output. */
        public String describe() {
            StringBuilder out = new StringBuilder(String.format(Locale.ROOT,
                    "drop-off risk ROC AUC %.4f over %d learners with enough data (%d drop-outs, %d others);"
                            + " %d of %d learners had insufficient data %s; %d scored below the confidence threshold"
                            + " (AUC over the rest %.4f); mean risk %.3f (drop-outs) vs %.3f (others); %d ms%n",
                    auc, positives + negatives, positives, negatives, insufficient, learners, missing, notEnoughYet, aucConfident,
                    meanRiskDropOut, meanRiskOther, millis));
            out.append("scored learners per confidence from: ");
            confidence.forEach((c, n) -> out.append(c.toPlainString()).append(": ").append(n).append(", "));
            out.setLength(out.length() - 2);
            return out.toString().trim();
        }
    }

    /** The learners of the database (role learner), in id order. */
    public static List<UUID> learners(DSLContext ctx) {
        return ctx.fetch("SELECT user_id FROM " + AnalyticsDb.SCHEMA + ".user_roles WHERE role = 'learner' ORDER BY user_id")
                .getValues(0, UUID.class);
    }

    /** The validation of {@code learners} at {@code at}, against the drop-outs that {@code seed} chose. */
    public static Result measure(DSLContext ctx, List<UUID> learners, long seed, Instant at) {
        long started = System.nanoTime();
        OffsetDateTime t = at.atOffset(ZoneOffset.UTC);
        List<Double> scores = new ArrayList<>();
        List<Boolean> outcomes = new ArrayList<>();
        List<Boolean> confident = new ArrayList<>();
        Map<BigDecimal, Integer> confidence = new TreeMap<>();
        Map<String, Integer> missing = new TreeMap<>();
        int insufficient = 0;
        int notEnoughYet = 0;
        for (int from = 0; from < learners.size(); from += BATCH) {
            List<UUID> batch = learners.subList(from, Math.min(learners.size(), from + BATCH));
            for (Record r : ctx.resultQuery("SELECT * FROM " + AnalyticsDb.SCHEMA + ".prediction_drop_off_inputs(?::uuid[], ?::timestamptz)",
                    batch.toArray(UUID[]::new), t).fetch()) {
                DropOffRisk risk = DropOffRiskModel.assess(DropOffInputs.of(r), at);
                if (risk.status() == PredictionStatus.INSUFFICIENT_DATA) {
                    insufficient++;
                    for (String reason : risk.missing()) missing.merge(reason, 1, Integer::sum);
                    continue;
                }
                if (risk.status() == PredictionStatus.NOT_ENOUGH_DATA_YET) notEnoughYet++;
                confident.add(risk.status() == PredictionStatus.OK);
                confidence.merge(risk.confidence().min(new BigDecimal("0.99")).setScale(1, RoundingMode.FLOOR), 1, Integer::sum);
                scores.add(risk.riskScore().doubleValue());
                outcomes.add(DemoDataGenerator.dropOffDays(seed, r.get("user_id", UUID.class)) > 0);
            }
        }
        double[] s = new double[scores.size()];
        boolean[] positive = new boolean[scores.size()];
        int positives = 0;
        double riskPositive = 0;
        double riskNegative = 0;
        for (int i = 0; i < s.length; i++) {
            s[i] = scores.get(i);
            positive[i] = outcomes.get(i);
            if (positive[i]) {
                positives++;
                riskPositive += s[i];
            } else {
                riskNegative += s[i];
            }
        }
        int negatives = s.length - positives;
        return new Result(RocAuc.of(s, positive), aucConfident(s, positive, confident), learners.size(), insufficient, missing, positives,
                negatives, notEnoughYet, confidence,
                positives == 0 ? 0 : riskPositive / positives, negatives == 0 ? 0 : riskNegative / negatives,
                (System.nanoTime() - started) / 1_000_000);
    }

    private static double aucConfident(double[] scores, boolean[] positive, List<Boolean> confident) {
        List<Integer> kept = new ArrayList<>();
        for (int i = 0; i < scores.length; i++) if (confident.get(i)) kept.add(i);
        double[] s = new double[kept.size()];
        boolean[] p = new boolean[kept.size()];
        int positives = 0;
        for (int k = 0; k < s.length; k++) {
            s[k] = scores[kept.get(k)];
            p[k] = positive[kept.get(k)];
            if (p[k]) positives++;
        }
        return positives == 0 || positives == s.length ? Double.NaN : RocAuc.of(s, p);
    }
}
