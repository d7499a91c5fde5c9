package org.learninganalytics.db.predictions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** ROC AUC by hand: perfect, inverted, chance and tied rankings. */
class RocAucTest {

    @Test
    void auc_of_hand_made_rankings() {
        boolean[] outcome = {true, true, false, false};
        assertThat(RocAuc.of(new double[] {0.9, 0.8, 0.2, 0.1}, outcome)).isEqualTo(1.0);
        assertThat(RocAuc.of(new double[] {0.1, 0.2, 0.8, 0.9}, outcome)).isEqualTo(0.0);
        // pairs (positive, negative): (0.9, 0.8) win, (0.9, 0.1) win, (0.2, 0.8) loss, (0.2, 0.1) win -> 3 / 4
        assertThat(RocAuc.of(new double[] {0.9, 0.2, 0.8, 0.1}, outcome)).isEqualTo(0.75);
        // all tied: one half
        assertThat(RocAuc.of(new double[] {0.5, 0.5, 0.5, 0.5}, outcome)).isCloseTo(0.5, within(1e-12));
        assertThatThrownBy(() -> RocAuc.of(new double[] {0.1}, new boolean[] {true})).isInstanceOf(IllegalArgumentException.class);
    }
}
