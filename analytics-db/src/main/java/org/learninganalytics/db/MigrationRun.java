package org.learninganalytics.db;

import java.util.List;

/**
 * What one migrate did ({@link AnalyticsDb#migrateAndReport()}).
 *
 * @param previousVersion the schema version before, or {@code null} when the database had none
 * @param currentVersion  the schema version after, or {@code null} when there are no versioned migrations
 * @param applied         the migrations applied by this run, in order (the tool's own rows left out)
 */
public record MigrationRun(String previousVersion, String currentVersion, List<Migration> applied) {

    public MigrationRun {
        applied = List.copyOf(applied);
    }
}
