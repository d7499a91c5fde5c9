package org.learninganalytics.db.ingestion;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

/**
 * One learning statement (ANALYTICS.md "Learning events"; an xAPI statement maps onto it),
 * identified by {@code eventId}: sending it again is a no-op.
 *
 * @param eventId         required; the producer's id (the xAPI statement id), unique forever
 * @param userId          required; the learner
 * @param verb            required
 * @param objectId        required; what the event is about (an IRI or the producer's id), at most 512 characters
 * @param objectType      required; {@link LearningObjectType#OTHER} when none fits
 * @param courseId        optional; the course the event belongs to (the learner's organization's)
 * @param skillId         optional; the skill the object trains or assesses
 * @param scoreScaled     optional; xAPI result.score.scaled, -1 to 1 (at most 4 decimals)
 * @param success         optional; xAPI result.success
 * @param completion      optional; xAPI result.completion
 * @param durationSeconds optional; time spent, 0 to 86,400 seconds
 * @param progressPercent optional; progress in the course, 0 to 100 (on {@code progressed}/{@code completed})
 * @param occurredAt      required; when it happened (xAPI timestamp), within the 90 days kept and at
 *                        most a day ahead; stored to the microsecond
 * @param contextJson     optional; a small JSON object (at most 4 kB, 4 levels) kept with the event
 */
public record LearningEvent(UUID eventId, UUID userId, LearningVerb verb, String objectId, LearningObjectType objectType,
                            UUID courseId, String skillId, BigDecimal scoreScaled, Boolean success, Boolean completion,
                            Integer durationSeconds, BigDecimal progressPercent, Instant occurredAt, String contextJson) {
}
