package org.learninganalytics.db.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

import org.junit.jupiter.api.Test;
import org.learninganalytics.db.testing.FreshDatabase;
import org.learninganalytics.db.testing.SchemaDump;
import org.learninganalytics.db.testing.TestDatabase;

/**
 * The committed schema snapshot db/schema.sql is exactly the normalised pg_dump of a freshly
 * migrated database: a migration committed without running scripts/regenerate-schema-dump
 * fails the build here, as GeneratedCodeMatchesMigrationsPgTest does for the jOOQ classes.
 */
@FreshDatabase
class SchemaDumpMatchesMigrationsPgTest {

    @Test
    void committed_schema_dump_matches_a_fresh_dump(TestDatabase database) throws Exception {
        String committedFile = System.getProperty("analytics.schema.dump");
        assertThat(committedFile).as("system property analytics.schema.dump (set by the pom)").isNotNull();
        Path committed = Path.of(committedFile).normalize();

        String fresh = SchemaDump.snapshot(database.server(), database.name());

        Path freshFile = Path.of("target", "schema.sql.fresh").toAbsolutePath();
        Files.createDirectories(freshFile.getParent());
        Files.writeString(freshFile, fresh);
        // The monthly partitions exist but are left out; the DEFAULT partition stays.
        assertThat(monthlyPartitions(database)).as("monthly partitions of the migrated database").isPositive();
        assertThat(fresh).doesNotContainPattern("(?m)^CREATE TABLE analytics\\.[a-z_]+_\\d{4}_\\d{2} ")
                .contains("CREATE TABLE analytics.learning_events_default ");
        assertThat(committed).as("%s is missing; run scripts/regenerate-schema-dump and commit the result", committed).exists();
        assertThat(Files.readString(committed))
                .as("%s is out of date: run scripts/regenerate-schema-dump and commit the result (see what changed: diff %s %s)",
                        committed, committed, freshFile)
                .isEqualTo(fresh);
    }

    private static int monthlyPartitions(TestDatabase database) throws Exception {
        try (Connection connection = database.connect(); Statement statement = connection.createStatement();
             ResultSet count = statement.executeQuery("""
                     SELECT count(*) FROM pg_class c JOIN pg_inherits i ON i.inhrelid = c.oid
                     WHERE c.relnamespace = 'analytics'::regnamespace AND c.relname ~ '_[0-9]{4}_[0-9]{2}$'""")) {
            count.next();
            return count.getInt(1);
        }
    }
}
