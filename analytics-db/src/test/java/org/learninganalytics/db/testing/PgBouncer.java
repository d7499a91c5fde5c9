package org.learninganalytics.db.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;

/**
 * A real PgBouncer in transaction pooling mode in front of the test server, with fewer server
 * connections than the tests' clients — the seed's production path (its port 6543). Started
 * per test class from the machine's {@code pgbouncer} binary (Debian package pgbouncer).
 * Where the binary is missing the test is skipped with the reason, except under CI
 * ({@code CI=true}), where .ci/run installs it and a missing one fails.
 */
public final class PgBouncer implements AutoCloseable {

    private static final List<String> CANDIDATES = List.of("/usr/sbin/pgbouncer", "/usr/bin/pgbouncer", "/usr/local/bin/pgbouncer");

    private final Process process;
    private final int port;
    private final Path directory;

    private PgBouncer(Process process, int port, Path directory) {
        this.process = process;
        this.port = port;
        this.directory = directory;
    }

    /** Starts PgBouncer with {@code serverConnections} server connections per database and user. */
    public static PgBouncer start(PostgresServer server, int serverConnections) throws IOException, InterruptedException {
        Path binary = CANDIDATES.stream().map(Path::of).filter(Files::isExecutable).findFirst().orElse(null);
        if (binary == null) {
            String reason = "PgBouncer is not installed (apt-get install pgbouncer)";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) throw new IllegalStateException(reason + "; .ci/run must provide it");
            Assumptions.abort(reason);
        }
        URI target = URI.create(server.adminUrl().substring("jdbc:".length()));
        int port = freePort();
        Path directory = Files.createTempDirectory("pgbouncer-test");
        Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxrwxrwx"));
        Path users = directory.resolve("userlist.txt");
        Files.writeString(users, "\"analytics_app\" \"%s\"\n\"%s\" \"%s\"\n".formatted(
                nullToEmpty(System.getenv(TestDatabase.APP_PASSWORD_VARIABLE)), server.user(), nullToEmpty(server.password())));
        Path config = directory.resolve("pgbouncer.ini");
        Files.writeString(config, """
                [databases]
                * = host=%s port=%d
                [pgbouncer]
                listen_addr = 127.0.0.1
                listen_port = %d
                unix_socket_dir =
                auth_type = %s
                auth_file = %s
                pool_mode = transaction
                default_pool_size = %d
                max_client_conn = 200
                server_reset_query =
                ignore_startup_parameters = extra_float_digits,options
                logfile = %s
                pidfile = %s
                """.formatted(target.getHost(), target.getPort() < 0 ? 5432 : target.getPort(), port,
                server.password() == null ? "trust" : "plain", users, serverConnections,
                directory.resolve("pgbouncer.log"), directory.resolve("pgbouncer.pid")));
        for (Path file : List.of(users, config)) {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        }
        List<String> command = new ArrayList<>(List.of(binary.toString()));
        if ("root".equals(System.getProperty("user.name"))) {
            command.addAll(List.of("-u", "postgres")); // PgBouncer refuses to run as root
        }
        command.add(config.toString());
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(directory.resolve("stdout.log").toFile()).start();
        PgBouncer bouncer = new PgBouncer(process, port, directory);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!PostgresServers.portAnswers("127.0.0.1", port)) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                String log = Files.exists(directory.resolve("stdout.log")) ? Files.readString(directory.resolve("stdout.log")) : "";
                bouncer.close();
                throw new IllegalStateException("PgBouncer did not start: " + log);
            }
            Thread.sleep(50);
        }
        return bouncer;
    }

    /**
     * The JDBC URL of {@code database} through PgBouncer. Transaction pooling hands each
     * transaction any server connection, so server-side prepared statements (which live on
     * one connection) are off: {@code prepareThreshold=0}.
     */
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database + "?prepareThreshold=0";
    }

    @Override
    public void close() throws IOException, InterruptedException {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) process.destroyForcibly();
        try (var files = Files.walk(directory)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }

    private static String nullToEmpty(String value) {
        return value == null ? "" : value;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
