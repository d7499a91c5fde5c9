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
 *   <li>the local server on 127.0.0.1:5432 as user {@code postgres} when it answers;</li>
 *   <li>otherwise a failure that names the variable to set.</li>
 * </ol>
 * The tests need a role that may create databases and roles.
 */
public final class PostgresServers {

    public static final String URL_VARIABLE = "ANALYTICS_TEST_JDBC_URL";
    public static final String USER_VARIABLE = "ANALYTICS_TEST_DB_USER";
    public static final String PASSWORD_VARIABLE = "ANALYTICS_TEST_DB_PASSWORD";

    private static final String LOCAL_HOST = "127.0.0.1";
    private static final int LOCAL_PORT = 5432;

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
        if (portAnswers(LOCAL_HOST, LOCAL_PORT)) {
            return verified(new PostgresServer("local server " + LOCAL_HOST + ":" + LOCAL_PORT,
                    "jdbc:postgresql://" + LOCAL_HOST + ":" + LOCAL_PORT + "/postgres", "postgres", null));
        }
        throw new IllegalStateException("No PostgreSQL server for the tests: set " + URL_VARIABLE
                + " (e.g. jdbc:postgresql://host:5432/postgres, with " + USER_VARIABLE + " and "
                + PASSWORD_VARIABLE + "), start Docker, or run PostgreSQL 15 on " + LOCAL_HOST + ":" + LOCAL_PORT + ".");
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
