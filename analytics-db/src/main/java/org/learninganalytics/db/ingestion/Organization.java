package org.learninganalytics.db.ingestion;

import java.util.UUID;

/**
 * A tenant as the owning service knows it.
 *
 * @param settingsJson tenant settings as a JSON object text, or null
 */
public record Organization(UUID id, String name, String domain, String settingsJson) {
}
