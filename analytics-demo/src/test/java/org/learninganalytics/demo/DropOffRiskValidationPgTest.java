package org.learninganalytics.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;
import org.learninganalytics.db.testing.FreshDatabase;
import org.learninganalytics.db.testing.TestDatabase;

/**
 * ANALYTICS.md "Validating the risk model" on demo-scale data: the drop-off risk at the end of
 * the generator's last day ranks the generator's drop-outs above the rest, ROC AUC at least
 * 0.85 over every learner with enough data.
 */
@FreshDatabase
class DropOffRiskValidationPgTest {

    private static final LocalDate LAST_DAY = LocalDate.parse("2026-11-20");

    @Test
    void drop_off_risk_ranks_the_generated_drop_outs_first(TestDatabase database) {
        DemoScale scale = DemoScale.demo();
        new DemoDataGenerator(database.appDataSource()).generate(scale, LAST_DAY);
        Instant at = LAST_DAY.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();

        DropOffRiskValidation.Result result = database.withAdmin(ctx ->
                DropOffRiskValidation.measure(ctx, DropOffRiskValidation.learners(ctx), scale.seed(), at));
        System.out.println("[demo scale] " + result.describe());

        assertThat(result.learners()).as("every learner of the demo").isGreaterThan(500);
        assertThat(result.positives() + result.negatives()).as("learners with enough data").isGreaterThan(result.learners() / 2);
        assertThat(result.positives()).as("drop-outs with enough data").isGreaterThanOrEqualTo(30);
        assertThat(result.auc()).as("ROC AUC of drop_off_risk, drop-outs as positives").isGreaterThanOrEqualTo(0.85);
    }
}
