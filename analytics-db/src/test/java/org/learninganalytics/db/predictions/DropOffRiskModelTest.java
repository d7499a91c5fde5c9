package org.learninganalytics.db.predictions;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Random;

import org.junit.jupiter.api.Test;

/**
 * The drop-off risk model on hand-made inputs, each expected value worked out in the comment
 * above it; the level and confidence edges; insufficient data; and the property that the
 * stored contributions add up to the stored risk.
 */
class DropOffRiskModelTest {

    private static final Instant T = Instant.parse("2026-11-28T12:00:00Z");

    /** Enrolled 40 days, 10 active days, all four factors with data unless a test changes them. */
    private static DropOffInputs inputs(int daysSinceActive, int last14, int previous14, String pace, String target, int passed, int failed) {
        return new DropOffInputs(T.minus(Duration.ofDays(40)), 10, T.minus(Duration.ofDays(daysSinceActive)), daysSinceActive, last14,
                previous14, 1, new BigDecimal(pace), new BigDecimal(target), passed, failed);
    }

    @Test
    void every_factor_worked_out_by_hand() {
        // recency 7 / 14 = 0.5 -> 0.35 x 0.5 = 0.175; trend (5 - 2) / 5 = 0.6 -> 0.15; pace 1 - 4 / 10 = 0.6 -> 0.15;
        // failures 1 / 4 = 0.25 -> 0.0375. Risk 0.5125 -> 0.51, medium. Contributions floored 0.17 + 0.15 + 0.15 + 0.03 = 0.50;
        // the missing cent goes to the largest remainder (failures, 0.0075): 0.17, 0.15, 0.15, 0.04.
        DropOffRisk risk = DropOffRiskModel.assess(inputs(7, 2, 5, "4", "10", 3, 1), T);

        assertThat(risk.status()).isEqualTo(PredictionStatus.OK);
        assertThat(risk.riskScore()).isEqualByComparingTo("0.51");
        assertThat(risk.level()).isEqualTo(RiskLevel.MEDIUM);
        assertThat(risk.confidence()).isEqualByComparingTo("1.00");
        assertThat(risk.factors()).extracting(RiskFactor::factor).containsExactly("recency", "trend", "pace", "failures");
        assertThat(risk.factors()).extracting(f -> f.localRisk().toPlainString()).containsExactly("0.50", "0.60", "0.60", "0.25");
        assertThat(risk.factors()).extracting(f -> f.weight().toPlainString()).containsExactly("0.35", "0.25", "0.25", "0.15");
        assertThat(risk.factors()).extracting(f -> f.contribution().toPlainString()).containsExactly("0.17", "0.15", "0.15", "0.04");
        assertThat(risk.factors().get(0).actual()).isEqualByComparingTo("7");
        assertThat(risk.factors().get(2).expected()).isEqualByComparingTo("10");
        assertThat(risk.topFactors()).containsExactly("recency", "trend");
        assertThat(risk.factors().get(0).explanation()).isEqualTo(
                "Last active 7 days ago; this factor grows each day without activity and is full after 14 days. Weight 35 % of the risk.");
        assertThat(risk.factors().get(1).explanation()).startsWith("2 sessions in the last 14 days against 5 in the 14 days before")
                .endsWith("Weight 25 % of the risk.");
        assertThat(risk.factors().get(2).explanation()).contains("4.00 % of a course per week", "10.00 % per week");
        assertThat(risk.factors().get(3).explanation()).isEqualTo("1 of 4 assessments failed in the last 28 days. Weight 15 % of the risk.");
        assertThat(risk.toJson()).startsWith("{\"status\":\"ok\",\"riskScore\":0.51,\"level\":\"medium\",\"confidence\":1.00,");
    }

    @Test
    void local_risks_are_clamped_and_full_at_their_limits() {
        // 30 days inactive: recency 1; no session in 28 days after... previous 0, last 3: trend (0 - 3) / 1 -> 0;
        // pace above target: 0; all failed: 1. Risk 0.35 + 0 + 0 + 0.15 = 0.50.
        DropOffRisk risk = DropOffRiskModel.assess(inputs(30, 3, 0, "12", "10", 0, 2), T);
        assertThat(risk.factors()).extracting(f -> f.localRisk().toPlainString()).containsExactly("1.00", "0.00", "0.00", "1.00");
        assertThat(risk.riskScore()).isEqualByComparingTo("0.50");
    }

    @Test
    void level_edges_are_at_0_3_and_0_6() {
        // Recency alone: 0.35 x d / 14 with trend, pace and failures at 0 (3 and 3 sessions, pace on target, 2 passed).
        assertThat(DropOffRiskModel.assess(inputs(11, 3, 3, "10", "10", 2, 0), T).level()).as("0.275").isEqualTo(RiskLevel.LOW);
        assertThat(DropOffRiskModel.assess(inputs(12, 3, 3, "10", "10", 2, 0), T).level()).as("0.30").isEqualTo(RiskLevel.MEDIUM);
        // 0.35 (14 days) + 0.25 x 24 / 25 = 0.59; + 0.25 x 1 = 0.60
        assertThat(DropOffRiskModel.assess(inputs(14, 1, 25, "10", "10", 2, 0), T).level()).as("0.59").isEqualTo(RiskLevel.MEDIUM);
        DropOffRisk high = DropOffRiskModel.assess(inputs(14, 0, 4, "10", "10", 2, 0), T);
        assertThat(high.riskScore()).isEqualByComparingTo("0.60");
        assertThat(high.level()).isEqualTo(RiskLevel.HIGH);
        assertThat(DropOffRiskModel.level(new BigDecimal("0.2999"))).isEqualTo(RiskLevel.LOW);
        assertThat(DropOffRiskModel.level(new BigDecimal("0.5999"))).isEqualTo(RiskLevel.MEDIUM);
    }

    @Test
    void insufficient_data_under_7_days_enrolled_or_3_active_days_or_without_enrollment() {
        DropOffInputs base = inputs(1, 2, 2, "5", "10", 1, 0);
        DropOffInputs sixDays = new DropOffInputs(T.minus(Duration.ofDays(7)).plusSeconds(1), 10, base.lastActive(), 1, 2, 2, 1,
                base.currentPace(), base.targetPace(), 1, 0);
        DropOffInputs sevenDays = new DropOffInputs(T.minus(Duration.ofDays(7)), 10, base.lastActive(), 1, 2, 2, 1,
                base.currentPace(), base.targetPace(), 1, 0);
        DropOffInputs twoActiveDays = new DropOffInputs(base.firstEnrolledAt(), 2, base.lastActive(), 1, 2, 2, 1,
                base.currentPace(), base.targetPace(), 1, 0);
        DropOffInputs threeActiveDays = new DropOffInputs(base.firstEnrolledAt(), 3, base.lastActive(), 1, 2, 2, 1,
                base.currentPace(), base.targetPace(), 1, 0);
        DropOffInputs neverEnrolled = new DropOffInputs(null, 10, base.lastActive(), 1, 2, 2, 0, null, null, 1, 0);

        assertThat(DropOffRiskModel.assess(sixDays, T).missing()).containsExactly("enrolled_7_days");
        assertThat(DropOffRiskModel.assess(sixDays, T).riskScore()).isNull();
        assertThat(DropOffRiskModel.assess(sevenDays, T).status()).isNotEqualTo(PredictionStatus.INSUFFICIENT_DATA);
        assertThat(DropOffRiskModel.assess(twoActiveDays, T).missing()).containsExactly("active_days_3");
        assertThat(DropOffRiskModel.assess(threeActiveDays, T).status()).isEqualTo(PredictionStatus.OK);
        assertThat(DropOffRiskModel.assess(neverEnrolled, T).missing()).containsExactly("enrollment");
        assertThat(DropOffRiskModel.assess(sixDays, T).toJson()).isEqualTo(
                "{\"status\":\"insufficient_data\",\"riskScore\":null,\"level\":null,\"confidence\":null,\"factors\":[],"
                        + "\"topFactors\":[],\"missing\":[\"enrolled_7_days\"]}");
    }

    @Test
    void confidence_below_0_6_is_not_enough_data_yet_not_a_level() {
        // observed 16 days, 4 factors: 16 / 28 = 0.571 -> not enough; 17 days: 0.607 -> a level
        DropOffRisk sixteen = DropOffRiskModel.assess(observed(16, 3, 1), T);
        assertThat(sixteen.confidence()).isEqualByComparingTo("0.57");
        assertThat(sixteen.status()).isEqualTo(PredictionStatus.NOT_ENOUGH_DATA_YET);
        assertThat(sixteen.level()).isNull();
        assertThat(sixteen.riskScore()).as("stored all the same").isNotNull();
        DropOffRisk seventeen = DropOffRiskModel.assess(observed(17, 3, 1), T);
        assertThat(seventeen.confidence()).isEqualByComparingTo("0.61");
        assertThat(seventeen.level()).isNotNull();
        // 28 days but no assessment: 3 of 4 factors -> 0.75; and no assessment nor active enrollment: 2 of 4 -> 0.50
        assertThat(DropOffRiskModel.assess(observed(28, 0, 0), T).confidence()).isEqualByComparingTo("0.75");
        DropOffInputs twoFactors = new DropOffInputs(T.minus(Duration.ofDays(28)), 10, T, 0, 2, 2, 0, null, null, 0, 0);
        DropOffRisk two = DropOffRiskModel.assess(twoFactors, T);
        assertThat(two.confidence()).isEqualByComparingTo("0.50");
        assertThat(two.status()).isEqualTo(PredictionStatus.NOT_ENOUGH_DATA_YET);
    }

    private static DropOffInputs observed(int days, int passed, int failed) {
        return new DropOffInputs(T.minus(Duration.ofDays(days)), 10, T.minus(Duration.ofDays(2)), 2, 2, 3, 1, new BigDecimal("5"),
                new BigDecimal("10"), passed, failed);
    }

    @Test
    void contributions_always_add_up_to_the_stored_risk() {
        Random random = new Random(11);
        for (int i = 0; i < 5_000; i++) {
            boolean enrolled = random.nextInt(10) > 0;
            DropOffInputs in = new DropOffInputs(T.minus(Duration.ofHours(random.nextInt(24 * 60))), random.nextInt(40),
                    T.minus(Duration.ofDays(random.nextInt(40))), random.nextInt(40), random.nextInt(12), random.nextInt(12),
                    enrolled ? 1 + random.nextInt(3) : 0, enrolled ? BigDecimal.valueOf(random.nextInt(2000) - 500, 2) : null,
                    enrolled ? BigDecimal.valueOf(100 + random.nextInt(2000), 2) : null, random.nextInt(6), random.nextInt(6));
            DropOffRisk risk = DropOffRiskModel.assess(in, T);
            if (risk.status() == PredictionStatus.INSUFFICIENT_DATA) continue;
            BigDecimal sum = risk.factors().stream().map(RiskFactor::contribution).reduce(BigDecimal.ZERO, BigDecimal::add);
            assertThat(sum).as("case %d: %s", i, in).isEqualByComparingTo(risk.riskScore());
            assertThat(risk.riskScore()).isBetween(BigDecimal.ZERO, BigDecimal.ONE);
            assertThat(risk.factors()).allSatisfy(f -> assertThat(f.contribution().signum()).isNotNegative());
        }
    }
}
