package org.learninganalytics.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
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
    void the_command_line_explains_itself() {
        StringWriter out = new StringWriter();
        CommandLine command = new CommandLine(new Main());
        command.setOut(new PrintWriter(out));

        assertThat(command.execute("serve", "--help")).isZero();
        assertThat(out.toString()).contains("ANALYTICS_DB_URL", "ANALYTICS_HTTP_PORT", "ANALYTICS_MIGRATE_ON_START")
                .doesNotContain("--demo", "embedded");
    }
}
