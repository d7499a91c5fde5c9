package org.learninganalytics.db.testing;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.learninganalytics.db.AnalyticsDb;

/**
 * The migrations as a database at an older version had them, for tests and benchmarks that
 * convert such a database (e.g. V036 on a V035 ledger): the versioned files up to that version
 * and the repeatable ones of that time. (Flyway's target would apply every repeatable file, and
 * those added later, e.g. R__280's erasure, need tables made after it.)
 */
public final class MigrationsAsOf {

    /** Repeatable files added after V035, with the version they first ran at. */
    private static final Map<String, Integer> REPEATABLES_ADDED_LATER = Map.of("R__280_erasure.sql", 42);
    private static final Pattern VERSIONED = Pattern.compile("V(\\d+)__.*\\.sql");

    private MigrationsAsOf() {
    }

    /** A new temporary folder with those files, for Flyway's {@code locations("filesystem:" + folder)}; version 35 or later. */
    public static Path folder(int version) {
        try {
            Path all = Path.of(AnalyticsDb.class.getClassLoader().getResource(AnalyticsDb.MIGRATIONS_LOCATION.replace("classpath:", "")).toURI());
            Path asOf = Files.createTempDirectory("migrations-v" + version);
            try (Stream<Path> files = Files.list(all)) {
                for (Path file : files.toList()) {
                    String name = file.getFileName().toString();
                    Matcher versioned = VERSIONED.matcher(name);
                    boolean ofThatTime = versioned.matches() ? Integer.parseInt(versioned.group(1)) <= version
                            : name.startsWith("R__") && REPEATABLES_ADDED_LATER.getOrDefault(name, 0) <= version;
                    if (ofThatTime) Files.copy(file, asOf.resolve(name));
                }
            }
            return asOf;
        } catch (IOException | URISyntaxException e) {
            throw new IllegalStateException("cannot copy the migrations of V" + version, e);
        }
    }
}
