package org.learninganalytics.db;

import java.util.List;

/**
 * Whether the migrations applied to the database are the ones in this jar
 * ({@link AnalyticsDb#validateMigrations()}). Pending migrations are not problems (migrate
 * applies them), nor are migrations applied by a newer release (as at start-up: an older
 * release may run on a newer schema); everything else that would make migrate refuse is.
 *
 * @param problems one per migration that does not match, empty when valid
 */
public record MigrationValidation(List<Problem> problems) {

    public MigrationValidation {
        problems = List.copyOf(problems);
    }

    public boolean isValid() {
        return problems.isEmpty();
    }

    /**
     * One mismatch.
     *
     * @param version     the migration's version, {@code null} for a repeatable one or a problem of no single migration
     * @param description its description, or {@code null}
     * @param script      its file name, or {@code null}
     * @param kind        what is wrong
     * @param message     what is wrong, in one line, naming the migration
     */
    public record Problem(String version, String description, String script, Kind kind, String message) {
    }

    /** What is wrong with an applied migration. */
    public enum Kind {
        /** The file in this jar differs from the one applied (it was edited after it shipped). */
        CHECKSUM_MISMATCH,
        /** The applied migration's description differs from the file's name in this jar. */
        DESCRIPTION_MISMATCH,
        /** Applied as another type (versioned, repeatable, baseline) than this jar has it. */
        TYPE_MISMATCH,
        /** Applied, but this jar does not have it (and it is not from a newer release). */
        UNKNOWN_TO_THIS_JAR,
        /** In this jar, lower than the current version, never applied. */
        NOT_APPLIED,
        /** Its application failed. */
        FAILED,
        /** Anything else the migration tool reports. */
        OTHER
    }
}
