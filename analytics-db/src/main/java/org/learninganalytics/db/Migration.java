package org.learninganalytics.db;

import java.time.Duration;
import java.time.Instant;

/**
 * One migration as the database's history and this jar's {@code migrations/} see it together
 * ({@link AnalyticsDb#migrationInfo()}, {@link AnalyticsDb#migrateAndReport()}).
 *
 * @param version       e.g. {@code "017"}; {@code null} for a repeatable migration and the schema creation
 * @param description   e.g. {@code "create core tables"}
 * @param type          versioned, repeatable, or a row the migration tool wrote itself
 * @param script        the file name, e.g. {@code V001__create_core_tables.sql}; for a row the
 *                      tool wrote itself, what it wrote (e.g. the schema's name)
 * @param installedOn   when it was applied, or {@code null} when it was not
 * @param executionTime how long applying it took, or {@code null} when it was not applied
 * @param state         where it stands
 */
public record Migration(String version, String description, Type type, String script, Instant installedOn,
                        Duration executionTime, State state) {

    /** What kind of migration. */
    public enum Type {
        /** {@code V###__...sql}: applied once, in version order. */
        VERSIONED,
        /** {@code R__...sql}: functions, views and policies, applied again whenever the file changes. */
        REPEATABLE,
        /** The history's note that the migration tool created the schema. */
        SCHEMA,
        /** A baseline: the history starts at this version. */
        BASELINE
    }

    /** Where a migration stands between the database's history and this jar. */
    public enum State {
        /** In this jar, not applied yet: the next migrate applies it. */
        PENDING,
        /** Applied, and in this jar as applied. */
        APPLIED,
        /** Applied after a higher version was (out of order). */
        OUT_OF_ORDER,
        /** A repeatable migration applied with other content than this jar's; this jar's is pending. */
        OUTDATED,
        /** A repeatable migration's earlier application, applied again since. */
        SUPERSEDED,
        /** Its application failed: the database may be half-migrated. */
        FAILED,
        /** Applied, but this jar does not have it. */
        MISSING,
        /** Applied by a newer release: higher than this jar's latest version. */
        FUTURE,
        /** In this jar, never applied, but lower than the current version: migrate refuses it. */
        IGNORED,
        /** Lower than the baseline: never applied, and never will be. */
        BELOW_BASELINE,
        /** Marked as deleted in the history. */
        DELETED;

        /** Whether the database's history has it (applied, successfully or not). */
        public boolean isApplied() {
            return switch (this) {
                case APPLIED, OUT_OF_ORDER, OUTDATED, SUPERSEDED, FAILED, MISSING, FUTURE -> true;
                case PENDING, IGNORED, BELOW_BASELINE, DELETED -> false;
            };
        }
    }
}
