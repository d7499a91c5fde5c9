package org.learninganalytics.http;

import org.learninganalytics.db.testing.CapturedLogs;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import picocli.CommandLine;

/** Production never falls back to anything: an explicit database that does not answer stops the server at once. */
class ServeCommandTest {

    @Test
    void serve_with_an_explicit_unreachable_database_exits_1_at_once() {
        long started = System.nanoTime();
        int exitCode = new CommandLine(new Main()).execute("serve", "--port", "0",
                "--db-url", "jdbc:postgresql://127.0.0.1:1/analytics?password=hunter2");
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(exitCode).isEqualTo(1);
        // Guards against hanging or a silent fallback to an embedded server, not a speed goal.
        assertThat(took).isLessThan(Duration.ofSeconds(20));
    }

    @Test
    void a_port_where_something_else_than_PostgreSQL_answers_is_named_with_what_it_answered() throws Exception {
        try (NotPostgres ssh = new NotPostgres("SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n"); CapturedLogs logs = new CapturedLogs()) {
            String url = "jdbc:postgresql://127.0.0.1:" + ssh.port() + "/analytics?password=hunter2";

            assertThat(new CommandLine(new Main()).execute("serve", "--port", "0", "--db-url", url, "--migration-user", "dba"))
                    .isEqualTo(1);
            assertThat(new CommandLine(new Main()).execute("serve", "--port", "0", "--db-url", url, "--no-migrate")).isEqualTo(1);

            String masked = "jdbc:postgresql://127.0.0.1:" + ssh.port() + "/analytics?password=***";
            String answer = ": 127.0.0.1:" + ssh.port() + " does not answer as PostgreSQL: it answered \"SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\"";
            assertThat(logs.errors()).containsExactly(
                    "Cannot start: the migration login dba cannot connect to " + masked + answer,
                    "Cannot start: the serving login analytics_app cannot connect to " + masked + answer);
            assertThat(logs.withStackTraces()).isEmpty();
        }
    }

    /** A TCP server that greets every connection with {@code greeting}, as SSH or SMTP servers do, then hangs up. */
    private static final class NotPostgres implements AutoCloseable {
        private final ServerSocket socket = new ServerSocket(0);
        private final Thread acceptor;

        NotPostgres(String greeting) throws IOException {
            acceptor = new Thread(() -> {
                while (!socket.isClosed()) {
                    try (Socket client = socket.accept()) {
                        client.getOutputStream().write(greeting.getBytes(StandardCharsets.US_ASCII));
                        client.getOutputStream().flush();
                        client.shutdownOutput();
                        client.getInputStream().readNBytes(8); // what the client sent first, then hang up
                    } catch (IOException e) {
                        // closed, or the client went away: next one
                    }
                }
            }, "not-postgres");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        int port() {
            return socket.getLocalPort();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    @Test
    void no_migrate_skips_the_migrations_and_migrate_applies_them() {
        assertThat(parse().migrate).as("default").isTrue();
        assertThat(parse("--no-migrate").migrate).isFalse();
        assertThat(parse("--migrate").migrate).isTrue();
    }

    @Test
    void with_ANALYTICS_MIGRATE_ON_START_false_the_server_migrates_only_when_told_to() {
        assertThat(new CommandLine(new ServeCommand()).getCommandSpec().findOption("--migrate").defaultValueString(false))
                .isEqualTo("${env:ANALYTICS_MIGRATE_ON_START:-true}");
        // What the environment variable does: the option's default becomes "false".
        CommandLine.IDefaultValueProvider migrateOnStartFalse = argument ->
                argument instanceof CommandLine.Model.OptionSpec option && option.longestName().equals("--migrate") ? "false" : null;

        assertThat(parse(migrateOnStartFalse).migrate).isFalse();
        assertThat(parse(migrateOnStartFalse, "--no-migrate").migrate).isFalse();
        assertThat(parse(migrateOnStartFalse, "--migrate").migrate).isTrue();
    }

    private static ServeCommand parse(String... args) {
        return parse(argument -> null, args);
    }

    private static ServeCommand parse(CommandLine.IDefaultValueProvider defaults, String... args) {
        ServeCommand serve = new ServeCommand();
        new CommandLine(serve).setDefaultValueProvider(defaults).parseArgs(args);
        return serve;
    }

    @Test
    void the_command_line_explains_itself() {
        StringWriter out = new StringWriter();
        CommandLine command = new CommandLine(new Main());
        command.setOut(new PrintWriter(out));

        assertThat(command.execute("serve", "--help")).isZero();
        assertThat(out.toString()).contains("ANALYTICS_DB_URL", "ANALYTICS_HTTP_PORT", "ANALYTICS_MIGRATE_ON_START")
                .doesNotContain("--demo", "embedded");
    }
}
