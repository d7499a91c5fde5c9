package org.learninganalytics.db.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.github.kagkarlsson.scheduler.task.Execution;
import com.github.kagkarlsson.scheduler.task.ExecutionComplete;
import com.github.kagkarlsson.scheduler.task.TaskInstance;

/** Schedules as configuration writes them, and the retry back-off of failed runs. */
class JobScheduleTest {

    @Test
    void cron_every_and_off_are_schedules() {
        assertThat(JobSchedule.parse("cron:0 0 2 * * *").text()).isEqualTo("cron:0 0 2 * * *");
        Instant next = JobSchedule.parse("cron:0 0 2 * * *").schedule()
                .getNextExecutionTime(ExecutionComplete.simulatedSuccess(Instant.parse("2026-12-06T08:00:00Z")));
        assertThat(next).as("UTC").isEqualTo(Instant.parse("2026-12-07T02:00:00Z"));
        assertThat(JobSchedule.parse(" every:1h ").schedule()
                .getNextExecutionTime(ExecutionComplete.simulatedSuccess(Instant.parse("2026-12-06T08:00:00Z"))))
                .isEqualTo(Instant.parse("2026-12-06T09:00:00Z"));
        assertThat(JobSchedule.parse("every:500ms").text()).isEqualTo("every:500ms");
        assertThat(JobSchedule.parse("OFF").isOff()).isTrue();
        assertThat(JobSchedule.parse("every:1d").isOff()).isFalse();
    }

    @Test
    void anything_else_is_invalid_settings() {
        for (String bad : List.of("", "hourly", "cron:0 0 2 * *", "cron:-", "every:1w", "every:10ms", "every:h")) {
            assertThatThrownBy(() -> JobSchedule.parse(bad)).as(bad).isInstanceOf(InvalidJobSettingsException.class);
        }
        assertThatThrownBy(() -> JobSettings.defaults().withSchedule("refresh-leaderboards", "sometimes"))
                .isInstanceOf(InvalidJobSettingsException.class).hasMessageContaining("sometimes");
        assertThatThrownBy(() -> JobSettings.defaults().withThreads(0)).isInstanceOf(InvalidJobSettingsException.class);
    }

    @Test
    void the_catalogue_refuses_two_jobs_of_one_name() {
        Job job = new Job("twice", "off", context -> {
        });
        assertThatThrownBy(() -> JobCatalogue.checked(List.of(job, job))).isInstanceOf(IllegalArgumentException.class);
        assertThat(JobCatalogue.standard()).extracting(Job::name)
                .contains("refresh-leaderboards", "refresh-peer-comparison", "refresh-skill-demand", "recompute-analytics");
        assertThat(JobCatalogue.standard()).extracting(Job::defaultSchedule).as("no job runs the moment an instance starts")
                .allMatch(schedule -> schedule.startsWith("cron:"));
    }

    @Test
    void retries_double_after_each_failure_but_never_come_later_than_the_next_regular_run() {
        RetryWithBackoff retry = new RetryWithBackoff(JobSchedule.parse("cron:0 0 * * * *").schedule(), Duration.ofMinutes(1));
        Instant done = Instant.parse("2026-12-06T08:00:05Z");
        assertThat(retry.retryAt(failedAfter(0, done))).isEqualTo(done.plus(Duration.ofMinutes(1)));
        assertThat(retry.retryAt(failedAfter(1, done))).isEqualTo(done.plus(Duration.ofMinutes(2)));
        assertThat(retry.retryAt(failedAfter(4, done))).isEqualTo(done.plus(Duration.ofMinutes(16)));
        assertThat(retry.retryAt(failedAfter(6, done))).as("64 minutes: the next hour comes first").isEqualTo(Instant.parse("2026-12-06T09:00:00Z"));
        assertThat(retry.retryAt(failedAfter(1_000, done))).isEqualTo(Instant.parse("2026-12-06T09:00:00Z"));
    }

    private static ExecutionComplete failedAfter(int earlierFailures, Instant done) {
        Execution execution = new Execution(done.minusSeconds(5), new TaskInstance<>("job", "recurring"), true, "instance", null, null,
                earlierFailures, done, 1);
        return ExecutionComplete.failure(execution, done.minusSeconds(5), done, new IllegalStateException("failed"));
    }
}
