package org.learninganalytics.demo;

import org.learninganalytics.db.testing.CapturedLogs;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.learninganalytics.http.ServeCommand;

import picocli.CommandLine;

/**
 * Demo mode on a machine without PostgreSQL: an embedded PostgreSQL 15, said loudly, its data
 * removed when the server stops. The local server is hidden by pointing demo mode at a port
 * where nothing listens, so the machine's own cluster keeps running.
 */
class EmbeddedDemoModePgTest {

    private static final Pattern DATA_DIRECTORY = Pattern.compile("its data in (\\S+) is DELETED on exit");

    @Test
    void with_no_database_configured_and_none_local_demo_mode_serves_from_an_embedded_PostgreSQL_15() throws Exception {
        assertThat(System.getenv("ANALYTICS_DB_URL")).as("this test needs ANALYTICS_DB_URL unset").isNull();
        CommandLine demoJar = DemoMain.commandLine();
        demoJar.parseArgs("serve", "--demo", "--port", "0", "--local-postgres", "127.0.0.1:1");
        ServeCommand serve = demoJar.getSubcommands().get("serve").getCommand();
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

        Path dataDirectory;
        try (CapturedLogs logs = new CapturedLogs(); ServeCommand.Running server = serve.start()) {
            HttpResponse<String> ready = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + server.port() + "/ready")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(ready.statusCode()).isEqualTo(200);
            assertThat(logs.warnings()).anyMatch(line -> line.contains("EMBEDDED PostgreSQL 15"));
            assertThat(logs.infos()).anyMatch(line -> line.startsWith("Demo mode: loaded 3 organizations, 600 users"));
            dataDirectory = logs.warnings().stream().map(DATA_DIRECTORY::matcher).filter(Matcher::find)
                    .map(matcher -> Path.of(matcher.group(1))).findFirst().orElseThrow();
            assertThat(dataDirectory).exists();
        }
        assertThat(Files.exists(dataDirectory)).as("the embedded server's data is removed on exit").isFalse();
    }
}
