package org.learninganalytics.db.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.learninganalytics.db.testing.FreshDatabase;
import org.learninganalytics.db.testing.JooqCodegen;
import org.learninganalytics.db.testing.TestDatabase;

/**
 * The committed jOOQ classes are exactly what the generator makes from the migrations: a
 * migration committed without running scripts/regenerate-jooq fails the build here.
 */
@FreshDatabase
class GeneratedCodeMatchesMigrationsPgTest {

    @Test
    void committed_generated_sources_match_a_fresh_generation(TestDatabase database, @TempDir Path fresh) throws Exception {
        String committedDir = System.getProperty("analytics.generated.dir");
        assertThat(committedDir).as("system property analytics.generated.dir (set by the pom)").isNotNull();

        JooqCodegen.generate(database.jdbcUrl(), database.user(), database.password(), fresh);

        Map<String, String> expected = sources(fresh);
        Map<String, String> committed = sources(Path.of(committedDir));
        assertThat(committed.keySet())
                .as("generated files; run scripts/regenerate-jooq and commit the result")
                .containsExactlyElementsOf(expected.keySet());
        expected.forEach((file, content) -> assertThat(committed.get(file))
                .as(file + " is out of date; run scripts/regenerate-jooq and commit the result")
                .isEqualTo(content));
    }

    private static Map<String, String> sources(Path root) throws IOException {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.filter(p -> p.toString().endsWith(".java")).toList()) {
                files.put(root.relativize(path).toString(), Files.readString(path));
            }
        }
        return files;
    }
}
