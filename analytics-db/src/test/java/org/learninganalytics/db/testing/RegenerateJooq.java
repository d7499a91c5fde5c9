package org.learninganalytics.db.testing;

import java.nio.file.Path;

/**
 * {@code scripts/regenerate-jooq}: migrates a throw-away database on the test server (same
 * choice as the tests, see {@link PostgresServers}) and regenerates the committed jOOQ
 * classes into the directory given as the first argument.
 */
public final class RegenerateJooq {

    private RegenerateJooq() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: RegenerateJooq <target source directory>");
        }
        PostgresServer server = PostgresServers.get();
        String database = TemplateDatabase.get(server);
        try {
            JooqCodegen.generate(server.urlFor(database), server.user(), server.password(), Path.of(args[0]));
        } finally {
            TemplateDatabase.dropQuietly(server, database);
        }
        System.out.println("[analytics] jOOQ classes regenerated in " + args[0]);
    }
}
