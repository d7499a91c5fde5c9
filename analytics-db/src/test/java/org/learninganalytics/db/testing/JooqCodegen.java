package org.learninganalytics.db.testing;

import java.nio.file.Path;

import org.jooq.codegen.GenerationTool;
import org.jooq.meta.jaxb.Configuration;
import org.jooq.meta.jaxb.Database;
import org.jooq.meta.jaxb.ForcedType;
import org.jooq.meta.jaxb.Generate;
import org.jooq.meta.jaxb.Generator;
import org.jooq.meta.jaxb.Jdbc;
import org.jooq.meta.jaxb.Logging;
import org.jooq.meta.jaxb.Target;
import org.learninganalytics.db.AnalyticsDb;

/**
 * The one place that says how jOOQ classes are generated: from a database migrated with the
 * project's migrations, read by {@code PostgresDatabase} (it sees RLS, functions and
 * materialized views, which the SQL-parsing DDLDatabase does not).
 */
public final class JooqCodegen {

    public static final String PACKAGE = "org.learninganalytics.db.generated";

    private JooqCodegen() {
    }

    public static void generate(String jdbcUrl, String user, String password, Path directory) throws Exception {
        Configuration configuration = new Configuration()
                .withLogging(Logging.WARN)
                .withJdbc(new Jdbc()
                        .withDriver("org.postgresql.Driver")
                        .withUrl(jdbcUrl)
                        .withUser(user)
                        .withPassword(password))
                .withGenerator(new Generator()
                        .withName("org.jooq.codegen.JavaGenerator")
                        .withDatabase(new Database()
                                .withName("org.jooq.meta.postgres.PostgresDatabase")
                                .withInputSchema(AnalyticsDb.SCHEMA)
                                // monthly partitions come and go with the calendar; code reads their parent tables
                                .withExcludes("flyway_schema_history|[a-z_]+_(default|\\d{4}_\\d{2})")
                                // Public API speaks java.time.Instant for timestamptz.
                                .withForcedTypes(new ForcedType()
                                        .withName("INSTANT")
                                        .withIncludeTypes("(?i:timestamp\\ with\\ time\\ zone|timestamptz)")))
                        .withGenerate(new Generate()
                                .withGeneratedAnnotation(false)
                                .withComments(true)
                                .withPojos(false)
                                .withDaos(false)
                                .withRecords(true)
                                // to-many paths are ambiguous here (users → courses as trainer and via enrollments)
                                .withImplicitJoinPathsToMany(false)
                                .withImplicitJoinPathsManyToMany(false))
                        .withTarget(new Target()
                                .withPackageName(PACKAGE)
                                .withDirectory(directory.toAbsolutePath().toString())
                                .withClean(true)));
        GenerationTool.generate(configuration);
    }
}
