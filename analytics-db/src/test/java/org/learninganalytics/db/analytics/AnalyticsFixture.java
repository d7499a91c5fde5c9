package org.learninganalytics.db.analytics;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import org.learninganalytics.db.testing.TestDatabase;

/**
 * Arranging learner-analytics fixtures as the test's administrative user: organizations,
 * users, courses, enrollments, skills and learning events written with SQL (the ingestion
 * API for events is another issue's), and reading the analytics functions' rows at a chosen T.
 */
final class AnalyticsFixture {

    private final TestDatabase database;

    AnalyticsFixture(TestDatabase database) {
        this.database = database;
    }

    static Instant daysBefore(Instant t, double days) {
        return t.minus(Duration.ofSeconds(Math.round(days * 86_400)));
    }

    void sql(String statement, Object... arguments) {
        try (Connection connection = database.connect(); PreparedStatement query = connection.prepareStatement(statement)) {
            for (int i = 0; i < arguments.length; i++) bind(query, i + 1, arguments[i]);
            query.execute();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void bind(PreparedStatement query, int index, Object value) throws SQLException {
        if (value instanceof Instant instant) query.setTimestamp(index, Timestamp.from(instant));
        else if (value == null) query.setNull(index, Types.NULL);
        else query.setObject(index, value);
    }

    void organization(UUID id) {
        sql("INSERT INTO analytics.organizations (id, name) VALUES (?, 'Org')", id);
    }

    void user(UUID id, UUID organization, String role) {
        sql("INSERT INTO analytics.users (id, email, full_name, organization_id) VALUES (?, ?, 'User', ?)", id, id + "@test.example", organization);
        sql("INSERT INTO analytics.user_roles (user_id, role) VALUES (?, ?)", id, role);
    }

    void timeZone(UUID user, String zone) {
        sql("INSERT INTO analytics.user_preferences (user_id, time_zone) VALUES (?, ?)", user, zone);
    }

    void course(UUID id, UUID organization, UUID trainer, int expectedWeeks) {
        sql("INSERT INTO analytics.courses (id, name, organization_id, trainer_id, expected_weeks) VALUES (?, 'Course', ?, ?, ?)",
                id, organization, trainer, expectedWeeks);
    }

    void skill(String id) {
        sql("INSERT INTO analytics.skills (id, name) VALUES (?, ?)", id, id.toUpperCase());
    }

    void courseSkill(UUID course, String skill, double requiredLevel) {
        sql("INSERT INTO analytics.course_skills (course_id, skill_id, required_level) VALUES (?, ?, ?)", course, skill,
                BigDecimal.valueOf(requiredLevel));
    }

    void enrollment(UUID user, UUID course, Instant enrolledAt, Instant completedAt, double progress) {
        sql("INSERT INTO analytics.enrollments (user_id, course_id, enrolled_at, completed_at, progress_percent) VALUES (?, ?, ?, ?, ?)",
                user, course, enrolledAt, completedAt, BigDecimal.valueOf(progress));
    }

    void userSkill(UUID user, String skill, double level, Instant lastAssessedAt) {
        sql("INSERT INTO analytics.user_skills (user_id, skill_id, mastery_level, last_assessed_at) VALUES (?, ?, ?, ?)", user, skill,
                BigDecimal.valueOf(level), lastAssessedAt);
    }

    /** A learning event; {@code score}, {@code durationSeconds}, {@code progress}, course and skill may be null. */
    void event(UUID user, String verb, String objectType, String objectId, UUID course, String skill, Double score,
               Integer durationSeconds, Double progress, Instant at) {
        sql("INSERT INTO analytics.learning_events (event_id, user_id, verb, object_id, object_type, course_id, skill_id, score_scaled,"
                        + " duration_seconds, progress_percent, occurred_at) VALUES (gen_random_uuid(), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                user, verb, objectId, objectType, course, skill, score == null ? null : BigDecimal.valueOf(score), durationSeconds,
                progress == null ? null : BigDecimal.valueOf(progress), at);
    }

    void progressed(UUID user, UUID course, double progress, Instant at) {
        event(user, "progressed", "course", "course-" + course, course, null, null, null, progress, at);
    }

    void assessment(UUID user, String objectId, String skill, boolean passed, double score, Instant at) {
        event(user, passed ? "passed" : "failed", "quiz", objectId, null, skill, score, null, null, at);
    }

    /** The row of {@code analytics_<name>(ARRAY[user], at)} as column -> value (jsonb as normalised text), or null without one. */
    Map<String, Object> analytic(String name, UUID user, Instant at) {
        try (Connection connection = database.connect();
             PreparedStatement query = connection.prepareStatement(
                     "SELECT * FROM analytics.analytics_" + name + "(ARRAY[?]::uuid[], ?)")) {
            query.setObject(1, user);
            query.setTimestamp(2, Timestamp.from(at));
            try (ResultSet rows = query.executeQuery()) {
                if (!rows.next()) return null;
                ResultSetMetaData meta = rows.getMetaData();
                Map<String, Object> row = new LinkedHashMap<>();
                for (int i = 1; i <= meta.getColumnCount(); i++) {
                    Object value = rows.getObject(i);
                    if (value instanceof Timestamp timestamp) value = timestamp.toInstant();
                    else if ("jsonb".equals(meta.getColumnTypeName(i)) && value != null) value = value.toString();
                    row.put(meta.getColumnName(i), value);
                }
                if (rows.next()) throw new IllegalStateException("two rows for one user");
                return row;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code json} as PostgreSQL's jsonb prints it (key order, spacing), to compare with the functions' output. */
    String json(String json) {
        try (Connection connection = database.connect(); PreparedStatement query = connection.prepareStatement("SELECT ?::jsonb::text")) {
            query.setString(1, json);
            try (ResultSet row = query.executeQuery()) {
                row.next();
                return row.getString(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One value of a query. */
    Object value(String query, Object... arguments) {
        try (Connection connection = database.connect(); PreparedStatement statement = connection.prepareStatement(query)) {
            for (int i = 0; i < arguments.length; i++) bind(statement, i + 1, arguments[i]);
            try (ResultSet row = statement.executeQuery()) {
                return row.next() ? row.getObject(1) : null;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
