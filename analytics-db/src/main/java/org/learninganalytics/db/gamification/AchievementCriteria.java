package org.learninganalytics.db.gamification;

/**
 * The criteria of an achievement: the documented vocabulary of achievements.criteria (JSONB),
 * as a type. Every criterion given must hold; null ones do not apply; at least one is given.
 *
 * @param totalPoints      total points at least this
 * @param streakDays       a streak of at least this many days reached (the longest streak)
 * @param coursesCompleted at least this many courses completed
 * @param skillsMastered   at least this many skills at mastery 80 or more
 * @param activityType     with {@code activityCount}: at least that many awards of this activity type
 */
public record AchievementCriteria(Integer totalPoints, Integer streakDays, Integer coursesCompleted, Integer skillsMastered,
                                  String activityType, Integer activityCount) {

    public static AchievementCriteria totalPoints(int points) {
        return new AchievementCriteria(points, null, null, null, null, null);
    }

    public static AchievementCriteria streakDays(int days) {
        return new AchievementCriteria(null, days, null, null, null, null);
    }

    public static AchievementCriteria coursesCompleted(int courses) {
        return new AchievementCriteria(null, null, courses, null, null, null);
    }

    public static AchievementCriteria skillsMastered(int skills) {
        return new AchievementCriteria(null, null, null, skills, null, null);
    }

    public static AchievementCriteria activities(String activityType, int count) {
        return new AchievementCriteria(null, null, null, null, activityType, count);
    }
}
