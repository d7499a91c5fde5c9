package org.learninganalytics.db.ingestion;

import java.util.Locale;

/** Difficulty of a skill (skills.level). */
public enum SkillLevel {
    BEGINNER, INTERMEDIATE, ADVANCED;

    public String sqlName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
