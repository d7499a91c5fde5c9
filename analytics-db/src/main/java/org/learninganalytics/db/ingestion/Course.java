package org.learninganalytics.db.ingestion;

import java.util.UUID;

/** A course as the course service knows it; {@code trainerId} decides who trains it. */
public record Course(UUID id, String name, String description, UUID organizationId, UUID trainerId) {
}
