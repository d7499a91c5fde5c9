package org.learninganalytics.db.ingestion;

import java.util.Locale;

/** What a learning event is about (ANALYTICS.md "Learning events"); {@link #OTHER} for anything else. */
public enum LearningObjectType {
    COURSE, MODULE, LESSON, VIDEO, READING, EXERCISE, QUIZ, ASSESSMENT, ASSIGNMENT, FORUM, OTHER;

    /** The word stored in learning_events.object_type. */
    public String sqlName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The type of {@code word} ({@code "video"}), or null when there is none. */
    public static LearningObjectType fromSqlName(String word) {
        for (LearningObjectType type : values()) {
            if (type.sqlName().equals(word)) return type;
        }
        return null;
    }
}
