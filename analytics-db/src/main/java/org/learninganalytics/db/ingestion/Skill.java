package org.learninganalytics.db.ingestion;

/** A skill of the reference catalogue, keyed by a stable slug such as {@code skill-react}. */
public record Skill(String id, String name, String domain, SkillLevel level) {
}
