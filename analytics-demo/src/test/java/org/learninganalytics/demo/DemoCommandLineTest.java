package org.learninganalytics.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import picocli.CommandLine;

/** The demo jar's command line: the server's serve plus demo mode, and the generator. */
class DemoCommandLineTest {

    @Test
    void demo_mode_with_an_explicit_unreachable_database_exits_1_at_once_without_an_embedded_fallback() {
        long started = System.nanoTime();
        int exitCode = DemoMain.commandLine().execute("serve", "--demo", "--port", "0",
                "--db-url", "jdbc:postgresql://127.0.0.1:1/analytics?password=hunter2");
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(exitCode).isEqualTo(1);
        // Guards against hanging or a silent fallback to an embedded server, not a speed goal.
        assertThat(took).isLessThan(Duration.ofSeconds(20));
    }

    @Test
    void serve_explains_the_server_options_and_demo_mode() {
        StringWriter out = new StringWriter();
        CommandLine command = DemoMain.commandLine();
        command.setOut(new PrintWriter(out));

        assertThat(command.execute("serve", "--help")).isZero();
        assertThat(out.toString()).contains("ANALYTICS_DB_URL", "ANALYTICS_HTTP_PORT", "--demo", "embedded", "ANALYTICS_DEMO");
    }

    @Test
    void the_jar_offers_serve_and_generate_demo_data() {
        StringWriter out = new StringWriter();
        CommandLine command = DemoMain.commandLine();
        command.setOut(new PrintWriter(out));

        assertThat(command.execute("--help")).isZero();
        assertThat(out.toString()).contains("serve", "generate-demo-data");
    }
}
