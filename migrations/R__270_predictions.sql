-- Predictions (ANALYTICS.md "Predictive analytics", predictive_analytics_cache, 48 h): the
-- learner's switches, the trigger that deletes a prediction the moment it is switched off,
-- and the set-based inputs of the drop-off risk and forecast models. The models themselves
-- (weights, thresholds, explanations) are Java (org.learninganalytics.db.predictions), so
-- that every constant is named once and the explanation text is built from it.
--
-- Switches: user_preferences.predictive_analytics_enabled is {dropOffRisk, forecasting,
-- recommendations}. A prediction is off only when its member is JSON false; a missing member
-- is on, as in the column default (all true). Switching one off (insert or update of the
-- row, by the library, a DBA or anything else) deletes its rows in the same transaction.
-- Computing takes the same per-learner advisory lock as the trigger and checks the switch
-- under it, so a computation that raced a switch-off cannot leave a row behind.

SET LOCAL ROLE analytics_owner;
DO $$
BEGIN
    IF current_user <> 'analytics_owner' THEN
        RAISE EXCEPTION 'R__270_predictions must run as analytics_owner inside a transaction (as Flyway runs it), not as %', current_user
            USING HINT = 'SET LOCAL ROLE has no effect outside a transaction: objects would be owned by the wrong role.';
    END IF;
END
$$;

-- The preference member of a cache type (analytics_type).
CREATE OR REPLACE FUNCTION prediction_switch(p_type text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    SELECT CASE p_type WHEN 'drop_off_risk' THEN 'dropOffRisk' WHEN 'forecast' THEN 'forecasting'
                       WHEN 'recommendations' THEN 'recommendations' END
$$;
COMMENT ON FUNCTION prediction_switch(text) IS
    'The member of user_preferences.predictive_analytics_enabled that switches a prediction type on or off.';

CREATE OR REPLACE FUNCTION prediction_enabled(p_user uuid, p_type text) RETURNS boolean
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path = ${flyway:defaultSchema}, pg_temp
AS $$
BEGIN
    RETURN prediction_switch(p_type) IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM user_preferences p
                       WHERE p.user_id = p_user AND p.predictive_analytics_enabled -> prediction_switch(p_type) = 'false'::jsonb);
END
$$;
COMMENT ON FUNCTION prediction_enabled(uuid, text) IS
    'Whether the learner allows this prediction type (off only when its switch is JSON false).';

-- Serializes computing and switching off one learner's predictions.
CREATE OR REPLACE FUNCTION lock_learner_predictions(p_user uuid) RETURNS void
    LANGUAGE sql VOLATILE
    SET search_path = pg_catalog, pg_temp
AS $$
    SELECT pg_advisory_xact_lock(hashtextextended('predictive_analytics_cache:' || p_user::text, 0))
$$;
COMMENT ON FUNCTION lock_learner_predictions(uuid) IS
    'Transaction-level advisory lock on one learner''s predictions (compute vs. switch-off).';

CREATE OR REPLACE FUNCTION delete_switched_off_predictions() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = ${flyway:defaultSchema}, pg_temp
AS $$
BEGIN
    PERFORM lock_learner_predictions(NEW.user_id);
    DELETE FROM predictive_analytics_cache c
    WHERE c.user_id = NEW.user_id AND NEW.predictive_analytics_enabled -> prediction_switch(c.analytics_type) = 'false'::jsonb;
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION delete_switched_off_predictions() IS
    'Trigger: deletes a learner''s cached predictions of every type they switched off, at once.';

DROP TRIGGER IF EXISTS trg_user_preferences_delete_switched_off_predictions ON user_preferences;
CREATE TRIGGER trg_user_preferences_delete_switched_off_predictions
    AFTER INSERT OR UPDATE OF predictive_analytics_enabled ON user_preferences
    -- Only rows that switch something off: the function's advisory lock per row would otherwise
    -- exhaust the lock table when one transaction writes many preferences (200,000 in the
    -- benchmark generator failed with "out of shared memory"); with nothing off it deletes nothing.
    FOR EACH ROW WHEN (NEW.predictive_analytics_enabled @? '$.* ? (@ == false)')
    EXECUTE FUNCTION delete_switched_off_predictions();
COMMENT ON TRIGGER trg_user_preferences_delete_switched_off_predictions ON user_preferences IS
    'Switching a prediction off deletes its cached rows in the same transaction (ANALYTICS.md).';

-- Rows of types switched off before this trigger existed.
DELETE FROM predictive_analytics_cache c
WHERE NOT prediction_enabled(c.user_id, c.analytics_type);

-- Drop-off risk inputs per learner at T. Windows: sessions of the last 14 days and of the 14
-- before (each built from that window's events); pace over [T - 28 d, T) of the active
-- enrollments; assessments in W28; active days over the 90 days events are kept.
CREATE OR REPLACE FUNCTION prediction_drop_off_inputs(p_users uuid[], p_at timestamptz)
    RETURNS TABLE (user_id uuid, first_enrolled_at timestamptz, active_days integer, last_active timestamptz,
                   days_since_active integer, sessions_last_14 integer, sessions_previous_14 integer,
                   active_enrollments integer, current_pace numeric, target_pace numeric, passed integer, failed integer)
    LANGUAGE sql STABLE
    SET search_path = ${flyway:defaultSchema}, pg_temp
AS $$
    WITH u AS (SELECT id AS user_id FROM users WHERE id = ANY (p_users)),
    recent AS (SELECT s.user_id, count(*)::integer AS n FROM learning_sessions(p_users, p_at - interval '14 days', p_at) s GROUP BY 1),
    previous AS (SELECT s.user_id, count(*)::integer AS n
                 FROM learning_sessions(p_users, p_at - interval '28 days', p_at - interval '14 days') s GROUP BY 1),
    days AS (SELECT d.user_id, count(*)::integer AS n FROM learner_active_days(p_users, p_at - interval '90 days', p_at) d GROUP BY 1),
    pace AS (SELECT p.user_id, count(*)::integer AS n, avg(p.pace) AS current_pace, avg(100.0 / p.expected_weeks) AS target_pace
             FROM enrollment_pace(p_users, p_at - interval '28 days', p_at, p_at) p WHERE p.active GROUP BY 1),
    assessed AS (SELECT a.user_id, count(*) FILTER (WHERE a.passed)::integer AS passed,
                        count(*) FILTER (WHERE NOT a.passed)::integer AS failed
                 FROM learner_assessments(p_users, p_at - interval '28 days', p_at) a GROUP BY 1)
    SELECT u.user_id,
           (SELECT min(e.enrolled_at) FROM enrollments e WHERE e.user_id = u.user_id AND e.enrolled_at <= p_at),
           coalesce(days.n, 0), r.last_active, r.days_since_active,
           coalesce(recent.n, 0), coalesce(previous.n, 0),
           coalesce(pace.n, 0), pace.current_pace, pace.target_pace,
           coalesce(assessed.passed, 0), coalesce(assessed.failed, 0)
    FROM u
    LEFT JOIN learner_recency(p_users, p_at) r ON r.user_id = u.user_id
    LEFT JOIN recent ON recent.user_id = u.user_id
    LEFT JOIN previous ON previous.user_id = u.user_id
    LEFT JOIN days ON days.user_id = u.user_id
    LEFT JOIN pace ON pace.user_id = u.user_id
    LEFT JOIN assessed ON assessed.user_id = u.user_id
$$;
COMMENT ON FUNCTION prediction_drop_off_inputs(uuid[], timestamptz) IS
    'Inputs of the drop-off risk model per learner at T: enrollment start, active days, recency, sessions of the last 14 days'
    ' and the 14 before, pace against target over 28 days, passed and failed assessments over 28 days.';

-- Forecast inputs per active enrollment at T: progress and the 14-, 28- and 56-day paces,
-- and per learner the weeks among the last 4 in which any active enrollment progressed.
CREATE OR REPLACE FUNCTION prediction_forecast_inputs(p_users uuid[], p_at timestamptz)
    RETURNS TABLE (user_id uuid, course_id uuid, progress numeric, pace14 numeric, pace28 numeric, pace56 numeric,
                   weeks_with_progress integer)
    LANGUAGE sql STABLE
    SET search_path = ${flyway:defaultSchema}, pg_temp
AS $$
    WITH p14 AS (SELECT * FROM enrollment_pace(p_users, p_at - interval '14 days', p_at, p_at) WHERE active),
    p28 AS (SELECT * FROM enrollment_pace(p_users, p_at - interval '28 days', p_at, p_at) WHERE active),
    p56 AS (SELECT * FROM enrollment_pace(p_users, p_at - interval '56 days', p_at, p_at) WHERE active),
    weeks AS (SELECT w.user_id, count(DISTINCT k)::integer AS n
              FROM generate_series(0, 3) k
              CROSS JOIN LATERAL enrollment_pace(p_users, p_at - make_interval(days => 7 * (k + 1)), p_at - make_interval(days => 7 * k), p_at) w
              WHERE w.active AND w.pace > 0
              GROUP BY w.user_id)
    SELECT p28.user_id, p28.course_id, p28.progress_to, p14.pace, p28.pace, p56.pace, coalesce(weeks.n, 0)
    FROM p28
    JOIN p14 ON p14.user_id = p28.user_id AND p14.course_id = p28.course_id
    JOIN p56 ON p56.user_id = p28.user_id AND p56.course_id = p28.course_id
    LEFT JOIN weeks ON weeks.user_id = p28.user_id
$$;
COMMENT ON FUNCTION prediction_forecast_inputs(uuid[], timestamptz) IS
    'Forecast inputs per active enrollment at T: progress, paces over 14, 28 and 56 days, and the learner''s weeks with progress'
    ' among the last 4.';

REVOKE EXECUTE ON FUNCTION prediction_switch(text), prediction_enabled(uuid, text), lock_learner_predictions(uuid),
    delete_switched_off_predictions(), prediction_drop_off_inputs(uuid[], timestamptz), prediction_forecast_inputs(uuid[], timestamptz)
    FROM PUBLIC;
-- Users switch predictions off by updating their preferences: the trigger runs as its definer.
GRANT EXECUTE ON FUNCTION delete_switched_off_predictions() TO analytics_authenticated, analytics_platform_admin, analytics_service;
GRANT EXECUTE ON FUNCTION prediction_switch(text), prediction_enabled(uuid, text), lock_learner_predictions(uuid), prediction_drop_off_inputs(uuid[], timestamptz),
    prediction_forecast_inputs(uuid[], timestamptz) TO analytics_service;
