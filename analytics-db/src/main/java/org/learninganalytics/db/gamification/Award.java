package org.learninganalytics.db.gamification;

import java.time.Instant;
import java.util.UUID;

/**
 * One award of points for an activity, from another service (service path).
 *
 * @param idempotencyKey the source event's id: replaying it with the same request returns the original result,
 *                       also after the activity rule's points changed
 * @param points         null for the activity type's rule; otherwise a positive override
 * @param metadataJson   JSON object stored with the ledger row, or null
 * @param occurredAt     when the activity happened (its local day counts for streaks), or null for now; at most
 *                       5 minutes ahead of the database's clock
 */
public record Award(UUID userId, String activityType, String idempotencyKey, Integer points, String metadataJson, Instant occurredAt) {

    /** An award of the rule's points, happening now. */
    public static Award of(UUID userId, String activityType, String idempotencyKey) {
        return new Award(userId, activityType, idempotencyKey, null, null, null);
    }
}
