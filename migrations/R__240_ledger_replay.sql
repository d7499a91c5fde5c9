-- Ledger replay: recompute user_points (total, level, streaks, last active day) from the
-- ledger, for one user or everyone, when a rule changes (e.g. the level curve) or totals
-- are suspected wrong. Returns only the users whose stored values differ; with
-- p_apply = false (dry run) nothing is written.
--
-- Totals come from point_transactions and its archived months (analytics_archive, V037); streaks from streak_runs (R__215) over daily_activity, the ledger's local days
-- as recorded when each award was made, so a learner's later time-zone change does not
-- rewrite their past streaks. Applying locks user_points against concurrent awards (they
-- wait) for the duration of the replay's transaction.

SET LOCAL ROLE analytics_owner;
DO $$
BEGIN
    IF current_user <> 'analytics_owner' THEN
        RAISE EXCEPTION 'R__240_ledger_replay must run as analytics_owner inside a transaction (as Flyway runs it), not as %', current_user
            USING HINT = 'SET LOCAL ROLE has no effect outside a transaction: objects would be owned by the wrong role.';
    END IF;
END
$$;

DROP FUNCTION IF EXISTS replay_user_points(uuid, boolean);
CREATE FUNCTION replay_user_points(p_user_id uuid DEFAULT NULL, p_apply boolean DEFAULT false)
    RETURNS TABLE (user_id uuid,
                   stored_total integer, replayed_total integer,
                   stored_level integer, replayed_level integer,
                   stored_current_streak integer, replayed_current_streak integer,
                   stored_longest_streak integer, replayed_longest_streak integer)
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = ${flyway:defaultSchema}, pg_temp
AS $$
BEGIN
    IF p_apply THEN
        LOCK TABLE user_points IN SHARE ROW EXCLUSIVE MODE;
    END IF;
    CREATE TEMP TABLE replay_diff ON COMMIT DROP AS
    WITH streaks AS (
        SELECT DISTINCT ON (runs.user_id) runs.user_id, runs.length AS current_streak, runs.last_day,
               max(runs.length) OVER (PARTITION BY runs.user_id) AS longest_streak
        FROM streak_runs runs
        WHERE p_user_id IS NULL OR runs.user_id = p_user_id
        ORDER BY runs.user_id, runs.last_day DESC
    ), totals AS (
        SELECT t.user_id, greatest(sum(t.points), 0)::integer AS total
        FROM (SELECT l.user_id, l.points FROM point_transactions l
              UNION ALL
              SELECT a.user_id, a.points FROM analytics_archive.point_transactions a) t
        WHERE p_user_id IS NULL OR t.user_id = p_user_id
        GROUP BY t.user_id
    ), replayed AS (
        SELECT t.user_id, t.total, level_for_points(t.total) AS level,
               coalesce(s.current_streak, 0) AS current_streak, coalesce(s.longest_streak, 0) AS longest_streak, s.last_day
        FROM totals t LEFT JOIN streaks s ON s.user_id = t.user_id
    )
    SELECT coalesce(r.user_id, p.user_id) AS user_id,
           p.total_points AS stored_total, coalesce(r.total, 0) AS replayed_total,
           p.current_level AS stored_level, coalesce(r.level, 1) AS replayed_level,
           p.current_streak AS stored_current_streak, coalesce(r.current_streak, 0) AS replayed_current_streak,
           p.longest_streak AS stored_longest_streak, coalesce(r.longest_streak, 0) AS replayed_longest_streak,
           r.last_day AS replayed_last_day, p.user_id IS NULL AS missing
    FROM replayed r
    FULL JOIN (SELECT * FROM user_points up WHERE p_user_id IS NULL OR up.user_id = p_user_id) p ON p.user_id = r.user_id
    WHERE (p.total_points, p.current_level, p.current_streak, p.longest_streak, p.last_activity_date)
          IS DISTINCT FROM (coalesce(r.total, 0), coalesce(r.level, 1), coalesce(r.current_streak, 0),
                            coalesce(r.longest_streak, 0), r.last_day);

    IF p_apply THEN
        UPDATE user_points up SET total_points = d.replayed_total, current_level = d.replayed_level,
               current_streak = d.replayed_current_streak, longest_streak = d.replayed_longest_streak,
               last_activity_date = d.replayed_last_day
        FROM replay_diff d WHERE up.user_id = d.user_id AND NOT d.missing;
        INSERT INTO user_points (user_id, total_points, current_level, current_streak, longest_streak, last_activity_date)
        SELECT d.user_id, d.replayed_total, d.replayed_level, d.replayed_current_streak, d.replayed_longest_streak, d.replayed_last_day
        FROM replay_diff d WHERE d.missing;
    END IF;

    RETURN QUERY SELECT d.user_id, d.stored_total, d.replayed_total, d.stored_level, d.replayed_level,
                        d.stored_current_streak, d.replayed_current_streak, d.stored_longest_streak, d.replayed_longest_streak
                 FROM replay_diff d ORDER BY d.user_id;
    DROP TABLE replay_diff;
END
$$;
COMMENT ON FUNCTION replay_user_points(uuid, boolean) IS
    'Recomputes user_points from the ledger for one user (or all when NULL); returns the differences; writes only when p_apply.';

REVOKE EXECUTE ON FUNCTION replay_user_points(uuid, boolean) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION replay_user_points(uuid, boolean) TO analytics_service;
