package org.learninganalytics.db.aggregates;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * The published figures of one peer cell (an organization's learners at one competency level),
 * as every reader sees them: rounded, with the cell's size in a band, and unchanged until at
 * least 10 of its members changed.
 *
 * @param learnersAtLeast lower bound of the cell's size band (10, 20, 50, 100 or 500)
 * @param learnersAtMost  upper bound of the band, or null for 500 or more
 * @param avgVelocity     mean current pace in % per week (0.1), or null when fewer than 10 peers have one
 * @param medianVelocity  median current pace in % per week (0.1), or null likewise
 * @param avgScore        mean assessment score 0-100 (whole points), or null when fewer than 10 peers were assessed
 * @param valuesAsOf      when these figures were computed (they are kept across refreshes, see the README)
 */
public record PeerFigures(int learnersAtLeast, Integer learnersAtMost, BigDecimal avgVelocity, BigDecimal medianVelocity,
                          BigDecimal avgScore, Instant valuesAsOf) {
}
