package org.learninganalytics.db;

/**
 * Where the database's schema stands against the migrations shipped in this jar
 * ({@link AnalyticsDb#schemaStatus()}).
 *
 * @param currentVersion    the latest applied versioned migration, or {@code null} before the first
 * @param expectedVersion   the latest versioned migration in this jar
 * @param pendingMigrations migrations of this jar the database lacks: versioned ones not yet
 *                          applied, and repeatable ones (functions, policies) applied with other content
 */
public record SchemaStatus(String currentVersion, String expectedVersion, int pendingMigrations) {

    /** Whether every migration of this jar is applied (a database that a newer release migrated counts too). */
    public boolean isCurrent() {
        return pendingMigrations == 0;
    }
}
