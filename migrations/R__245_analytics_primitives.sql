-- Learner-analytics primitives: the terms ANALYTICS.md defines once ("Common terms") and
-- several analytics and predictions share. Each takes a SET of users and the calculation
-- time T (or a window), so one call serves a single learner and a bulk recompute alike, and
-- each is set-based SQL (no loop over users). Re-created whenever this file changes.
--
--   learner_time_zones(users)                       a learner's time zone (preferences, else UTC)
--   learning_sessions(users, from, to)              sessions: runs of events <= 30 min apart
--   learner_active_days(users, from, to)            local days (learner's time zone) with an event
--   learner_recency(users, at)                      last active instant and local days since then
--   enrollment_progress_at(users, t, at)            progress of each enrollment at time t (T = at)
--   enrollment_pace(users, from, to, at)            progress change per week over [from, to)
--   learner_assessments(users, from, to)            passed/failed events with a score, score 0..100
--
-- Windows are half-open [from, to). They are SECURITY INVOKER: the service role (jobs, the
-- prediction code) and the owner's SECURITY DEFINER analytics functions call them; the RLS
-- subject roles get no EXECUTE. All are STABLE and read nothing but their arguments' users.
--
-- Choices where ANALYTICS.md is silent (a learning-analytics practitioner's reading):
--  * A session is built from the events inside the window; a session straddling the window's
--    start is cut there. Events of the same instant are ordered by event id, so the result
--    is deterministic. Exactly 30 minutes apart is still the same session.
--  * An event without a duration lasts 0 seconds.
--  * Progress at an earlier time t: a "completed" event without progress_percent means 100;
--    a "progressed" event without progress_percent says nothing and is skipped. Events of a
--    course the learner is enrolled in count (course_id = the enrollment's course).
--  * Only enrollments that exist at T (enrolled_at <= T) count; an enrollment is active at T
--    when completed_at is null or later than T (at T = now() that is completed_at IS NULL).
--  * Days since last active are whole local days: the learner's local date of T minus the
--    local date of the last activity (0 when active today). The last activity is the latest
--    learning event at or before T, or the gamification ledger's daily_activity, whichever
--    is later (ANALYTICS.md: "latest event (or daily activity) time").

SET LOCAL ROLE analytics_owner;
DO $$
BEGIN
    IF current_user <> 'analytics_owner' THEN
        RAISE EXCEPTION 'R__245_analytics_primitives must run as analytics_owner inside a transaction (as Flyway runs it), not as %', current_user
            USING HINT = 'SET LOCAL ROLE has no effect outside a transaction: objects would be owned by the wrong role.';
    END IF;
END
$$;

CREATE OR REPLACE FUNCTION learner_time_zones(p_users uuid[])
    RETURNS TABLE (user_id uuid, time_zone text)
    LANGUAGE sql STABLE
    SET search_path = ${flyway:defaultSchema}, pg_temp
AS $$
    SELECT u.id, coalesce(p.time_zone, 'UTC')
    FROM (SELECT DISTINCT id FROM unnest(p_users) AS a(id) WHERE id IS NOT NULL) u
    LEFT JOIN user_preferences p ON p.user_id = u.id
$$;
COMMENT ON FUNCTION learner_time_zones(uuid[]) IS
    'Each given user''s time zone (user_preferences.time_zone, else UTC): the zone of "local day" and "ISO week".';

CREATE OR REPLACE FUNCTION learning_sessions(p_users uuid[], p_from timestamptz, p_to timestamptz)
    RETURNS TABLE (user_id uuid, started_at timestamptz, ended_at timestamptz, minutes numeric, events bigint)
    LANGUAGE sql STABLE
    SET search_path = ${flyway:defaultSchema}, pg_temp
AS $$
    WITH ordered AS (
        SELECT e.user_id, e.event_id, e.occurred_at,
               e.occurred_at + make_interval(secs => coalesce(e.duration_seconds, 0)) AS ends_at,
               CASE WHEN e.occurred_at - lag(e.occurred_at) OVER w <= interval '30 minutes' THEN 0 ELSE 1 END AS starts_session
        FROM learning_events e
        WHERE e.user_id = ANY (p_users) AND e.occurred_at >= p_from AND e.occurred_at < p_to
        WINDOW w AS (PARTITION BY e.user_id ORDER BY e.occurred_at, e.event_id)
    ), numbered AS (
        SELECT o.*, sum(o.starts_session) OVER (PARTITION BY o.user_id ORDER BY o.occurred_at, o.event_id ROWS UNBOUNDED PRECEDING) AS session_no
        FROM ordered o
    )
    SELECT n.user_id, min(n.occurred_at), max(n.ends_at),
           extract(epoch FROM max(n.ends_at) - min(n.occurred_at)) / 60, count(*)
    FROM numbered n
    GROUP BY n.user_id, n.session_no
$$;
COMMENT ON FUNCTION learning_sessions(uuid[], timestamptz, timestamptz) IS
    'Sessions of the given users from their events in [from, to): maximal runs with consecutive events at most 30 minutes apart;'
    ' minutes = max(occurred_at + duration) - min(occurred_at) (ANALYTICS.md "Session").';

CREATE OR REPLACE FUNCTION learner_active_days(p_users uuid[], p_from timestamptz, p_to timestamptz)
    RETURNS TABLE (user_id uuid, local_day date, events bigint)
    LANGUAGE sql STABLE
    SET search_path = ${flyway:defaultSchema}, pg_temp
AS $$
    SELECT e.user_id, (e.occurred_at AT TIME ZONE tz.time_zone)::date, count(*)
    FROM learning_events e
    JOIN learner_time_zones(p_users) tz ON tz.user_id = e.user_id
    WHERE e.user_id = ANY (p_users) AND e.occurred_at >= p_from AND e.occurred_at < p_to
    GROUP BY 1, 2
$$;
COMMENT ON FUNCTION learner_active_days(uuid[], timestamptz, timestamptz) IS
    'Local days (learner''s time zone) with at least one event in [from, to), with the number of events (ANALYTICS.md "Active day").';

CREATE OR REPLACE FUNCTION learner_recency(p_users uuid[], p_at timestamptz)
    RETURNS TABLE (user_id uuid, last_active timestamptz, days_since_active integer)
    LANGUAGE sql STABLE
    SET search_path = ${flyway:defaultSchema}, pg_temp
AS $$
    SELECT tz.user_id, last.at,
           ((p_at AT TIME ZONE tz.time_zone)::date - (last.at AT TIME ZONE tz.time_zone)::date)
    FROM learner_time_zones(p_users) tz
    CROSS JOIN LATERAL (
        SELECT greatest(
            (SELECT max(e.occurred_at) FROM learning_events e WHERE e.user_id = tz.user_id AND e.occurred_at <= p_at),
            (SELECT max(d.last_activity_at) FROM daily_activity d WHERE d.user_id = tz.user_id AND d.last_activity_at <= p_at)) AS at
    ) last
$$;
COMMENT ON FUNCTION learner_recency(uuid[], timestamptz) IS
    'Each user''s last activity at or before T (latest learning event or daily_activity, whichever is later; NULL when none)'
    ' and the whole local days since then (0 = active on T''s local day).';

CREATE OR REPLACE FUNCTION enrollment_progress_at(p_users uuid[], p_t timestamptz, p_at timestamptz)
    RETURNS TABLE (user_id uuid, course_id uuid, enrolled_at timestamptz, completed_at timestamptz, active boolean,
                   expected_weeks integer, progress numeric)
    LANGUAGE sql STABLE
    SET search_path = ${flyway:defaultSchema}, pg_temp
AS $$
    SELECT en.user_id, en.course_id, en.enrolled_at, en.completed_at,
           en.completed_at IS NULL OR en.completed_at > p_at,
           c.expected_weeks,
           CASE WHEN p_t >= p_at THEN en.progress_percent
                ELSE coalesce((SELECT coalesce(e.progress_percent, 100)
                               FROM learning_events e
                               WHERE e.user_id = en.user_id AND e.course_id = en.course_id
                                 AND e.verb IN ('progressed', 'completed') AND e.occurred_at <= p_t
                                 AND (e.progress_percent IS NOT NULL OR e.verb = 'completed')
                               ORDER BY e.occurred_at DESC, e.event_id DESC
                               LIMIT 1), 0)
           END
    FROM enrollments en
    JOIN courses c ON c.id = en.course_id
    WHERE en.user_id = ANY (p_users) AND en.enrolled_at <= p_at
$$;
COMMENT ON FUNCTION enrollment_progress_at(uuid[], timestamptz, timestamptz) IS
    'Progress (0..100) of each enrollment existing at T = p_at, at time t: at T enrollments.progress_percent, earlier the latest'
    ' progressed/completed event of the course at or before t (completed without a value = 100), else 0 (ANALYTICS.md).';

CREATE OR REPLACE FUNCTION enrollment_pace(p_users uuid[], p_from timestamptz, p_to timestamptz, p_at timestamptz)
    RETURNS TABLE (user_id uuid, course_id uuid, active boolean, expected_weeks integer,
                   progress_from numeric, progress_to numeric, pace numeric)
    LANGUAGE sql STABLE
    SET search_path = ${flyway:defaultSchema}, pg_temp
AS $$
    SELECT b.user_id, b.course_id, b.active, b.expected_weeks, a.progress, b.progress,
           (b.progress - a.progress) / (extract(epoch FROM p_to - p_from) / 604800)
    FROM enrollment_progress_at(p_users, p_to, p_at) b
    JOIN enrollment_progress_at(p_users, p_from, p_at) a ON a.user_id = b.user_id AND a.course_id = b.course_id
$$;
COMMENT ON FUNCTION enrollment_pace(uuid[], timestamptz, timestamptz, timestamptz) IS
    'Per enrollment existing at T = p_at: progress at from and at to, and pace = their difference per week (% per week);'
    ' [T - 28 d, T) gives ANALYTICS.md''s pace, [T - 14 d, T) and [T - 56 d, T) the forecast''s.';

CREATE OR REPLACE FUNCTION learner_assessments(p_users uuid[], p_from timestamptz, p_to timestamptz)
    RETURNS TABLE (user_id uuid, event_id uuid, object_id text, skill_id text, score numeric, passed boolean, occurred_at timestamptz)
    LANGUAGE sql STABLE
    SET search_path = ${flyway:defaultSchema}, pg_temp
AS $$
    SELECT e.user_id, e.event_id, e.object_id, e.skill_id,
           100 * least(1, greatest(0, e.score_scaled)), e.verb = 'passed', e.occurred_at
    FROM learning_events e
    WHERE e.user_id = ANY (p_users) AND e.occurred_at >= p_from AND e.occurred_at < p_to
      AND e.verb IN ('passed', 'failed') AND e.score_scaled IS NOT NULL
$$;
COMMENT ON FUNCTION learner_assessments(uuid[], timestamptz, timestamptz) IS
    'Assessments in [from, to): passed/failed events with a score (every attempt); score = 100 x clamp(score_scaled, 0, 1);'
    ' passed = the verb is passed (ANALYTICS.md "Performance").';

REVOKE EXECUTE ON FUNCTION learner_time_zones(uuid[]), learning_sessions(uuid[], timestamptz, timestamptz),
    learner_active_days(uuid[], timestamptz, timestamptz), learner_recency(uuid[], timestamptz),
    enrollment_progress_at(uuid[], timestamptz, timestamptz), enrollment_pace(uuid[], timestamptz, timestamptz, timestamptz),
    learner_assessments(uuid[], timestamptz, timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION learner_time_zones(uuid[]), learning_sessions(uuid[], timestamptz, timestamptz),
    learner_active_days(uuid[], timestamptz, timestamptz), learner_recency(uuid[], timestamptz),
    enrollment_progress_at(uuid[], timestamptz, timestamptz), enrollment_pace(uuid[], timestamptz, timestamptz, timestamptz),
    learner_assessments(uuid[], timestamptz, timestamptz) TO analytics_service;
