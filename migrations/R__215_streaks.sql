-- Streaks: the one definition of a run of consecutive active days, used by award_points()
-- (when a late event fills a gap), by replay_user_points(), and so by the demo generator,
-- which derives its totals through the replay. Re-created whenever this file changes.
--
-- A run is a maximal set of consecutive local days in daily_activity (the days as recorded
-- when each award was made, in the learner's time zone of that moment). date - row_number()
-- is constant along a run. A filter on user_id is pushed below the window function (it is
-- the partition key), so reading one user's runs reads only that user's days.

SET LOCAL ROLE analytics_owner;
DO $$
BEGIN
    IF current_user <> 'analytics_owner' THEN
        RAISE EXCEPTION 'R__215_streaks must run as analytics_owner inside a transaction (as Flyway runs it), not as %', current_user
            USING HINT = 'SET LOCAL ROLE has no effect outside a transaction: objects would be owned by the wrong role.';
    END IF;
END
$$;

CREATE OR REPLACE VIEW streak_runs WITH (security_invoker = true) AS
SELECT days.user_id, count(*)::integer AS length, min(days.date) AS first_day, max(days.date) AS last_day
FROM (
    SELECT d.user_id, d.date, d.date - (row_number() OVER (PARTITION BY d.user_id ORDER BY d.date))::integer AS run
    FROM daily_activity d
) days
GROUP BY days.user_id, days.run;
COMMENT ON VIEW streak_runs IS
    'Runs of consecutive active local days per user (length, first and last day): the one definition of a streak.';

REVOKE ALL ON streak_runs FROM PUBLIC;
GRANT SELECT ON streak_runs TO analytics_service;

-- What a learner's current streak reads as today: the stored run, or 0 once a whole local
-- day has passed without activity (the stored value changes only with the next award).
CREATE OR REPLACE FUNCTION current_streak_today(p_current_streak integer, p_last_activity_date date, p_time_zone text)
    RETURNS integer
    LANGUAGE sql STABLE PARALLEL SAFE
AS $$
    SELECT CASE WHEN p_last_activity_date >= (now() AT TIME ZONE coalesce(p_time_zone, 'UTC'))::date - 1
                THEN p_current_streak ELSE 0 END
$$;
COMMENT ON FUNCTION current_streak_today(integer, date, text) IS
    'The current streak as it reads today in the learner''s time zone: 0 once a whole local day passed without activity.';

REVOKE EXECUTE ON FUNCTION current_streak_today(integer, date, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION current_streak_today(integer, date, text) TO analytics_authenticated, analytics_platform_admin, analytics_service;
