package org.learninganalytics.db.aggregates;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * The caller against their peers: learners of their own organization at their own competency
 * level. Nobody else's value is in it: peers are published figures of at least 10 learners.
 *
 * @param status         whether there is a comparison, and if not, why
 * @param level          the caller's level, or null without mastery data
 * @param myMeanMastery  the mean of the caller's mastery levels, or null without any
 * @param myVelocity     the caller's current pace (% per week) from their latest unexpired velocity, or null
 * @param myAvgScore     the caller's average score from their latest unexpired performance, or null
 * @param peers          the published peer figures, or null unless {@code status} is {@link Status#COMPARED}
 * @param refreshedAt    when the peer aggregate was last refreshed
 */
public record PeerComparison(Status status, CompetencyLevel level, BigDecimal myMeanMastery, BigDecimal myVelocity,
                             BigDecimal myAvgScore, PeerFigures peers, Instant refreshedAt) {

    public enum Status {
        /** Peers are published for the caller's level. */
        COMPARED,
        /** Fewer than 10 learners share the caller's organization and level (or the next refresh has not counted them yet). */
        TOO_FEW_PEERS,
        /** The caller has no mastery data yet (or no organization): no level to compare at. */
        INSUFFICIENT_DATA
    }
}
