package org.learninganalytics.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.learninganalytics.db.internal.JdbcUrls;

/** An explicit database that does not answer fails the build of the pool at once, with a readable message. */
class AnalyticsDbFailsFastTest {

    @Test
    void an_unreachable_database_fails_within_the_connection_timeout_naming_the_url_without_its_password() {
        long started = System.nanoTime();
        DatabaseUnavailableException failure = catchThrowableOfType(DatabaseUnavailableException.class, () -> AnalyticsDb.builder()
                .jdbcUrl("jdbc:postgresql://127.0.0.1:1/analytics?user=app&password=hunter2", "app", "hunter2")
                .connectionTimeout(Duration.ofSeconds(1))
                .build());
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(failure).isNotNull();
        assertThat(failure.getMessage())
                .contains("jdbc:postgresql://127.0.0.1:1/analytics?user=app&password=***")
                .doesNotContain("hunter2");
        // Guards against hanging (a retry loop, a missing timeout), not a speed goal.
        assertThat(took).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void passwords_are_masked_in_every_url_form() {
        assertThat(JdbcUrls.maskPassword("jdbc:postgresql://db:5432/a?password=s3cret&ssl=true"))
                .isEqualTo("jdbc:postgresql://db:5432/a?password=***&ssl=true");
        assertThat(JdbcUrls.maskPassword("jdbc:postgresql://user:s3cret@db:5432/a")).isEqualTo("jdbc:postgresql://user:***@db:5432/a");
        assertThat(JdbcUrls.maskPassword("jdbc:postgresql://db/a")).isEqualTo("jdbc:postgresql://db/a");
    }
}
