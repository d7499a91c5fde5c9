-- Awarding points: the only way points enter the ledger. One call is one atomic step inside
-- the caller's transaction: idempotency key, caps, ledger row, daily activity, totals,
-- streak, level and newly earned achievements. A rejected award raises and so writes nothing.
--
--   award_points(...)        service path (events from other services); EXECUTE for
--                            analytics_service only.
--   award_own_activity(...)  self-reported activity of the caller (current_user_id()), only
--                            for activity types whose rule says self_reportable; the caller
--                            cannot choose the points. EXECUTE for the RLS subject roles.
-- Both are SECURITY DEFINER (owner, pinned search_path): users have no write privilege on
-- the ledger, totals or achievements, so a raw SQL session cannot grant itself points.
--
-- Errors the library maps to its typed exceptions (SQLSTATE class LA = this project):
--   LA001 key reused with another payload   LA002 capped           LA003 unknown activity type
--   LA004 not self-reportable               22023 invalid argument

SET LOCAL ROLE analytics_owner;
DO $$
BEGIN
    IF current_user <> 'analytics_owner' THEN
        RAISE EXCEPTION 'R__220_award_points must run as analytics_owner inside a transaction (as Flyway runs it), not as %', current_user
            USING HINT = 'SET LOCAL ROLE has no effect outside a transaction: objects would be owned by the wrong role.';
    END IF;
END
$$;

CREATE OR REPLACE FUNCTION level_for_points(total bigint) RETURNS integer
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path = ${flyway:defaultSchema}, pg_temp
AS $$
DECLARE
    curve level_curve%ROWTYPE;
BEGIN
    SELECT * INTO curve FROM level_curve;
    IF total <= 0 THEN
        RETURN 1;
    ELSIF curve.kind = 'linear' THEN
        RETURN 1 + (total / curve.base_points)::integer;
    ELSE
        RETURN 1 + floor(sqrt(total::numeric / curve.base_points))::integer;
    END IF;
END
$$;
COMMENT ON FUNCTION level_for_points(bigint) IS 'The level a point total reaches on the configured curve (level_curve).';

CREATE OR REPLACE FUNCTION award_points(
    p_user_id uuid,
    p_activity_type text,
    p_idempotency_key text,
    p_points integer DEFAULT NULL,
    p_metadata jsonb DEFAULT NULL,
    p_occurred_at timestamptz DEFAULT NULL
) RETURNS award_result
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = ${flyway:defaultSchema}, pg_temp
AS $$
DECLARE
    v_rule        activity_rules%ROWTYPE;
    v_at          timestamptz := coalesce(p_occurred_at, now());
    v_points      integer;
    v_request     text;
    v_stored      award_keys%ROWTYPE;
    v_local_day   date;
    v_time_zone   text;
    v_before      user_points%ROWTYPE;
    v_after       user_points%ROWTYPE;
    v_recent      integer;
    v_filled_gap  boolean;
    v_current_run integer;
    v_longest_run integer;
    v_earned      text[];
    v_result      award_result;
BEGIN
    IF p_user_id IS NULL OR p_activity_type IS NULL OR coalesce(btrim(p_idempotency_key), '') = '' THEN
        RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = 'user, activity type and idempotency key are required';
    END IF;
    IF char_length(p_idempotency_key) > 255 THEN
        RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = 'the idempotency key is longer than 255 characters';
    END IF;
    SELECT * INTO v_rule FROM activity_rules WHERE activity_type = p_activity_type;
    IF NOT FOUND THEN
        RAISE EXCEPTION USING ERRCODE = 'LA003', MESSAGE = format('unknown activity type "%s"', p_activity_type);
    END IF;
    v_points := coalesce(p_points, v_rule.points);
    IF v_points <= 0 THEN
        RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = 'points must be positive';
    END IF;
    -- A little clock skew between services is fine; a future day would start streaks early.
    IF p_occurred_at > now() + interval '5 minutes' THEN
        RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = 'occurred_at lies in the future';
    END IF;
    -- Before a horizon (V037) its key may be gone, so a replay would count twice, or its month
    -- is archived. One row, read only for awards that say when they occurred.
    IF p_occurred_at IS NOT NULL THEN
        -- The ledger's lock (the one our INSERT takes anyway) before the horizon: an archive run
        -- (ACCESS EXCLUSIVE) either waits for this award, whose row then moves with its month,
        -- or has committed and its horizon is read here. Read first, the horizon could be passed
        -- while the archive detached the month, and the row fell into the DEFAULT partition.
        LOCK TABLE ONLY point_transactions IN ROW EXCLUSIVE MODE;
        IF p_occurred_at < (SELECT greatest(h.award_keys_expired_before + interval '5 minutes', h.archived_before)
                            FROM ledger_horizons h) THEN
            RAISE EXCEPTION USING ERRCODE = '22023',
                MESSAGE = 'occurred_at lies before the idempotency horizon (its key may have expired, or its month is archived)';
        END IF;
    END IF;
    -- Checked here for a clear message; the ledger's CHECK is the backstop (V012).
    IF p_metadata IS NOT NULL AND NOT is_bounded_json_object(p_metadata, 4096, 4) THEN
        RAISE EXCEPTION USING ERRCODE = '22023',
            MESSAGE = 'metadata must be a JSON object of at most 4096 bytes and 4 levels of nesting';
    END IF;

    -- One award at a time per user: the key check, the caps and the totals below see a
    -- ledger nobody else is appending to for this user, and the totals are a single UPDATE.
    -- A replay racing its original (same key, so same user) waits here for it to commit.
    SELECT * INTO v_before FROM user_points WHERE user_id = p_user_id FOR UPDATE;
    IF NOT FOUND THEN -- the user's first award
        INSERT INTO user_points (user_id) VALUES (p_user_id) ON CONFLICT (user_id) DO NOTHING;
        SELECT * INTO v_before FROM user_points WHERE user_id = p_user_id FOR UPDATE;
    END IF;
    -- An award "now" happens now, under the lock, not when its transaction began: the caps
    -- look back from this instant, so an award held back in a long transaction cannot land
    -- behind a later one and slip past the spacing and window caps.
    IF p_occurred_at IS NULL THEN
        v_at := clock_timestamp();
    END IF;

    -- The request as sent, not as resolved: a replay stays a replay after a DBA changes the
    -- rule's points. A JSON array keeps NULLs apart from values; jsonb normalises the
    -- metadata's key order and spacing; epoch seconds do not depend on the session's TimeZone.
    v_request := md5(jsonb_build_array(p_user_id, p_activity_type, p_points, p_metadata,
                                       extract(epoch FROM p_occurred_at))::text);
    SELECT * INTO v_stored FROM award_keys WHERE idempotency_key = p_idempotency_key;
    IF FOUND THEN
        IF v_stored.request_hash <> v_request THEN
            RAISE EXCEPTION USING ERRCODE = 'LA001',
                MESSAGE = format('idempotency key "%s" was already used for a different award', p_idempotency_key);
        END IF;
        v_result := jsonb_populate_record(NULL::award_result, v_stored.result);
        v_result.replayed := true;
        RETURN v_result;
    END IF;

    v_time_zone := coalesce((SELECT time_zone FROM user_preferences WHERE user_id = p_user_id), 'UTC');
    v_local_day := (v_at AT TIME ZONE v_time_zone)::date;
    -- Region names keep a day within the UTC date +-1 (V011); nothing may forge days beyond.
    IF abs(v_local_day - (v_at AT TIME ZONE 'UTC')::date) > 1 THEN
        RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = format('time zone "%s" is not a region time zone', v_time_zone);
    END IF;
    IF v_rule.max_per_local_day IS NOT NULL THEN
        -- From the learner's local midnight to the next (23 or 25 hours on DST days).
        SELECT count(*) INTO v_recent FROM point_transactions t
        WHERE t.user_id = p_user_id AND t.activity_type = p_activity_type
          AND t."timestamp" >= v_local_day::timestamp AT TIME ZONE v_time_zone
          AND t."timestamp" < (v_local_day + 1)::timestamp AT TIME ZONE v_time_zone;
        IF v_recent >= v_rule.max_per_local_day THEN
            RAISE EXCEPTION USING ERRCODE = 'LA002', MESSAGE = format('capped: at most %s "%s" awards per day',
                v_rule.max_per_local_day, p_activity_type);
        END IF;
    END IF;
    IF v_rule.max_per_window IS NOT NULL THEN
        SELECT count(*) INTO v_recent FROM point_transactions t
        WHERE t.user_id = p_user_id AND t.activity_type = p_activity_type
          AND t."timestamp" > v_at - make_interval(secs => v_rule.window_seconds) AND t."timestamp" <= v_at;
        IF v_recent >= v_rule.max_per_window THEN
            RAISE EXCEPTION USING ERRCODE = 'LA002', MESSAGE = format('capped: at most %s "%s" awards per %s seconds',
                v_rule.max_per_window, p_activity_type, v_rule.window_seconds);
        END IF;
    END IF;
    IF v_rule.min_spacing_seconds IS NOT NULL AND EXISTS (
            SELECT 1 FROM point_transactions t
            WHERE t.user_id = p_user_id AND t.activity_type = p_activity_type
              AND t."timestamp" > v_at - make_interval(secs => v_rule.min_spacing_seconds) AND t."timestamp" <= v_at) THEN
        RAISE EXCEPTION USING ERRCODE = 'LA002', MESSAGE = format('capped: at least %s seconds between two "%s" awards',
            v_rule.min_spacing_seconds, p_activity_type);
    END IF;

    INSERT INTO point_transactions (user_id, points, activity_type, metadata, "timestamp")
    VALUES (p_user_id, v_points, p_activity_type, p_metadata, v_at);

    -- A late event (say, synced from an offline phone) may fill a missed day in the past and
    -- so join two runs of days. Rare: only then are the runs recounted from the recorded
    -- days (streak_runs, R__215), as replay_user_points() counts them.
    v_filled_gap := v_local_day < v_before.last_activity_date
        AND NOT EXISTS (SELECT 1 FROM daily_activity d WHERE d.user_id = p_user_id AND d.date = v_local_day);

    INSERT INTO daily_activity (user_id, date, last_activity_at) VALUES (p_user_id, v_local_day, v_at)
    ON CONFLICT (user_id, date) DO UPDATE SET last_activity_at = greatest(daily_activity.last_activity_at, EXCLUDED.last_activity_at);

    IF v_filled_gap THEN
        SELECT max(r.length) FILTER (WHERE r.last_day = v_before.last_activity_date), max(r.length)
        INTO v_current_run, v_longest_run
        FROM streak_runs r
        WHERE r.user_id = p_user_id;
    END IF;

    -- The streak grows on the day after the last active day, restarts after a gap, and is
    -- left alone for the same day; a filled gap takes the recount above.
    UPDATE user_points SET
        total_points = total_points + v_points,
        current_level = level_for_points(total_points::bigint + v_points),
        current_streak = CASE
            WHEN v_filled_gap THEN v_current_run
            WHEN last_activity_date IS NULL OR v_local_day > last_activity_date + 1 THEN 1
            WHEN v_local_day = last_activity_date + 1 THEN current_streak + 1
            ELSE current_streak END,
        longest_streak = greatest(longest_streak, v_longest_run, CASE
            WHEN last_activity_date IS NULL OR v_local_day > last_activity_date + 1 THEN 1
            WHEN v_local_day = last_activity_date + 1 THEN current_streak + 1
            ELSE current_streak END),
        last_activity_date = greatest(last_activity_date, v_local_day)
    WHERE user_id = p_user_id
    RETURNING * INTO v_after;

    -- Most awards earn nothing: a plain SELECT finds the candidates, and only then an INSERT.
    -- Counts an award does not change (courses, skills) are InitPlans, computed at most once
    -- and only when an achievement not yet earned asks for them.
    SELECT coalesce(array_agg(a.id ORDER BY a.id), '{}') INTO v_earned
    FROM achievements a
    WHERE (NOT a.criteria ? 'totalPoints' OR v_after.total_points >= (a.criteria ->> 'totalPoints')::bigint)
      AND (NOT a.criteria ? 'streakDays' OR v_after.longest_streak >= (a.criteria ->> 'streakDays')::bigint)
      -- Only this award's activity type can have reached a new count; archived months count too (V037).
      AND (NOT a.criteria ? 'activityType' OR (a.criteria ->> 'activityType' = p_activity_type AND (
            SELECT count(*) FROM point_transactions t WHERE t.user_id = p_user_id AND t.activity_type = p_activity_type
          ) + (
            SELECT count(*) FROM analytics_archive.point_transactions t WHERE t.user_id = p_user_id AND t.activity_type = p_activity_type
          ) >= (a.criteria ->> 'activityCount')::bigint))
      AND (NOT a.criteria ? 'coursesCompleted' OR (
            SELECT count(*) FROM enrollments e WHERE e.user_id = p_user_id AND e.completed_at IS NOT NULL
          ) >= (a.criteria ->> 'coursesCompleted')::bigint)
      AND (NOT a.criteria ? 'skillsMastered' OR (
            SELECT count(*) FROM user_skills s WHERE s.user_id = p_user_id AND s.mastery_level >= 80
          ) >= (a.criteria ->> 'skillsMastered')::bigint)
      AND NOT EXISTS (SELECT 1 FROM user_achievements ua WHERE ua.user_id = p_user_id AND ua.achievement_id = a.id);
    IF cardinality(v_earned) > 0 THEN
        WITH newly AS (
            INSERT INTO user_achievements (user_id, achievement_id, earned_at)
            SELECT p_user_id, e.id, v_at FROM unnest(v_earned) e(id)
            ON CONFLICT (user_id, achievement_id) DO NOTHING
            RETURNING achievement_id
        )
        SELECT coalesce(array_agg(achievement_id ORDER BY achievement_id), '{}') INTO v_earned FROM newly;
    END IF;

    v_result := ROW(p_user_id, p_activity_type, v_points, v_after.total_points, v_after.current_level, v_before.current_level,
                  v_after.current_streak, v_after.longest_streak, v_earned, v_at, false)::award_result;
    -- Written last, with the result, in one go. A conflict here means the same key was used
    -- for another user's award at the same moment (same-user replays wait above): refused.
    INSERT INTO award_keys (idempotency_key, user_id, request_hash, result)
    VALUES (p_idempotency_key, p_user_id, v_request, to_jsonb(v_result))
    ON CONFLICT (idempotency_key) DO NOTHING;
    IF NOT FOUND THEN
        RAISE EXCEPTION USING ERRCODE = 'LA001',
            MESSAGE = format('idempotency key "%s" was already used for a different award', p_idempotency_key);
    END IF;
    RETURN v_result;
END
$$;
COMMENT ON FUNCTION award_points(uuid, text, text, integer, jsonb, timestamptz) IS
    'Awards points for one activity (service path): idempotent per key, capped per activity_rules, updates ledger,'
    ' daily activity, totals, streak, level and achievements atomically.';

CREATE OR REPLACE FUNCTION award_own_activity(p_activity_type text, p_idempotency_key text, p_metadata jsonb DEFAULT NULL)
    RETURNS award_result
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = ${flyway:defaultSchema}, pg_temp
AS $$
DECLARE
    caller uuid := current_user_id();
BEGIN
    IF caller IS NULL THEN
        RAISE EXCEPTION USING ERRCODE = '42501', MESSAGE = 'no caller: self-reported activity needs an identity';
    END IF;
    IF char_length(p_idempotency_key) > 200 THEN
        RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = 'the idempotency key is longer than 200 characters';
    END IF;
    IF NOT coalesce((SELECT self_reportable FROM activity_rules WHERE activity_type = p_activity_type), false) THEN
        RAISE EXCEPTION USING ERRCODE = 'LA004', MESSAGE = format('activity type "%s" cannot be self-reported', p_activity_type);
    END IF;
    -- Keys are the caller's own: one user's key can never replay or block another's award.
    RETURN award_points(caller, p_activity_type, 'self:' || caller || ':' || p_idempotency_key, NULL, p_metadata, NULL);
END
$$;
COMMENT ON FUNCTION award_own_activity(text, text, jsonb) IS
    'Self-reported activity of the caller, for self-reportable activity types only; points come from the rule.';

REVOKE EXECUTE ON FUNCTION level_for_points(bigint), award_points(uuid, text, text, integer, jsonb, timestamptz),
    award_own_activity(text, text, jsonb) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION level_for_points(bigint) TO analytics_authenticated, analytics_platform_admin, analytics_service;
GRANT EXECUTE ON FUNCTION award_points(uuid, text, text, integer, jsonb, timestamptz) TO analytics_service;
GRANT EXECUTE ON FUNCTION award_own_activity(text, text, jsonb) TO analytics_authenticated, analytics_platform_admin;
