package org.learninganalytics.db.gamification;

import java.time.Instant;
import java.util.UUID;

/**
 * One row of the points ledger (point_transactions). The ledger does not keep the award's
 * idempotency key: keys live apart from it, in award_keys, without a link to the row.
 *
 * @param points     positive for an award; negative for a correction
 * @param metadata   the JSON object the award carried, as text, or null
 * @param occurredAt when the activity happened (the award's occurredAt, else when it was awarded)
 */
public record PointTransaction(UUID id, String activityType, int points, String metadata, Instant occurredAt) {
}
