package org.learninganalytics.db.ingestion;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

/**
 * A learner's mastery of a skill, keyed by (userId, skillId).
 *
 * @param masteryLevel 0 to 100, two decimals are kept
 */
public record UserSkill(UUID userId, String skillId, BigDecimal masteryLevel, Instant lastAssessedAt) {
}
