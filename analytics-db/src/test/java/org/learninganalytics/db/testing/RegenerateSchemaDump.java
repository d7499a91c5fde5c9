package org.learninganalytics.db.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code scripts/regenerate-schema-dump}: migrates a throw-away database on the test server
 * (same choice as the tests, see {@link PostgresServers}) and writes its normalised schema dump
 * ({@link SchemaDump}) to the file given as the first argument.
 */
public final class RegenerateSchemaDump {

    private RegenerateSchemaDump() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: RegenerateSchemaDump <schema.sql>");
        }
        PostgresServer server = PostgresServers.get();
        String database = TemplateDatabase.get(server);
        try {
            Files.writeString(Path.of(args[0]), SchemaDump.snapshot(server, database));
        } finally {
            TemplateDatabase.dropQuietly(server, database);
        }
        System.out.println("[analytics] schema dump regenerated in " + args[0]);
    }
}
