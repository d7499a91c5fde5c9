-- The six learner analytics of ANALYTICS.md, computed set-based for a set of users at a
-- calculation time T, stored as a TTL cache with history, and read as the caller under RLS.
-- Re-created whenever this file changes. Builds on the primitives of R__245.
--
--   analytics_velocity / _engagement / _skill_gaps / _mastery / _performance /
--   _content_effectiveness (users uuid[], at timestamptz)
--       one row per existing user with the table's result columns; result_status
--       insufficient_data with data.missing when the learner lacks what the analytic needs.
--       SECURITY INVOKER, EXECUTE for the service role (predictions and jobs reuse them).
--   store_learner_analytics(types text[], users uuid[], at, ttls interval[])
--       appends one row per user and type (calculated_at = T, expires_at = T + ttl); rows are
--       never updated. The bulk recompute is this, for an organization or for the learners
--       with new events (one INSERT ... SELECT per type, no loop over users).
--   learner_analytics_rows (view, security_invoker)
--       every stored row of the six tables as (analytic, ..., result jsonb): the document a
--       client is shown, camelCase. Read as the caller, so RLS decides what they see.
--   learner_analytics(user, types, ttls)
--       the cached read: as the caller (RLS), the newest unexpired row per type; for the types
--       without one, refresh_learner_analytics computes and appends, then the rows are read.
--   refresh_learner_analytics(user, types, ttls)
--       SECURITY DEFINER: the only way a user's call writes these tables. It checks first that
--       the caller may see the user (visible_user_ids(), or platform admin), then per type,
--       in a fixed order, takes a transaction-scoped advisory lock on (analytic, user) and
--       re-checks: concurrent readers of an expired entry compute it once, the others wait and
--       find the fresh row. A TTL out of [1 minute, 7 days] is refused, so nobody can make
--       a learner's history grow by asking with a tiny TTL.
--   learner_analytics_hot_window()
--       7 days, the seed's "Personal Analytics (hot)": the cached read never serves a result
--       calculated longer ago, whatever its TTL (and no TTL may be longer). Older rows are the
--       history, kept 7 years in monthly partitions (V038, V039); the bound also lets the
--       cached read skip every partition but the newest one or two.
--
-- Choices where ANALYTICS.md is silent (each also noted where it is made):
--  * Velocity: the trend's percentage divides by |previous| (a negative previous pace, from
--    progress that went back, would flip the sign); with no active enrollment but a completed
--    one the status is "completed", paces NULL, trend stable 0. No enrollment at all:
--    insufficient_data (missing "enrollments").
--  * Engagement: insufficient_data only when the learner was never active (no event, no
--    daily activity) up to T. Sessions per window are sessions of the events in that window.
--    The weekly trend counts a session in the local ISO week it started in.
--  * Skill gaps: severity "critical" (gap >= 40) or "moderate"; never assessed counts as
--    stale. No active enrollment, or none of their courses maps a skill: insufficient_data.
--  * Mastery: level 0 is "not_started"; skills listed by level desc, then skill id. No skill
--    row at all: insufficient_data. Skill gaps and mastery read current state (window_start NULL).
--  * Performance: with 6 to 9 assessments the "5 before" are the 1 to 4 available. Recent
--    scores newest first. No assessment in W84: insufficient_data.
--  * Content effectiveness: the next assessment is strictly after the content event and at
--    most 14 days (inclusive) after it, before T. most/least effective may overlap when fewer
--    than 6 types are rated. Recommendations use the learner's most effective type overall
--    for each of the top 3 gap skills (per-skill observations are too sparse to rank).

SET LOCAL ROLE analytics_owner;
DO $$
BEGIN
    IF current_user <> 'analytics_owner' THEN
        RAISE EXCEPTION 'R__250_learner_analytics must run as analytics_owner inside a transaction (as Flyway runs it), not as %', current_user
            USING HINT = 'SET LOCAL ROLE has no effect outside a transaction: objects would be owned by the wrong role.';
    END IF;
END
$$;

-- An instant as the API writes it: ISO-8601 in UTC, to the second.
CREATE OR REPLACE FUNCTION iso_utc(p_at timestamptz) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
AS $$
    SELECT to_char(p_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
$$;
COMMENT ON FUNCTION iso_utc(timestamptz) IS 'ISO-8601 UTC text of an instant, to the second (the API''s timestamps inside JSON).';

-- 1. Velocity ------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION analytics_velocity(p_users uuid[], p_at timestamptz)
    RETURNS TABLE (user_id uuid, result_status text, current_pace numeric, target_pace numeric, trend_direction text,
                   trend_percentage numeric, status text, estimated_completion timestamptz, data jsonb,
                   window_start timestamptz, window_end timestamptz)
    LANGUAGE sql STABLE
    SET search_path = ${flyway:defaultSchema}, pg_temp
AS $$
    WITH u AS (SELECT id AS user_id FROM users WHERE id = ANY (p_users)),
    p28 AS (SELECT * FROM enrollment_pace(p_users, p_at - interval '28 days', p_at, p_at)),
    recent AS (SELECT p.user_id, avg(p.pace) AS pace FROM enrollment_pace(p_users, p_at - interval '14 days', p_at, p_at) p
               WHERE p.active GROUP BY p.user_id),
    previous AS (SELECT p.user_id, avg(p.pace) AS pace
                 FROM enrollment_pace(p_users, p_at - interval '28 days', p_at - interval '14 days', p_at) p
                 WHERE p.active GROUP BY p.user_id),
    per_user AS (
        SELECT u.user_id,
               count(p28.course_id) AS enrollments,
               count(p28.course_id) FILTER (WHERE p28.active) AS active,
               avg(p28.pace) FILTER (WHERE p28.active) AS current_pace,
               avg(100.0 / p28.expected_weeks) FILTER (WHERE p28.active) AS target_pace,
               avg(p28.progress_to) FILTER (WHERE p28.active) AS mean_progress,
               coalesce(max(p28.progress_to) FILTER (WHERE p28.active), 0) AS max_progress,
               coalesce(jsonb_agg(jsonb_build_object('courseId', p28.course_id, 'progress', round(p28.progress_to, 2),
                                                     'progress28DaysAgo', round(p28.progress_from, 2), 'pace', round(p28.pace, 2),
                                                     'targetPace', round(100.0 / p28.expected_weeks, 2))
                                  ORDER BY p28.course_id) FILTER (WHERE p28.active), '[]') AS per_enrollment
        FROM u LEFT JOIN p28 ON p28.user_id = u.user_id
        GROUP BY u.user_id
    ),
    trended AS (
        SELECT pu.*, coalesce(r.pace, 0) AS recent_pace, coalesce(pv.pace, 0) AS previous_pace,
               -- |previous|: see the header (a negative previous pace must not flip the sign)
               CASE WHEN coalesce(pv.pace, 0) = 0 AND coalesce(r.pace, 0) = 0 THEN 0
                    WHEN coalesce(pv.pace, 0) = 0 THEN 100
                    ELSE least(999.99, greatest(-100, (r.pace - pv.pace) / abs(pv.pace) * 100)) END AS trend_pct
        FROM per_user pu
        LEFT JOIN recent r ON r.user_id = pu.user_id
        LEFT JOIN previous pv ON pv.user_id = pu.user_id
    )
    SELECT t.user_id,
           CASE WHEN t.enrollments = 0 THEN 'insufficient_data' ELSE 'ok' END,
           CASE WHEN t.enrollments > 0 AND t.active > 0 THEN round(t.current_pace, 2) END,
           CASE WHEN t.enrollments > 0 AND t.active > 0 THEN round(t.target_pace, 2) END,
           CASE WHEN t.enrollments = 0 THEN NULL
                WHEN t.trend_pct >= 10 THEN 'accelerating' WHEN t.trend_pct <= -10 THEN 'declining' ELSE 'stable' END,
           CASE WHEN t.enrollments > 0 THEN round(t.trend_pct, 2) END,
           CASE WHEN t.enrollments = 0 THEN NULL
                WHEN t.active = 0 THEN 'completed'
                WHEN t.max_progress = 0 THEN 'not_started'
                WHEN t.current_pace / t.target_pace >= 0.9 THEN 'on_track'
                WHEN t.current_pace / t.target_pace >= 0.5 THEN 'behind'
                ELSE 'at_risk' END,
           CASE WHEN t.active > 0 AND t.current_pace > 0
                THEN p_at + make_interval(secs => ((100 - t.mean_progress) / t.current_pace * 604800)::double precision) END,
           CASE WHEN t.enrollments = 0 THEN jsonb_build_object('missing', jsonb_build_array('enrollments'))
                ELSE jsonb_build_object('enrollments', t.per_enrollment,
                                        'recentPace', round(t.recent_pace, 2), 'previousPace', round(t.previous_pace, 2),
                                        'meanProgress', round(t.mean_progress, 2),
                                        'paceRatio', CASE WHEN t.active > 0 THEN round(t.current_pace / t.target_pace, 4) END) END,
           p_at - interval '28 days', p_at
    FROM trended t
$$;
COMMENT ON FUNCTION analytics_velocity(uuid[], timestamptz) IS
    'ANALYTICS.md "Velocity" for each given user at T: pace over W28 per active enrollment, target pace, 14-day trend, status,'
    ' estimated completion; insufficient_data without any enrollment.';

-- 2. Engagement ----------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION analytics_engagement(p_users uuid[], p_at timestamptz)
    RETURNS TABLE (user_id uuid, result_status text, overall_score integer, trend text, sessions_per_week numeric,
                   avg_session_duration integer, last_active timestamptz, engagement_by_type jsonb, weekly_trend jsonb,
                   data jsonb, window_start timestamptz, window_end timestamptz)
    LANGUAGE sql STABLE
    SET search_path = ${flyway:defaultSchema}, pg_temp
AS $$
    WITH u AS (
        SELECT tz.user_id, tz.time_zone,
               -- Monday 00:00 local of the ISO week 11 weeks before T's week: the weekly trend's start
               (date_trunc('week', p_at AT TIME ZONE tz.time_zone) - interval '77 days') AS first_week_local
        FROM learner_time_zones(ARRAY(SELECT id FROM users WHERE id = ANY (p_users))) tz
    ),
    bounds AS (SELECT coalesce(min(u.first_week_local AT TIME ZONE u.time_zone), p_at) AS since FROM u),
    rec AS (SELECT * FROM learner_recency(p_users, p_at)),
    s28 AS (SELECT s.user_id, count(*) AS sessions, avg(s.minutes) AS mean_minutes
            FROM learning_sessions(p_users, p_at - interval '28 days', p_at) s GROUP BY s.user_id),
    s7 AS (SELECT s.user_id, count(*) AS sessions FROM learning_sessions(p_users, p_at - interval '7 days', p_at) s GROUP BY s.user_id),
    s14 AS (SELECT s.user_id, count(*) AS sessions FROM learning_sessions(p_users, p_at - interval '14 days', p_at) s GROUP BY s.user_id),
    sprev AS (SELECT s.user_id, count(*) AS sessions
              FROM learning_sessions(p_users, p_at - interval '28 days', p_at - interval '14 days') s GROUP BY s.user_id),
    by_type AS (
        SELECT t.user_id, jsonb_object_agg(t.object_type, jsonb_build_object('events', t.events, 'minutes', t.minutes)) AS doc
        FROM (SELECT e.user_id, e.object_type, count(*) AS events, round(coalesce(sum(e.duration_seconds), 0) / 60.0, 2) AS minutes
              FROM learning_events e
              WHERE e.user_id = ANY (p_users) AND e.occurred_at >= p_at - interval '28 days' AND e.occurred_at < p_at
              GROUP BY e.user_id, e.object_type) t
        GROUP BY t.user_id
    ),
    weeks AS (
        SELECT u.user_id, w.i, (u.first_week_local + make_interval(days => 7 * w.i))::date AS week
        FROM u CROSS JOIN generate_series(0, 11) AS w(i)
    ),
    week_sessions AS (
        SELECT s.user_id, date_trunc('week', s.started_at AT TIME ZONE u.time_zone)::date AS week, count(*) AS sessions, sum(s.minutes) AS minutes
        FROM learning_sessions(p_users, (SELECT since FROM bounds), p_at) s
        JOIN u ON u.user_id = s.user_id
        WHERE s.started_at >= u.first_week_local AT TIME ZONE u.time_zone
        GROUP BY 1, 2
    ),
    week_days AS (
        SELECT d.user_id, date_trunc('week', d.local_day)::date AS week, count(*) AS active_days
        FROM learner_active_days(p_users, (SELECT since FROM bounds), p_at) d
        GROUP BY 1, 2
    ),
    weekly AS (
        SELECT w.user_id,
               jsonb_agg(jsonb_build_object('week', to_char(w.week, 'YYYY-MM-DD'), 'activeDays', coalesce(wd.active_days, 0),
                                            'sessions', coalesce(ws.sessions, 0), 'minutes', round(coalesce(ws.minutes, 0), 2))
                         ORDER BY w.i) AS doc
        FROM weeks w
        LEFT JOIN week_sessions ws ON ws.user_id = w.user_id AND ws.week = w.week
        LEFT JOIN week_days wd ON wd.user_id = w.user_id AND wd.week = w.week
        GROUP BY w.user_id
    ),
    factors AS (
        SELECT u.user_id, u.first_week_local AT TIME ZONE u.time_zone AS first_week_start, rec.last_active, rec.days_since_active,
               coalesce(s28.sessions, 0) / 4.0 AS per_week, coalesce(s7.sessions, 0) AS last7,
               coalesce(s28.mean_minutes, 0) AS mean_minutes,
               coalesce(s14.sessions, 0) AS last14, coalesce(sprev.sessions, 0) AS previous14,
               least(1, rec.days_since_active / 14.0) AS r_recency,
               greatest(0, (2 - coalesce(s28.sessions, 0) / 4.0) / 2) AS r_per_week,
               greatest(0, (2 - coalesce(s7.sessions, 0)) / 2.0) AS r_last7,
               greatest(0, (10 - coalesce(s28.mean_minutes, 0)) / 10) AS r_length
        FROM u
        JOIN rec ON rec.user_id = u.user_id
        LEFT JOIN s28 ON s28.user_id = u.user_id
        LEFT JOIN s7 ON s7.user_id = u.user_id
        LEFT JOIN s14 ON s14.user_id = u.user_id
        LEFT JOIN sprev ON sprev.user_id = u.user_id
    )
    SELECT f.user_id,
           CASE WHEN f.last_active IS NULL THEN 'insufficient_data' ELSE 'ok' END,
           CASE WHEN f.last_active IS NOT NULL
                THEN round(100 * (1 - (0.4 * f.r_recency + 0.3 * f.r_per_week + 0.2 * f.r_last7 + 0.1 * f.r_length)))::integer END,
           CASE WHEN f.last_active IS NULL THEN NULL
                WHEN f.previous14 = 0 THEN CASE WHEN f.last14 > 0 THEN 'rising' ELSE 'stable' END
                WHEN (f.last14 - f.previous14) * 100.0 / f.previous14 >= 10 THEN 'rising'
                WHEN (f.last14 - f.previous14) * 100.0 / f.previous14 <= -10 THEN 'falling'
                ELSE 'stable' END,
           CASE WHEN f.last_active IS NOT NULL THEN round(f.per_week, 2) END,
           CASE WHEN f.last_active IS NOT NULL THEN round(f.mean_minutes)::integer END,
           f.last_active,
           CASE WHEN f.last_active IS NOT NULL THEN coalesce(bt.doc, '{}') END,
           CASE WHEN f.last_active IS NOT NULL THEN wk.doc END,
           CASE WHEN f.last_active IS NULL THEN jsonb_build_object('missing', jsonb_build_array('learning_events'))
                ELSE jsonb_build_object(
                    'daysSinceActive', f.days_since_active,
                    'sessionsLast7Days', f.last7, 'sessionsLast14Days', f.last14, 'sessionsPrevious14Days', f.previous14,
                    'factors', jsonb_build_array(
                        jsonb_build_object('factor', 'recency', 'actual', f.days_since_active, 'expected', 0, 'weight', 0.4,
                                           'localRisk', round(f.r_recency, 4), 'contribution', round(0.4 * f.r_recency, 4)),
                        jsonb_build_object('factor', 'sessions_per_week', 'actual', round(f.per_week, 2), 'expected', 2, 'weight', 0.3,
                                           'localRisk', round(f.r_per_week, 4), 'contribution', round(0.3 * f.r_per_week, 4)),
                        jsonb_build_object('factor', 'sessions_last_7_days', 'actual', f.last7, 'expected', 2, 'weight', 0.2,
                                           'localRisk', round(f.r_last7, 4), 'contribution', round(0.2 * f.r_last7, 4)),
                        jsonb_build_object('factor', 'session_length', 'actual', round(f.mean_minutes, 2), 'expected', 10, 'weight', 0.1,
                                           'localRisk', round(f.r_length, 4), 'contribution', round(0.1 * f.r_length, 4)))) END,
           least(f.first_week_start, p_at - interval '28 days'), p_at
    FROM factors f
    LEFT JOIN by_type bt ON bt.user_id = f.user_id
    LEFT JOIN weekly wk ON wk.user_id = f.user_id
$$;
COMMENT ON FUNCTION analytics_engagement(uuid[], timestamptz) IS
    'ANALYTICS.md "Engagement" for each given user at T: weighted score of recency, sessions per week, sessions in 7 days and'
    ' session length; trend; by object type over W28; the last 12 local ISO weeks. insufficient_data when never active.';

-- 3. Skill gaps ----------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION analytics_skill_gaps(p_users uuid[], p_at timestamptz)
    RETURNS TABLE (user_id uuid, result_status text, total_gaps integer, critical_gaps integer, gaps jsonb, top_priority jsonb,
                   data jsonb, window_start timestamptz, window_end timestamptz)
    LANGUAGE sql STABLE
    SET search_path = ${flyway:defaultSchema}, pg_temp
AS $$
    WITH u AS (SELECT id AS user_id FROM users WHERE id = ANY (p_users)),
    active AS (SELECT e.user_id, e.course_id FROM enrollment_progress_at(p_users, p_at, p_at) e WHERE e.active),
    scope AS (
        SELECT a.user_id, cs.skill_id, max(cs.required_level) AS required
        FROM active a JOIN course_skills cs ON cs.course_id = a.course_id
        GROUP BY a.user_id, cs.skill_id
    ),
    gaps AS (
        SELECT sc.user_id, sc.skill_id, s.name, coalesce(us.mastery_level, 0) AS current, sc.required,
               sc.required - coalesce(us.mastery_level, 0) AS gap, us.last_assessed_at
        FROM scope sc
        JOIN skills s ON s.id = sc.skill_id
        LEFT JOIN user_skills us ON us.user_id = sc.user_id AND us.skill_id = sc.skill_id
    ),
    per_user AS (
        SELECT u.user_id,
               (SELECT count(*) FROM active a WHERE a.user_id = u.user_id) AS active_enrollments,
               count(g.skill_id) AS skills_in_scope,
               count(*) FILTER (WHERE g.gap > 0) AS total,
               count(*) FILTER (WHERE g.gap >= 40) AS critical,
               coalesce(jsonb_agg(jsonb_build_object(
                   'skillId', g.skill_id, 'name', g.name, 'current', round(g.current, 2), 'required', round(g.required, 2),
                   'gap', round(g.gap, 2), 'severity', CASE WHEN g.gap >= 40 THEN 'critical' ELSE 'moderate' END,
                   'lastAssessedAt', iso_utc(g.last_assessed_at),
                   'stale', g.last_assessed_at IS NULL OR g.last_assessed_at < p_at - interval '90 days')
                   ORDER BY g.gap DESC, g.skill_id) FILTER (WHERE g.gap > 0), '[]') AS gap_list
        FROM u LEFT JOIN gaps g ON g.user_id = u.user_id
        GROUP BY u.user_id
    )
    SELECT p.user_id,
           CASE WHEN p.skills_in_scope = 0 THEN 'insufficient_data' ELSE 'ok' END,
           CASE WHEN p.skills_in_scope > 0 THEN p.total::integer END,
           CASE WHEN p.skills_in_scope > 0 THEN p.critical::integer END,
           CASE WHEN p.skills_in_scope > 0 THEN p.gap_list END,
           CASE WHEN p.skills_in_scope > 0 THEN p.gap_list -> 0 END,
           CASE WHEN p.active_enrollments = 0 THEN jsonb_build_object('missing', jsonb_build_array('active_enrollments'))
                WHEN p.skills_in_scope = 0 THEN jsonb_build_object('missing', jsonb_build_array('course_skills'))
                ELSE jsonb_build_object('skillsInScope', p.skills_in_scope, 'activeEnrollments', p.active_enrollments) END,
           NULL::timestamptz, p_at
    FROM per_user p
$$;
COMMENT ON FUNCTION analytics_skill_gaps(uuid[], timestamptz) IS
    'ANALYTICS.md "Skill gaps" for each given user at T: skills of the active enrollments'' courses at the highest required level,'
    ' gap = required - mastery (> 0 counts, >= 40 critical), sorted by gap desc then skill id.';

-- 4. Mastery -------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION analytics_mastery(p_users uuid[], p_at timestamptz)
    RETURNS TABLE (user_id uuid, result_status text, mastered_skills integer, in_progress_skills integer, skills jsonb,
                   mastery_distribution jsonb, data jsonb, window_start timestamptz, window_end timestamptz)
    LANGUAGE sql STABLE
    SET search_path = ${flyway:defaultSchema}, pg_temp
AS $$
    WITH u AS (SELECT id AS user_id FROM users WHERE id = ANY (p_users)),
    per_user AS (
        SELECT u.user_id, count(us.skill_id) AS skill_count,
               count(*) FILTER (WHERE us.mastery_level >= 80) AS mastered,
               count(*) FILTER (WHERE us.mastery_level > 0 AND us.mastery_level < 80) AS in_progress,
               coalesce(jsonb_agg(jsonb_build_object(
                   'skillId', us.skill_id, 'name', s.name, 'level', round(us.mastery_level, 2),
                   'status', CASE WHEN us.mastery_level >= 80 THEN 'mastered' WHEN us.mastery_level > 0 THEN 'in_progress'
                                  ELSE 'not_started' END,
                   'lastAssessedAt', iso_utc(us.last_assessed_at))
                   ORDER BY us.mastery_level DESC, us.skill_id) FILTER (WHERE us.skill_id IS NOT NULL), '[]') AS skill_list,
               jsonb_build_object(
                   '0-20', count(*) FILTER (WHERE us.mastery_level < 20),
                   '20-40', count(*) FILTER (WHERE us.mastery_level >= 20 AND us.mastery_level < 40),
                   '40-60', count(*) FILTER (WHERE us.mastery_level >= 40 AND us.mastery_level < 60),
                   '60-80', count(*) FILTER (WHERE us.mastery_level >= 60 AND us.mastery_level < 80),
                   '80-100', count(*) FILTER (WHERE us.mastery_level >= 80)) AS distribution
        FROM u
        LEFT JOIN user_skills us ON us.user_id = u.user_id
        LEFT JOIN skills s ON s.id = us.skill_id
        GROUP BY u.user_id
    )
    SELECT p.user_id,
           CASE WHEN p.skill_count = 0 THEN 'insufficient_data' ELSE 'ok' END,
           CASE WHEN p.skill_count > 0 THEN p.mastered::integer END,
           CASE WHEN p.skill_count > 0 THEN p.in_progress::integer END,
           CASE WHEN p.skill_count > 0 THEN p.skill_list END,
           CASE WHEN p.skill_count > 0 THEN p.distribution END,
           CASE WHEN p.skill_count = 0 THEN jsonb_build_object('missing', jsonb_build_array('user_skills'))
                ELSE jsonb_build_object('skillCount', p.skill_count) END,
           NULL::timestamptz, p_at
    FROM per_user p
$$;
COMMENT ON FUNCTION analytics_mastery(uuid[], timestamptz) IS
    'ANALYTICS.md "Mastery" for each given user: mastered (>= 80), in progress (0 < level < 80), the skills, and counts in'
    ' [0,20) [20,40) [40,60) [60,80) [80,100] (they add up to the skill count).';

-- 5. Performance ---------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION analytics_performance(p_users uuid[], p_at timestamptz)
    RETURNS TABLE (user_id uuid, result_status text, avg_score numeric, trend text, assessments_taken integer, pass_rate numeric,
                   performance_by_skill jsonb, recent_scores jsonb, data jsonb, window_start timestamptz, window_end timestamptz)
    LANGUAGE sql STABLE
    SET search_path = ${flyway:defaultSchema}, pg_temp
AS $$
    WITH u AS (SELECT id AS user_id FROM users WHERE id = ANY (p_users)),
    a AS (
        SELECT x.*, row_number() OVER (PARTITION BY x.user_id ORDER BY x.occurred_at DESC, x.event_id DESC) AS newest
        FROM learner_assessments(p_users, p_at - interval '84 days', p_at) x
    ),
    by_skill AS (
        SELECT t.user_id, jsonb_object_agg(t.skill_id, jsonb_build_object('avgScore', t.avg_score, 'attempts', t.attempts,
                                                                          'passRate', t.pass_rate)) AS doc
        FROM (SELECT a.user_id, a.skill_id, round(avg(a.score), 2) AS avg_score, count(*) AS attempts,
                     round(100.0 * count(*) FILTER (WHERE a.passed) / count(*), 2) AS pass_rate
              FROM a WHERE a.skill_id IS NOT NULL GROUP BY a.user_id, a.skill_id) t
        GROUP BY t.user_id
    ),
    per_user AS (
        SELECT u.user_id, count(a.event_id) AS n, avg(a.score) AS avg_score,
               count(*) FILTER (WHERE a.passed) AS passed, count(*) FILTER (WHERE NOT a.passed) AS failed,
               avg(a.score) FILTER (WHERE a.newest <= 5) AS last5,
               avg(a.score) FILTER (WHERE a.newest BETWEEN 6 AND 10) AS previous5,
               coalesce(jsonb_agg(jsonb_build_object('objectId', a.object_id, 'score', round(a.score, 2), 'success', a.passed,
                                                     'occurredAt', iso_utc(a.occurred_at))
                                  ORDER BY a.newest) FILTER (WHERE a.newest <= 10), '[]') AS recent
        FROM u LEFT JOIN a ON a.user_id = u.user_id
        GROUP BY u.user_id
    )
    SELECT p.user_id,
           CASE WHEN p.n = 0 THEN 'insufficient_data' ELSE 'ok' END,
           CASE WHEN p.n > 0 THEN round(p.avg_score, 2) END,
           CASE WHEN p.n = 0 THEN NULL
                WHEN p.n < 6 THEN 'insufficient_data'
                WHEN p.last5 - p.previous5 >= 5 THEN 'improving'
                WHEN p.last5 - p.previous5 <= -5 THEN 'declining'
                ELSE 'stable' END,
           CASE WHEN p.n > 0 THEN p.n::integer END,
           CASE WHEN p.n > 0 THEN round(100.0 * p.passed / p.n, 2) END,
           CASE WHEN p.n > 0 THEN coalesce(bs.doc, '{}') END,
           CASE WHEN p.n > 0 THEN p.recent END,
           CASE WHEN p.n = 0 THEN jsonb_build_object('missing', jsonb_build_array('assessments'))
                ELSE jsonb_build_object('passed', p.passed, 'failed', p.failed,
                                        'lastFiveMean', round(p.last5, 2),
                                        'previousFiveMean', CASE WHEN p.n >= 6 THEN round(p.previous5, 2) END,
                                        'trendDelta', CASE WHEN p.n >= 6 THEN round(p.last5 - p.previous5, 2) END) END,
           p_at - interval '84 days', p_at
    FROM per_user p
    LEFT JOIN by_skill bs ON bs.user_id = p.user_id
$$;
COMMENT ON FUNCTION analytics_performance(uuid[], timestamptz) IS
    'ANALYTICS.md "Performance" for each given user at T: assessments in W84 (every attempt), mean score, pass rate, trend of the'
    ' last 5 against the 5 before (insufficient_data under 6), by skill, the last 10 scores newest first.';

-- 6. Content effectiveness -----------------------------------------------------------------
CREATE OR REPLACE FUNCTION analytics_content_effectiveness(p_users uuid[], p_at timestamptz)
    RETURNS TABLE (user_id uuid, result_status text, most_effective jsonb, least_effective jsonb, recommendations jsonb,
                   data jsonb, window_start timestamptz, window_end timestamptz)
    LANGUAGE sql STABLE
    SET search_path = ${flyway:defaultSchema}, pg_temp
AS $$
    WITH u AS (SELECT id AS user_id FROM users WHERE id = ANY (p_users)),
    content AS (
        SELECT e.user_id, e.event_id, e.object_type, e.skill_id, e.occurred_at
        FROM learning_events e
        WHERE e.user_id = ANY (p_users) AND e.occurred_at >= p_at - interval '84 days' AND e.occurred_at < p_at
          AND e.verb IN ('completed', 'experienced') AND e.skill_id IS NOT NULL
          AND e.object_type IN ('video', 'lesson', 'reading', 'exercise', 'module')
    ),
    assessed AS (SELECT * FROM learner_assessments(p_users, p_at - interval '84 days', p_at) a WHERE a.skill_id IS NOT NULL),
    observations AS (
        SELECT DISTINCT ON (c.user_id, c.event_id, c.occurred_at) c.user_id, c.object_type, a.score AS effect
        FROM content c
        JOIN assessed a ON a.user_id = c.user_id AND a.skill_id = c.skill_id
                       AND a.occurred_at > c.occurred_at AND a.occurred_at <= c.occurred_at + interval '14 days'
        ORDER BY c.user_id, c.event_id, c.occurred_at, a.occurred_at, a.event_id
    ),
    per_type AS (
        SELECT o.user_id, o.object_type, count(*) AS n, avg(o.effect) AS mean_effect
        FROM observations o GROUP BY o.user_id, o.object_type
    ),
    ranked AS (
        SELECT t.*, row_number() OVER (PARTITION BY t.user_id ORDER BY t.mean_effect DESC, t.object_type) AS best,
                    row_number() OVER (PARTITION BY t.user_id ORDER BY t.mean_effect, t.object_type) AS worst
        FROM per_type t WHERE t.n >= 2
    ),
    -- Per-user figures by GROUP BY and hash joins, not correlated subqueries: each of those
    -- scanned the whole CTE once per user (quadratic in a bulk recompute: 2,500 users took 4 s).
    content_counts AS (SELECT c.user_id, count(*) AS content_events FROM content c GROUP BY c.user_id),
    rated AS (
        SELECT r.user_id, count(*) AS rated,
               jsonb_agg(jsonb_build_object('objectType', r.object_type, 'meanEffect', round(r.mean_effect, 2), 'observations', r.n)
                         ORDER BY r.best) FILTER (WHERE r.best <= 3) AS most,
               jsonb_agg(jsonb_build_object('objectType', r.object_type, 'meanEffect', round(r.mean_effect, 2), 'observations', r.n)
                         ORDER BY r.worst) FILTER (WHERE r.worst <= 3) AS least
        FROM ranked r GROUP BY r.user_id
    ),
    by_type AS (
        SELECT t.user_id, jsonb_agg(jsonb_build_object(
                   'objectType', t.object_type, 'observations', t.n,
                   'meanEffect', CASE WHEN t.n >= 2 THEN round(t.mean_effect, 2) END,
                   'status', CASE WHEN t.n >= 2 THEN 'ok' ELSE 'insufficient_data' END) ORDER BY t.object_type) AS by_type
        FROM per_type t GROUP BY t.user_id
    ),
    per_user AS (
        SELECT u.user_id, coalesce(cc.content_events, 0) AS content_events, coalesce(ra.rated, 0) AS rated,
               coalesce(ra.most, '[]') AS most, coalesce(ra.least, '[]') AS least, coalesce(bt.by_type, '[]') AS by_type,
               top.object_type AS top_type, top.mean_effect AS top_mean, top.n AS top_n
        FROM u
        LEFT JOIN content_counts cc ON cc.user_id = u.user_id
        LEFT JOIN rated ra ON ra.user_id = u.user_id
        LEFT JOIN by_type bt ON bt.user_id = u.user_id
        LEFT JOIN ranked top ON top.user_id = u.user_id AND top.best = 1
    ),
    -- Skill gaps only of the learners who get recommendations (those with a rated type).
    gaps AS MATERIALIZED (SELECT g.user_id, g.gaps FROM analytics_skill_gaps(ARRAY(SELECT r.user_id FROM ranked r WHERE r.best = 1), p_at) g),
    recommended AS (
        SELECT p.user_id, jsonb_agg(jsonb_build_object(
                   'skillId', gap.value ->> 'skillId', 'objectType', p.top_type,
                   'reason', format('%s content was followed by your best assessment scores (mean %s over %s observations);'
                                    ' your gap in %s is %s points',
                                    p.top_type, round(p.top_mean, 2), p.top_n,
                                    gap.value ->> 'name', gap.value ->> 'gap'))
                   ORDER BY gap.ordinality) AS list
        FROM per_user p
        JOIN gaps g ON g.user_id = p.user_id
        CROSS JOIN LATERAL jsonb_array_elements(coalesce(g.gaps, '[]')) WITH ORDINALITY AS gap(value, ordinality)
        WHERE p.rated > 0 AND gap.ordinality <= 3
        GROUP BY p.user_id
    )
    SELECT p.user_id,
           CASE WHEN p.rated = 0 THEN 'insufficient_data' ELSE 'ok' END,
           CASE WHEN p.rated > 0 THEN p.most END,
           CASE WHEN p.rated > 0 THEN p.least END,
           CASE WHEN p.rated > 0 THEN coalesce(rec.list, '[]') END,
           CASE WHEN p.content_events = 0 THEN jsonb_build_object('missing', jsonb_build_array('content_events'))
                WHEN p.rated = 0 THEN jsonb_build_object('missing', jsonb_build_array('content_followed_by_assessment'),
                                                         'contentEvents', p.content_events, 'byType', p.by_type)
                ELSE jsonb_build_object('contentEvents', p.content_events, 'byType', p.by_type) END,
           p_at - interval '84 days', p_at
    FROM per_user p
    LEFT JOIN recommended rec ON rec.user_id = p.user_id
$$;
COMMENT ON FUNCTION analytics_content_effectiveness(uuid[], timestamptz) IS
    'ANALYTICS.md "Content effectiveness" for each given user at T: effect of a content event = score of the next assessment on'
    ' its skill within 14 days; mean per object type (>= 2 observations), top and bottom 3, and a type per top-3 gap skill.';

-- Storing: append one row per user and type --------------------------------------------------
CREATE OR REPLACE FUNCTION learner_analytic_types() RETURNS text[]
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
AS $$
    SELECT ARRAY['velocity', 'skill_gaps', 'engagement', 'mastery', 'performance', 'content_effectiveness']
$$;
COMMENT ON FUNCTION learner_analytic_types() IS 'The six learner analytics, by the names the functions and learner_analytics_rows use.';

-- jit off: the functions' row estimates (1,000 per uuid[] argument) put engagement's plan above
-- jit_above_cost, and compiling it took 12 of the 20 ms of one learner's engagement (JIT gained
-- nothing in a bulk recompute either: 2,500 learners' engagement took 0.88 s with it, 0.72 s without).
CREATE OR REPLACE FUNCTION store_learner_analytics(p_types text[], p_users uuid[], p_at timestamptz, p_ttls interval[])
    RETURNS integer
    LANGUAGE plpgsql VOLATILE
    SET search_path = ${flyway:defaultSchema}, pg_temp
    SET jit = off
AS $$
DECLARE
    stored integer := 0;
    added integer;
    ttl interval;
BEGIN
    IF p_types IS NULL OR p_ttls IS NULL OR cardinality(p_types) <> cardinality(p_ttls) THEN
        RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = 'every analytic type needs its TTL';
    END IF;
    IF EXISTS (SELECT 1 FROM unnest(p_types) t WHERE t IS NULL OR NOT t = ANY (learner_analytic_types())) THEN
        RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = format('unknown analytic type in %s', p_types);
    END IF;
    IF EXISTS (SELECT 1 FROM unnest(p_ttls) x WHERE x IS NULL OR x <= interval '0') THEN
        RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = 'TTLs must be positive';
    END IF;
    FOR i IN 1 .. cardinality(p_types) LOOP
        ttl := p_ttls[i];
        CASE p_types[i]
        WHEN 'velocity' THEN
            INSERT INTO learner_velocity_analytics (user_id, result_status, current_pace, target_pace, trend_direction, trend_percentage,
                                                    status, estimated_completion, data, window_start, window_end, calculated_at, expires_at)
            SELECT a.user_id, a.result_status, a.current_pace, a.target_pace, a.trend_direction, a.trend_percentage, a.status,
                   a.estimated_completion, a.data, a.window_start, a.window_end, p_at, p_at + ttl
            FROM analytics_velocity(p_users, p_at) a;
        WHEN 'engagement' THEN
            INSERT INTO engagement_analytics (user_id, result_status, overall_score, trend, sessions_per_week, avg_session_duration,
                                              last_active, engagement_by_type, weekly_trend, data, window_start, window_end,
                                              calculated_at, expires_at)
            SELECT a.user_id, a.result_status, a.overall_score, a.trend, a.sessions_per_week, a.avg_session_duration, a.last_active,
                   a.engagement_by_type, a.weekly_trend, a.data, a.window_start, a.window_end, p_at, p_at + ttl
            FROM analytics_engagement(p_users, p_at) a;
        WHEN 'skill_gaps' THEN
            INSERT INTO skill_gap_analytics (user_id, result_status, total_gaps, critical_gaps, gaps, top_priority, data,
                                             window_start, window_end, calculated_at, expires_at)
            SELECT a.user_id, a.result_status, a.total_gaps, a.critical_gaps, a.gaps, a.top_priority, a.data, a.window_start,
                   a.window_end, p_at, p_at + ttl
            FROM analytics_skill_gaps(p_users, p_at) a;
        WHEN 'mastery' THEN
            INSERT INTO mastery_analytics (user_id, result_status, mastered_skills, in_progress_skills, skills, mastery_distribution,
                                           data, window_start, window_end, calculated_at, expires_at)
            SELECT a.user_id, a.result_status, a.mastered_skills, a.in_progress_skills, a.skills, a.mastery_distribution, a.data,
                   a.window_start, a.window_end, p_at, p_at + ttl
            FROM analytics_mastery(p_users, p_at) a;
        WHEN 'performance' THEN
            INSERT INTO performance_analytics (user_id, result_status, avg_score, trend, assessments_taken, pass_rate,
                                               performance_by_skill, recent_scores, data, window_start, window_end, calculated_at,
                                               expires_at)
            SELECT a.user_id, a.result_status, a.avg_score, a.trend, a.assessments_taken, a.pass_rate, a.performance_by_skill,
                   a.recent_scores, a.data, a.window_start, a.window_end, p_at, p_at + ttl
            FROM analytics_performance(p_users, p_at) a;
        WHEN 'content_effectiveness' THEN
            INSERT INTO content_effectiveness_analytics (user_id, result_status, most_effective, least_effective, recommendations,
                                                         data, window_start, window_end, calculated_at, expires_at)
            SELECT a.user_id, a.result_status, a.most_effective, a.least_effective, a.recommendations, a.data, a.window_start,
                   a.window_end, p_at, p_at + ttl
            FROM analytics_content_effectiveness(p_users, p_at) a;
        END CASE;
        GET DIAGNOSTICS added = ROW_COUNT;
        stored := stored + added;
    END LOOP;
    RETURN stored;
END
$$;
COMMENT ON FUNCTION store_learner_analytics(text[], uuid[], timestamptz, interval[]) IS
    'Computes the given analytics for the given users at T and appends one row per user and type (expires T + its TTL);'
    ' returns the rows written. Set-based: one INSERT ... SELECT per type. Service path (bulk recompute) and refresh_learner_analytics.';

-- Reading: every row as the document a client sees --------------------------------------------
CREATE OR REPLACE VIEW learner_analytics_rows WITH (security_invoker = true) AS
SELECT 'velocity'::text AS analytic, v.id, v.user_id, v.result_status, v.calculated_at, v.expires_at, v.window_start, v.window_end,
       CASE WHEN v.result_status = 'ok' THEN jsonb_build_object(
           'currentPace', v.current_pace, 'targetPace', v.target_pace, 'trendDirection', v.trend_direction,
           'trendPercentage', v.trend_percentage, 'status', v.status, 'estimatedCompletion', iso_utc(v.estimated_completion)) || v.data
            ELSE v.data END AS result
FROM learner_velocity_analytics v
UNION ALL
SELECT 'skill_gaps', g.id, g.user_id, g.result_status, g.calculated_at, g.expires_at, g.window_start, g.window_end,
       CASE WHEN g.result_status = 'ok' THEN jsonb_build_object(
           'totalGaps', g.total_gaps, 'criticalGaps', g.critical_gaps, 'gaps', g.gaps, 'topPriority', g.top_priority) || g.data
            ELSE g.data END
FROM skill_gap_analytics g
UNION ALL
SELECT 'engagement', e.id, e.user_id, e.result_status, e.calculated_at, e.expires_at, e.window_start, e.window_end,
       CASE WHEN e.result_status = 'ok' THEN jsonb_build_object(
           'overallScore', e.overall_score, 'trend', e.trend, 'sessionsPerWeek', e.sessions_per_week,
           'avgSessionDuration', e.avg_session_duration, 'lastActive', iso_utc(e.last_active),
           'engagementByType', e.engagement_by_type, 'weeklyTrend', e.weekly_trend) || e.data
            ELSE e.data END
FROM engagement_analytics e
UNION ALL
SELECT 'mastery', m.id, m.user_id, m.result_status, m.calculated_at, m.expires_at, m.window_start, m.window_end,
       CASE WHEN m.result_status = 'ok' THEN jsonb_build_object(
           'masteredSkills', m.mastered_skills, 'inProgressSkills', m.in_progress_skills, 'skills', m.skills,
           'masteryDistribution', m.mastery_distribution) || m.data
            ELSE m.data END
FROM mastery_analytics m
UNION ALL
SELECT 'performance', p.id, p.user_id, p.result_status, p.calculated_at, p.expires_at, p.window_start, p.window_end,
       CASE WHEN p.result_status = 'ok' THEN jsonb_build_object(
           'avgScore', p.avg_score, 'trend', p.trend, 'assessmentsTaken', p.assessments_taken, 'passRate', p.pass_rate,
           'performanceBySkill', p.performance_by_skill, 'recentScores', p.recent_scores) || p.data
            ELSE p.data END
FROM performance_analytics p
UNION ALL
SELECT 'content_effectiveness', c.id, c.user_id, c.result_status, c.calculated_at, c.expires_at, c.window_start, c.window_end,
       CASE WHEN c.result_status = 'ok' THEN jsonb_build_object(
           'mostEffective', c.most_effective, 'leastEffective', c.least_effective, 'recommendations', c.recommendations) || c.data
            ELSE c.data END
FROM content_effectiveness_analytics c;
COMMENT ON VIEW learner_analytics_rows IS
    'Every stored row of the six learner-analytics tables with its client document (result, camelCase; insufficient_data:'
    ' {"missing": [...]}). security_invoker: the reader''s RLS applies.';

CREATE OR REPLACE FUNCTION learner_analytics_hot_window() RETURNS interval
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN interval '7 days';
COMMENT ON FUNCTION learner_analytics_hot_window() IS
    'Seed retention "Personal Analytics (hot)": the cache serves no result calculated longer ago than this, and no TTL may exceed it.';

CREATE OR REPLACE FUNCTION refresh_learner_analytics(p_user uuid, p_types text[], p_ttls interval[])
    RETURNS integer
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = ${flyway:defaultSchema}, pg_temp
AS $$
DECLARE
    computed integer := 0;
    todo record;
BEGIN
    IF p_user IS NULL OR NOT (p_user = ANY (visible_user_ids()) OR is_platform_admin()) THEN
        RETURN 0; -- not visible: nothing computed, nothing told
    END IF;
    IF p_types IS NULL OR p_ttls IS NULL OR cardinality(p_types) <> cardinality(p_ttls) THEN
        RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = 'every analytic type needs its TTL';
    END IF;
    IF EXISTS (SELECT 1 FROM unnest(p_ttls) x WHERE x IS NULL OR x < interval '1 minute' OR x > learner_analytics_hot_window()) THEN
        RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = 'analytics TTLs must be from 1 minute to 7 days';
    END IF;
    -- A fixed order (by type name): two readers of overlapping sets never wait for each other in a circle.
    FOR todo IN SELECT DISTINCT ON (t.type) t.type, t.ttl FROM unnest(p_types, p_ttls) AS t(type, ttl) ORDER BY t.type LOOP
        PERFORM pg_advisory_xact_lock(hashtextextended('learner_analytics:' || todo.type || ':' || p_user::text, 0));
        -- Re-check after the lock: a reader that waited finds the row the first one committed.
        IF NOT EXISTS (SELECT 1 FROM learner_analytics_rows r
                       WHERE r.user_id = p_user AND r.analytic = todo.type AND r.expires_at > now()
                         AND r.calculated_at > now() - learner_analytics_hot_window()) THEN
            computed := computed + store_learner_analytics(ARRAY[todo.type], ARRAY[p_user], now(), ARRAY[todo.ttl]);
        END IF;
    END LOOP;
    RETURN computed;
END
$$;
COMMENT ON FUNCTION refresh_learner_analytics(uuid, text[], interval[]) IS
    'For a user the caller may see: computes and appends each given analytic that has no unexpired row, once under concurrent'
    ' readers (advisory lock per analytic and user, re-checked). Returns the rows written; 0 for a user the caller may not see.';

CREATE OR REPLACE FUNCTION learner_analytics(p_user uuid, p_types text[], p_ttls interval[])
    RETURNS TABLE (analytic text, id uuid, result_status text, calculated_at timestamptz, expires_at timestamptz,
                   window_start timestamptz, window_end timestamptz, result jsonb)
    LANGUAGE plpgsql VOLATILE
    SET search_path = ${flyway:defaultSchema}, pg_temp
AS $$
DECLARE
    cached text[] := '{}';
    missing text[];
    missing_ttls interval[];
BEGIN
    -- As the caller: RLS on users says whether they may see this user (404 otherwise).
    IF NOT EXISTS (SELECT 1 FROM users u WHERE u.id = p_user) THEN
        RETURN;
    END IF;
    -- One pass over the six tables when everything is cached (the usual read): return the
    -- unexpired rows, then compute and return only the types that had none.
    FOR analytic, id, result_status, calculated_at, expires_at, window_start, window_end, result IN
        SELECT DISTINCT ON (r.analytic) r.analytic, r.id, r.result_status, r.calculated_at, r.expires_at, r.window_start, r.window_end, r.result
        FROM learner_analytics_rows r
        WHERE r.user_id = p_user AND r.analytic = ANY (p_types) AND r.expires_at > now()
          AND r.calculated_at > now() - learner_analytics_hot_window()
        ORDER BY r.analytic, r.calculated_at DESC, r.id
    LOOP
        cached := cached || analytic;
        RETURN NEXT;
    END LOOP;
    SELECT array_agg(t.type), array_agg(t.ttl) INTO missing, missing_ttls
    FROM unnest(p_types, p_ttls) AS t(type, ttl)
    WHERE NOT coalesce(t.type = ANY (cached), false);
    IF missing IS NOT NULL THEN
        PERFORM refresh_learner_analytics(p_user, missing, missing_ttls);
        RETURN QUERY
        SELECT DISTINCT ON (r.analytic) r.analytic, r.id, r.result_status, r.calculated_at, r.expires_at, r.window_start, r.window_end, r.result
        FROM learner_analytics_rows r
        WHERE r.user_id = p_user AND r.analytic = ANY (missing) AND r.expires_at > now()
          AND r.calculated_at > now() - learner_analytics_hot_window()
        ORDER BY r.analytic, r.calculated_at DESC, r.id;
    END IF;
END
$$;
COMMENT ON FUNCTION learner_analytics(uuid, text[], interval[]) IS
    'The cached read, as the caller under RLS: per given type the newest unexpired row of a user the caller may see, computed'
    ' and appended first when there is none (refresh_learner_analytics). No rows when the user is not visible.';

REVOKE ALL ON learner_analytics_rows FROM PUBLIC;
GRANT SELECT ON learner_analytics_rows TO analytics_authenticated, analytics_platform_admin, analytics_service;

REVOKE EXECUTE ON FUNCTION iso_utc(timestamptz), learner_analytic_types(), learner_analytics_hot_window(),
    analytics_velocity(uuid[], timestamptz), analytics_engagement(uuid[], timestamptz), analytics_skill_gaps(uuid[], timestamptz),
    analytics_mastery(uuid[], timestamptz), analytics_performance(uuid[], timestamptz),
    analytics_content_effectiveness(uuid[], timestamptz), store_learner_analytics(text[], uuid[], timestamptz, interval[]),
    refresh_learner_analytics(uuid, text[], interval[]), learner_analytics(uuid, text[], interval[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION iso_utc(timestamptz), learner_analytic_types(), learner_analytics_hot_window()
    TO analytics_authenticated, analytics_platform_admin, analytics_service;
GRANT EXECUTE ON FUNCTION analytics_velocity(uuid[], timestamptz), analytics_engagement(uuid[], timestamptz),
    analytics_skill_gaps(uuid[], timestamptz), analytics_mastery(uuid[], timestamptz), analytics_performance(uuid[], timestamptz),
    analytics_content_effectiveness(uuid[], timestamptz), store_learner_analytics(text[], uuid[], timestamptz, interval[])
    TO analytics_service;
GRANT EXECUTE ON FUNCTION refresh_learner_analytics(uuid, text[], interval[]), learner_analytics(uuid, text[], interval[])
    TO analytics_authenticated, analytics_platform_admin;
