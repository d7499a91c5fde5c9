package org.learninganalytics.db.tenancy;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

import org.learninganalytics.db.testing.TestDatabase;

/**
 * Two organizations and the cast of the tenancy tests, with one row for {@link #LEARNER} in
 * every per-user table. Course C is trained by {@link #TRAINER} (the learner is enrolled),
 * course C2 by {@link #OTHER_TRAINER} (the other learner is enrolled).
 */
final class TenancyFixture {

    static final UUID ORG_A = UUID.fromString("a0000000-0000-4000-8000-000000000001");
    static final UUID ORG_B = UUID.fromString("b0000000-0000-4000-8000-000000000001");
    static final UUID LEARNER = UUID.fromString("a0000000-0000-4000-8000-0000000000a1");
    static final UUID OTHER_LEARNER = UUID.fromString("a0000000-0000-4000-8000-0000000000a2");
    static final UUID TRAINER = UUID.fromString("a0000000-0000-4000-8000-0000000000b1");
    static final UUID OTHER_TRAINER = UUID.fromString("a0000000-0000-4000-8000-0000000000b2");
    static final UUID ORG_ADMIN = UUID.fromString("a0000000-0000-4000-8000-0000000000c1");
    static final UUID OTHER_ORG_ADMIN = UUID.fromString("b0000000-0000-4000-8000-0000000000c1");
    static final UUID PLATFORM_ADMIN = UUID.fromString("f0000000-0000-4000-8000-0000000000d1");
    static final UUID COURSE = UUID.fromString("a0000000-0000-4000-8000-0000000000e1");
    static final UUID OTHER_COURSE = UUID.fromString("a0000000-0000-4000-8000-0000000000e2");

    private TenancyFixture() {
    }

    static void arrange(TestDatabase database) throws SQLException {
        try (Connection connection = database.connect(); Statement sql = connection.createStatement()) {
            sql.execute("SET search_path = analytics");
            sql.execute("INSERT INTO organizations (id, name) VALUES ('%s', 'Org A'), ('%s', 'Org B')".formatted(ORG_A, ORG_B));
            sql.execute("""
                    INSERT INTO users (id, email, organization_id) VALUES
                      ('%s', 'learner@a.test', '%s'), ('%s', 'other.learner@a.test', '%s'),
                      ('%s', 'trainer@a.test', '%s'), ('%s', 'other.trainer@a.test', '%s'),
                      ('%s', 'admin@a.test', '%s'), ('%s', 'admin@b.test', '%s'),
                      ('%s', 'platform@admin.test', NULL)
                    """.formatted(LEARNER, ORG_A, OTHER_LEARNER, ORG_A, TRAINER, ORG_A, OTHER_TRAINER, ORG_A,
                    ORG_ADMIN, ORG_A, OTHER_ORG_ADMIN, ORG_B, PLATFORM_ADMIN));
            sql.execute("""
                    INSERT INTO user_roles (user_id, role) VALUES
                      ('%s', 'learner'), ('%s', 'learner'), ('%s', 'trainer'), ('%s', 'trainer'),
                      ('%s', 'org_admin'), ('%s', 'org_admin'), ('%s', 'platform_admin')
                    """.formatted(LEARNER, OTHER_LEARNER, TRAINER, OTHER_TRAINER, ORG_ADMIN, OTHER_ORG_ADMIN, PLATFORM_ADMIN));
            sql.execute("INSERT INTO courses (id, name, organization_id, trainer_id) VALUES ('%s', 'C', '%s', '%s'), ('%s', 'C2', '%s', '%s')"
                    .formatted(COURSE, ORG_A, TRAINER, OTHER_COURSE, ORG_A, OTHER_TRAINER));
            sql.execute("INSERT INTO course_skills (course_id, skill_id) VALUES ('%s', 'skill-java')".formatted(COURSE));
            sql.execute("INSERT INTO enrollments (user_id, course_id, progress_percent) VALUES ('%s', '%s', 10), ('%s', '%s', 20)"
                    .formatted(LEARNER, COURSE, OTHER_LEARNER, OTHER_COURSE));
            // One row of every per-user table for each learner.
            for (UUID user : new UUID[] {LEARNER, OTHER_LEARNER}) {
                sql.execute(("""
                        INSERT INTO user_skills (user_id, skill_id, mastery_level) VALUES ('%1$s', 'skill-react', 40);
                        INSERT INTO learner_velocity_analytics (user_id, current_pace, target_pace, trend_direction, trend_percentage, status, expires_at)
                          VALUES ('%1$s', 3, 4, 'stable', 0, 'on_track', now() + interval '1 day');
                        INSERT INTO skill_gap_analytics (user_id, total_gaps, critical_gaps, gaps, expires_at)
                          VALUES ('%1$s', 1, 0, '[]', now() + interval '1 day');
                        INSERT INTO engagement_analytics (user_id, overall_score, trend, sessions_per_week, avg_session_duration,
                            last_active, engagement_by_type, weekly_trend, expires_at)
                          VALUES ('%1$s', 50, 'stable', 2, 30, now(), '{}', '[]', now() + interval '1 day');
                        INSERT INTO mastery_analytics (user_id, mastered_skills, in_progress_skills, skills, mastery_distribution, expires_at)
                          VALUES ('%1$s', 1, 2, '[]', '{}', now() + interval '1 day');
                        INSERT INTO performance_analytics (user_id, avg_score, trend, assessments_taken, pass_rate, performance_by_skill,
                            recent_scores, expires_at)
                          VALUES ('%1$s', 70, 'stable', 3, 66, '{}', '[]', now() + interval '1 day');
                        INSERT INTO content_effectiveness_analytics (user_id, most_effective, least_effective, recommendations, expires_at)
                          VALUES ('%1$s', '[]', '[]', '[]', now() + interval '1 day');
                        INSERT INTO user_points (user_id, total_points) VALUES ('%1$s', 100);
                        INSERT INTO point_transactions (user_id, points, activity_type) VALUES ('%1$s', 100, 'lesson_completed');
                        INSERT INTO learning_events (event_id, user_id, verb, object_id, object_type, occurred_at)
                          VALUES (gen_random_uuid(), '%1$s', 'experienced', 'video-1', 'video', now());
                        INSERT INTO user_achievements (user_id, achievement_id) VALUES ('%1$s', 'first-points');
                        INSERT INTO daily_activity (user_id, date, last_activity_at) VALUES ('%1$s', current_date, now());
                        INSERT INTO predictive_analytics_cache (user_id, analytics_type, data, expires_at)
                          VALUES ('%1$s', 'drop_off_risk', '{}', now() + interval '1 day');
                        INSERT INTO user_preferences (user_id) VALUES ('%1$s');
                        INSERT INTO award_keys (idempotency_key, user_id, request_hash) VALUES ('key-%1$s', '%1$s', 'x');
                        """).formatted(user));
            }
        }
    }
}
