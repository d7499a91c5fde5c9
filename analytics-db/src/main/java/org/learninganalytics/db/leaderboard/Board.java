package org.learninganalytics.db.leaderboard;

/** Which leaderboard: the calendar week or month (UTC, as of the last refresh), or all time (live). */
public enum Board {
    WEEKLY("weekly"), MONTHLY("monthly"), ALL_TIME("all_time");

    private final String sqlName;

    Board(String sqlName) {
        this.sqlName = sqlName;
    }

    String sqlName() {
        return sqlName;
    }
}
