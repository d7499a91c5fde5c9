package org.learninganalytics.db.aggregates;

/** A learner's competency level, from the mean of their mastery levels: below 30, below 70, else. */
public enum CompetencyLevel {
    BEGINNER("beginner"), INTERMEDIATE("intermediate"), ADVANCED("advanced");

    private final String sqlName;

    CompetencyLevel(String sqlName) {
        this.sqlName = sqlName;
    }

    /** The word the database and the HTTP contract use. */
    public String sqlName() {
        return sqlName;
    }

    static CompetencyLevel fromSqlName(String name) {
        if (name == null) return null;
        for (CompetencyLevel level : values()) if (level.sqlName.equals(name)) return level;
        throw new IllegalArgumentException("unknown competency level: " + name);
    }
}
