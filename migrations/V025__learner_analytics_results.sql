-- V025: the six learner-analytics tables (V003) become a TTL cache with history that can say
-- "insufficient data". The functions that fill and read them are in R__250.
--
-- Deviations from the seed (AS-001), on purpose (ANALYTICS.md defines the numbers):
--  * result_status ('ok' | 'insufficient_data') on every table. ANALYTICS.md: a learner without
--    the data an analytic needs gets an explicit insufficient_data result, never invented
--    numbers. Not named "status": learner_velocity_analytics already has a seed column of
--    that name (on_track, behind, ...).
--  * data jsonb on every table: what is missing for an insufficient_data row
--    ({"missing": ["..."]}), and for an ok row the inputs a learner is shown besides the seed's
--    columns (e.g. the engagement factors, velocity per enrollment, content effect per type).
--  * window_start / window_end: the window of the inputs ([T - 28 d, T), [T - 84 d, T), ...),
--    T = window_end = calculated_at. NULL only on rows written before this migration.
--  * The seed's result columns lose NOT NULL: an insufficient_data row has no numbers. A CHECK
--    per table requires them on ok rows (velocity: current/target pace stay NULL when the
--    learner has no active enrollment left, status "completed").
--  * learner_velocity_analytics.current_pace may be negative (progress went back, e.g. a
--    course reset by the course service); ANALYTICS.md's estimated completion is null when
--    pace <= 0, so a negative pace is meaningful. target_pace stays > 0.
--  * CHECKs for the closed sets ANALYTICS.md names: velocity status, engagement trend,
--    performance trend (which includes "insufficient_data": fewer than 6 assessments).
--  * History: rows are never updated; a read appends a row when the newest has expired. The
--    cache read is "newest row of a user", so each table gets (user_id, calculated_at DESC)
--    INCLUDE (expires_at); the seed's (user_id) indexes are kept as the seed lists them.
--  * learning_events gets an index on stored_at: the bulk recompute finds "learners with new
--    events since t" by when events arrived, not when they happened.
-- Runs as analytics_owner, which owns the tables.

SET LOCAL ROLE analytics_owner;
DO $$
BEGIN
    IF current_user <> 'analytics_owner' THEN
        RAISE EXCEPTION 'V025 must run as analytics_owner inside a transaction (as Flyway runs it), not as %', current_user
            USING HINT = 'SET LOCAL ROLE has no effect outside a transaction: objects would be owned by the wrong role.';
    END IF;
END
$$;
SET LOCAL lock_timeout = '5s';

-- The three columns every table gets, with their comments.
DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['learner_velocity_analytics', 'skill_gap_analytics', 'engagement_analytics', 'mastery_analytics',
                             'performance_analytics', 'content_effectiveness_analytics'] LOOP
        EXECUTE format('ALTER TABLE %I ADD COLUMN result_status text NOT NULL DEFAULT %L, '
                       'ADD COLUMN data jsonb NOT NULL DEFAULT %L, '
                       'ADD COLUMN window_start timestamptz, ADD COLUMN window_end timestamptz, '
                       'ADD CONSTRAINT %I CHECK (result_status IN (%L, %L)), '
                       'ADD CONSTRAINT %I CHECK (jsonb_typeof(data) = %L), '
                       'ADD CONSTRAINT %I CHECK (result_status = %L OR jsonb_typeof(data -> %L) = %L), '
                       'ADD CONSTRAINT %I CHECK (window_start < window_end AND window_end <= calculated_at)',
                       t, 'ok', '{}', 'ck_' || t || '_result_status', 'ok', 'insufficient_data',
                       'ck_' || t || '_data_object', 'object',
                       'ck_' || t || '_missing_named', 'ok', 'missing', 'array',
                       'ck_' || t || '_window');
        EXECUTE format('COMMENT ON COLUMN %I.result_status IS %L', t,
                       'ok, or insufficient_data when the learner lacks the data the analytic needs (data.missing says what).');
        EXECUTE format('COMMENT ON COLUMN %I.data IS %L', t,
                       'insufficient_data: {"missing": [...]}; ok: the inputs shown besides the seed''s columns (ANALYTICS.md).');
        EXECUTE format('COMMENT ON COLUMN %I.window_start IS %L', t, 'Start of the inputs'' window (inclusive).');
        EXECUTE format('COMMENT ON COLUMN %I.window_end IS %L', t, 'End of the inputs'' window (exclusive) = T, the calculation time.');
        EXECUTE format('CREATE INDEX %I ON %I (user_id, calculated_at DESC) INCLUDE (expires_at)', 'idx_' || t || '_user_newest', t);
    END LOOP;
END
$$;

ALTER TABLE learner_velocity_analytics
    ALTER COLUMN current_pace DROP NOT NULL,
    ALTER COLUMN target_pace DROP NOT NULL,
    ALTER COLUMN trend_direction DROP NOT NULL,
    ALTER COLUMN trend_percentage DROP NOT NULL,
    ALTER COLUMN status DROP NOT NULL,
    DROP CONSTRAINT ck_learner_velocity_analytics_pace_non_negative,
    ADD CONSTRAINT ck_learner_velocity_analytics_target_pace CHECK (target_pace > 0),
    ADD CONSTRAINT ck_learner_velocity_analytics_status
        CHECK (status IN ('not_started', 'on_track', 'behind', 'at_risk', 'completed')),
    ADD CONSTRAINT ck_learner_velocity_analytics_ok_complete CHECK (result_status = 'insufficient_data'
        OR (status IS NOT NULL AND trend_direction IS NOT NULL AND trend_percentage IS NOT NULL
            AND (status = 'completed' OR (current_pace IS NOT NULL AND target_pace IS NOT NULL))));
COMMENT ON COLUMN learner_velocity_analytics.current_pace IS
    'Mean pace of the active enrollments, % of the course per week (negative when progress went back); NULL without active enrollments.';

ALTER TABLE skill_gap_analytics
    ALTER COLUMN total_gaps DROP NOT NULL,
    ALTER COLUMN critical_gaps DROP NOT NULL,
    ALTER COLUMN gaps DROP NOT NULL,
    ADD CONSTRAINT ck_skill_gap_analytics_ok_complete CHECK (result_status = 'insufficient_data'
        OR (total_gaps IS NOT NULL AND critical_gaps IS NOT NULL AND gaps IS NOT NULL));

ALTER TABLE engagement_analytics
    ALTER COLUMN overall_score DROP NOT NULL,
    ALTER COLUMN trend DROP NOT NULL,
    ALTER COLUMN sessions_per_week DROP NOT NULL,
    ALTER COLUMN avg_session_duration DROP NOT NULL,
    ALTER COLUMN last_active DROP NOT NULL,
    ALTER COLUMN engagement_by_type DROP NOT NULL,
    ALTER COLUMN weekly_trend DROP NOT NULL,
    ADD CONSTRAINT ck_engagement_analytics_trend CHECK (trend IN ('rising', 'stable', 'falling')),
    ADD CONSTRAINT ck_engagement_analytics_ok_complete CHECK (result_status = 'insufficient_data'
        OR (overall_score IS NOT NULL AND trend IS NOT NULL AND sessions_per_week IS NOT NULL AND avg_session_duration IS NOT NULL
            AND last_active IS NOT NULL AND engagement_by_type IS NOT NULL AND weekly_trend IS NOT NULL));
COMMENT ON COLUMN engagement_analytics.weekly_trend IS
    'JSON array of the last 12 ISO weeks (Monday, learner''s time zone), oldest first: {week, activeDays, sessions, minutes}.';

ALTER TABLE mastery_analytics
    ALTER COLUMN mastered_skills DROP NOT NULL,
    ALTER COLUMN in_progress_skills DROP NOT NULL,
    ALTER COLUMN skills DROP NOT NULL,
    ALTER COLUMN mastery_distribution DROP NOT NULL,
    ADD CONSTRAINT ck_mastery_analytics_ok_complete CHECK (result_status = 'insufficient_data'
        OR (mastered_skills IS NOT NULL AND in_progress_skills IS NOT NULL AND skills IS NOT NULL AND mastery_distribution IS NOT NULL));

ALTER TABLE performance_analytics
    ALTER COLUMN avg_score DROP NOT NULL,
    ALTER COLUMN trend DROP NOT NULL,
    ALTER COLUMN assessments_taken DROP NOT NULL,
    ALTER COLUMN pass_rate DROP NOT NULL,
    ALTER COLUMN performance_by_skill DROP NOT NULL,
    ALTER COLUMN recent_scores DROP NOT NULL,
    ADD CONSTRAINT ck_performance_analytics_trend CHECK (trend IN ('improving', 'stable', 'declining', 'insufficient_data')),
    ADD CONSTRAINT ck_performance_analytics_ok_complete CHECK (result_status = 'insufficient_data'
        OR (avg_score IS NOT NULL AND trend IS NOT NULL AND assessments_taken IS NOT NULL AND pass_rate IS NOT NULL
            AND performance_by_skill IS NOT NULL AND recent_scores IS NOT NULL));

ALTER TABLE content_effectiveness_analytics
    ALTER COLUMN most_effective DROP NOT NULL,
    ALTER COLUMN least_effective DROP NOT NULL,
    ALTER COLUMN recommendations DROP NOT NULL,
    ADD CONSTRAINT ck_content_effectiveness_analytics_ok_complete CHECK (result_status = 'insufficient_data'
        OR (most_effective IS NOT NULL AND least_effective IS NOT NULL AND recommendations IS NOT NULL));
COMMENT ON COLUMN content_effectiveness_analytics.recommendations IS
    'JSON array of {skillId, objectType, reason}: for each of the top 3 gap skills, the most effective content type.';

CREATE INDEX idx_learning_events_stored_at ON learning_events (stored_at);
