package org.learninganalytics.db.jobs;

import java.time.Duration;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.github.kagkarlsson.scheduler.task.schedule.Schedule;
import com.github.kagkarlsson.scheduler.task.schedule.Schedules;

/**
 * A job's schedule as configuration writes it, and db-scheduler's {@link Schedule} for it:
 * <ul>
 *   <li>{@code cron:<second> <minute> <hour> <day> <month> <weekday>}, in UTC, e.g.
 *       {@code cron:0 0 2 * * *} daily at 02:00 (Spring's six-field syntax, as db-scheduler reads it);</li>
 *   <li>{@code every:<n><unit>}, unit ms, s, m, h or d: again that long after each run ends,
 *       and at once when the job has no execution yet;</li>
 *   <li>{@code off}: never scheduled (an execution already in the table is removed); it can still be run by hand.</li>
 * </ul>
 */
record JobSchedule(String text, Schedule schedule) {

    private static final Pattern EVERY = Pattern.compile("every:(\\d{1,9})(ms|s|m|h|d)");
    private static final Duration SHORTEST = Duration.ofMillis(100);

    static JobSchedule parse(String text) {
        if (text == null || text.isBlank()) throw new InvalidJobSettingsException("a schedule must not be empty", null);
        String trimmed = text.strip();
        String lower = trimmed.toLowerCase(Locale.ROOT);
        if (lower.equals("off")) return new JobSchedule("off", Schedules.cron("-", ZoneOffset.UTC));
        Matcher every = EVERY.matcher(lower);
        if (every.matches()) {
            long amount = Long.parseLong(every.group(1));
            Duration delay = switch (every.group(2)) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                default -> Duration.ofDays(amount);
            };
            if (delay.compareTo(SHORTEST) < 0) throw new InvalidJobSettingsException("schedule '" + trimmed + "': at least every 100ms", null);
            return new JobSchedule(lower, Schedules.fixedDelay(delay));
        }
        if (lower.startsWith("cron:")) {
            String expression = trimmed.substring("cron:".length()).strip();
            if (expression.equals("-")) throw new InvalidJobSettingsException("schedule '" + trimmed + "': write off", null);
            try {
                return new JobSchedule("cron:" + expression, Schedules.cron(expression, ZoneOffset.UTC));
            } catch (RuntimeException e) {
                throw new InvalidJobSettingsException("schedule '" + trimmed + "' is not a six-field cron expression"
                        + " (second minute hour day month weekday): " + e.getMessage(), e);
            }
        }
        throw new InvalidJobSettingsException("schedule '" + trimmed + "' is not cron:<six fields>, every:<n><ms|s|m|h|d> or off", null);
    }

    boolean isOff() {
        return schedule.isDisabled();
    }
}
