package org.learninganalytics.demo;

import java.time.Duration;

/** What {@link DemoDataGenerator#generate} wrote, and how long it took. */
public record DemoDataReport(int organizations, int users, int courses, int enrollments, int userSkills,
                             long pointTransactions, long dailyActivity, int courseSkills, long learningEvents, int dropOuts,
                             Duration eventsLoad, Duration elapsed) {
}
