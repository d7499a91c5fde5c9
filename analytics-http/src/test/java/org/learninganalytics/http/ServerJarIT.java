package org.learninganalytics.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import org.junit.jupiter.api.Test;

/**
 * The production server jar, as built: small, with no PostgreSQL binaries and no demo code.
 * Demo mode and the embedded PostgreSQL live in the demo jar (analytics-demo).
 */
class ServerJarIT {

    private static final long MAX_BYTES = 40_000_000;

    private final Path jar = Path.of(System.getProperty("analytics.server.jar", "target/analytics-http.jar"));

    @Test
    void the_server_jar_is_under_40_MB() throws IOException {
        assertThat(Files.size(jar)).as("size of %s in bytes", jar).isLessThan(MAX_BYTES);
    }

    @Test
    void the_server_jar_carries_no_postgres_binaries_and_no_demo_code() throws IOException {
        List<String> entries;
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            entries = zip.stream().map(ZipEntry::getName).toList();
        }

        assertThat(entries).contains("org/learninganalytics/http/Main.class", "db/migration/analytics/V001__create_core_tables.sql");
        assertThat(entries).as("PostgreSQL binaries").noneMatch(name -> name.matches("(?i).*postgres.*\\.(txz|xz|tar|tgz|gz|zip)"));
        assertThat(entries).as("embedded PostgreSQL").noneMatch(name -> name.startsWith("io/zonky/"));
        assertThat(entries).as("demo code").noneMatch(name -> name.startsWith("org/learninganalytics/demo/")
                || name.startsWith("org/learninganalytics/db/demo/"));
    }

    @Test
    void the_server_uses_only_the_librarys_public_api() throws IOException {
        byte[] internal = "org/learninganalytics/db/internal/".getBytes(StandardCharsets.UTF_8);
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            List<String> offenders = zip.stream()
                    .filter(entry -> entry.getName().startsWith("org/learninganalytics/http/") && entry.getName().endsWith(".class"))
                    .filter(entry -> contains(read(zip, entry), internal))
                    .map(ZipEntry::getName)
                    .toList();
            assertThat(offenders).as("server classes that refer to org.learninganalytics.db.internal").isEmpty();
        }
    }

    private static byte[] read(ZipFile zip, ZipEntry entry) {
        try (var in = zip.getInputStream(entry)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) continue outer;
            }
            return true;
        }
        return false;
    }
}
