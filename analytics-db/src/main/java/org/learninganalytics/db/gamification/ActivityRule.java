package org.learninganalytics.db.gamification;

import java.time.Duration;

/**
 * How one activity type earns points, and its anti-abuse caps (a row of activity_rules).
 *
 * @param points         awarded when the award names no points of its own; positive
 * @param selfReportable whether learners may report it themselves ({@code me.points().reportActivity})
 * @param maxPerWindow   at most this many awards of the type per user within {@code window}, or null for no rate cap
 * @param window         the rolling window of {@code maxPerWindow} (whole seconds), or null with it
 * @param minSpacing     at least this long between two awards of the type to one user (whole seconds), or null
 * @param maxPerLocalDay at most this many awards of the type per user and day of the user's own time zone, or null
 */
public record ActivityRule(String activityType, int points, boolean selfReportable, Integer maxPerWindow, Duration window,
                           Duration minSpacing, Integer maxPerLocalDay) {

    /** A rule without caps. */
    public static ActivityRule uncapped(String activityType, int points) {
        return new ActivityRule(activityType, points, false, null, null, null, null);
    }
}
