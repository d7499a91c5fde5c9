package org.learninganalytics.db;

import java.util.List;

/**
 * The database's migration history side by side with this jar's migrations
 * ({@link AnalyticsDb#migrationInfo()}), as a DBA's {@code info} shows it.
 *
 * @param status     the current version and how many migrations are pending, counted as
 *                   {@link AnalyticsDb#schemaStatus()} counts them
 * @param migrations every migration, applied ones in the order they were applied, then the pending ones
 */
public record MigrationInfo(SchemaStatus status, List<Migration> migrations) {

    public MigrationInfo {
        migrations = List.copyOf(migrations);
    }

    /** The migrations in {@code state}. */
    public List<Migration> inState(Migration.State state) {
        return migrations.stream().filter(migration -> migration.state() == state).toList();
    }
}
