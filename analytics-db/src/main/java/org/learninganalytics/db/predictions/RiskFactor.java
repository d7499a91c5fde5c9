package org.learninganalytics.db.predictions;

import java.math.BigDecimal;

/**
 * One factor of a drop-off risk, as stored and shown.
 *
 * @param factor       recency, trend, pace or failures
 * @param actual       recency: days since active; trend: sessions in the last 14 days; pace: current pace;
 *                     failures: failed assessments
 * @param expected     recency: the days at which the factor is full (14); trend: sessions in the 14 days before;
 *                     pace: target pace; failures: assessments taken (null where the factor has no data)
 * @param localRisk    the factor's own risk, 0 to 1
 * @param weight       its weight in the risk
 * @param contribution weight x local risk; the contributions add up to the risk score
 * @param hasData      whether the learner had data for this factor (counts towards the confidence)
 * @param explanation  a sentence a learner can read, built from the model's constants
 */
public record RiskFactor(String factor, BigDecimal actual, BigDecimal expected, BigDecimal localRisk, BigDecimal weight,
                         BigDecimal contribution, boolean hasData, String explanation) {
}
