-- Reading and refreshing leaderboards. The boards (tables since V044) are not granted to users; these
-- SECURITY DEFINER functions read them for the caller, always within the caller's own
-- organization (taken from the database, never from a parameter), and apply each user's
-- leaderboard_privacy at read time:
--   hidden     absent, and no gap in the ranks;
--   anonymous  shown under a stable pseudonym, without name or id;
--   public     shown with name and id.
-- A user who left the organization (moved to another, or deleted) since the board's last
-- refresh keeps their place on the old organization's board until the next refresh, so
-- ranks and pages stay consistent, but is shown as anonymous there: no name or id crosses
-- tenants. (Checking membership for every counted row instead would cost an index probe per
-- row in every rank count.)
-- Order: points descending, then user id, so ties have a deterministic order; tied users
-- share a rank (RANK semantics). Pages continue after a keyset cursor (points, position
-- among the visible users with those points): not a user id, which would reveal who an
-- anonymous entry is.
-- Boards: 'weekly' and 'monthly' (tables, refreshed by refresh_leaderboard(board)) and
-- 'all_time' (live from user_points).

SET LOCAL ROLE analytics_owner;
DO $$
BEGIN
    IF current_user <> 'analytics_owner' THEN
        RAISE EXCEPTION 'R__230_leaderboards must run as analytics_owner inside a transaction (as Flyway runs it), not as %', current_user
            USING HINT = 'SET LOCAL ROLE has no effect outside a transaction: objects would be owned by the wrong role.';
    END IF;
END
$$;

-- Dropped first: CREATE OR REPLACE cannot change a function's result columns.
DROP FUNCTION IF EXISTS leaderboard_page(text, integer, bigint, bigint);
DROP FUNCTION IF EXISTS leaderboard_around_me(text, integer);
DROP FUNCTION IF EXISTS leaderboard_window(text, uuid, integer, bigint, uuid);

CREATE OR REPLACE FUNCTION leaderboard_source(p_board text) RETURNS text
    LANGUAGE plpgsql IMMUTABLE AS
$$
BEGIN
    RETURN CASE p_board
        WHEN 'weekly' THEN 'leaderboard_weekly'
        WHEN 'monthly' THEN 'leaderboard_monthly'
        WHEN 'all_time' THEN '(SELECT u.organization_id, p.user_id, p.total_points::bigint AS points'
                             ' FROM user_points p JOIN users u ON u.id = p.user_id WHERE p.total_points > 0)'
        ELSE NULL END;
END
$$;
COMMENT ON FUNCTION leaderboard_source(text) IS 'The relation behind a board name (a fixed list: never user text in SQL).';

CREATE OR REPLACE FUNCTION leaderboard_visible() RETURNS text
    LANGUAGE sql IMMUTABLE AS
$$
    SELECT 'NOT EXISTS (SELECT 1 FROM user_preferences h WHERE h.user_id = l.user_id AND h.leaderboard_privacy = ''hidden'')'
$$;
COMMENT ON FUNCTION leaderboard_visible() IS
    'The condition, on board rows aliased l, that leaves out users hidden right now (one definition for every read).';

-- Entries of one organization's board that follow (p_after_points, p_after_user) in board
-- order, or from the top; p_limit at most. Ranks as explained above.
CREATE OR REPLACE FUNCTION leaderboard_window(p_board text, p_org uuid, p_limit integer, p_after_points bigint, p_after_user uuid)
    RETURNS TABLE (rank bigint, user_id uuid, display_name text, points bigint, is_me boolean, tie_position bigint,
                   refreshed_at timestamptz)
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path = ${flyway:defaultSchema}, pg_temp
AS $$
DECLARE
    source   text := leaderboard_source(p_board);
    visible  text := leaderboard_visible();
    salt     text := (SELECT pseudonym_salt FROM leaderboard_settings);
    first    bigint;
    before   bigint := 0;
    above    bigint := 0;
BEGIN
    IF source IS NULL THEN
        RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = format('unknown leaderboard "%s"', p_board);
    END IF;
    IF p_after_points IS NOT NULL THEN
        -- The page's first row decides both offsets: rows before the page, and rows strictly above the first row.
        EXECUTE format('SELECT l.points FROM %s l WHERE l.organization_id = $1 AND %s'
                       ' AND (l.points < $2 OR (l.points = $2 AND l.user_id > $3))'
                       ' ORDER BY l.points DESC, l.user_id LIMIT 1', source, visible)
            INTO first USING p_org, p_after_points, p_after_user;
        IF first IS NULL THEN
            RETURN; -- nothing after the cursor
        END IF;
        -- Both counts in one scan of the rows from the first row's points up (first <= the cursor's points).
        EXECUTE format('SELECT count(*) FILTER (WHERE l.points > $2 OR (l.points = $2 AND l.user_id <= $3)),'
                       '       count(*) FILTER (WHERE l.points > $4)'
                       ' FROM %s l WHERE l.organization_id = $1 AND %s AND l.points >= $4', source, visible)
            INTO before, above USING p_org, p_after_points, p_after_user, first;
    END IF;
    RETURN QUERY EXECUTE format(
        'SELECT rank() OVER (ORDER BY w.points DESC) + CASE WHEN w.points = $5 THEN $6 ELSE $7 END,'
        '       CASE WHEN pr.leaderboard_privacy = ''anonymous'' OR u.organization_id IS DISTINCT FROM $1 THEN NULL ELSE w.user_id END,'
        '       CASE WHEN pr.leaderboard_privacy = ''anonymous'' OR u.organization_id IS DISTINCT FROM $1
                     THEN ''Anonymous '' || upper(substr(md5($8 || w.user_id::text), 1, 6))
                     ELSE coalesce(u.full_name, ''Learner'') END,'
        '       w.points, w.user_id = current_user_id(),'
        '       row_number() OVER (PARTITION BY w.points ORDER BY w.user_id) + CASE WHEN w.points = $5 THEN $7 - $6 ELSE 0 END,'
        '       (SELECT r.refreshed_at FROM leaderboard_refreshes r WHERE r.board = $9)'
        ' FROM (SELECT l.user_id, l.points FROM %s l'
        '       WHERE l.organization_id = $1 AND %s'
        '         AND ($2::bigint IS NULL OR l.points < $2 OR (l.points = $2 AND l.user_id > $3))'
        '       ORDER BY l.points DESC, l.user_id LIMIT $4) w'
        ' LEFT JOIN users u ON u.id = w.user_id'
        ' LEFT JOIN user_preferences pr ON pr.user_id = w.user_id'
        ' ORDER BY w.points DESC, w.user_id', source, visible)
        USING p_org, p_after_points, p_after_user, p_limit, first, above, before, salt, p_board;
END
$$;
COMMENT ON FUNCTION leaderboard_window(text, uuid, integer, bigint, uuid) IS
    'Internal: a ranked window of one organization''s board. Not granted to users.';

CREATE OR REPLACE FUNCTION leaderboard_page(p_board text, p_limit integer, p_after_points bigint DEFAULT NULL, p_after_position bigint DEFAULT NULL)
    RETURNS TABLE (rank bigint, user_id uuid, display_name text, points bigint, is_me boolean, tie_position bigint,
                   refreshed_at timestamptz)
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path = ${flyway:defaultSchema}, pg_temp
AS $$
DECLARE
    org        uuid := current_organization_id();
    source     text := leaderboard_source(p_board);
    after_user uuid;
BEGIN
    IF p_limit IS NULL OR p_limit < 1 OR p_limit > 500 THEN
        RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = 'limit must be between 1 and 500';
    END IF;
    IF (p_after_points IS NULL) <> (p_after_position IS NULL) OR p_after_position < 1 THEN
        RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = 'malformed cursor';
    END IF;
    IF org IS NOT NULL AND source IS NOT NULL THEN
        IF p_after_points IS NOT NULL THEN
            EXECUTE format('SELECT l.user_id FROM %s l WHERE l.organization_id = $1 AND l.points = $2 AND %s'
                           ' ORDER BY l.user_id OFFSET $3 - 1 LIMIT 1', source, leaderboard_visible())
                INTO after_user USING org, p_after_points, p_after_position;
            IF after_user IS NULL THEN -- the tie group shrank since: continue below those points
                after_user := 'ffffffff-ffff-ffff-ffff-ffffffffffff';
            END IF;
        END IF;
        RETURN QUERY SELECT * FROM leaderboard_window(p_board, org, p_limit, p_after_points, after_user);
    ELSIF source IS NULL THEN
        RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = format('unknown leaderboard "%s"', p_board);
    END IF;
END
$$;
COMMENT ON FUNCTION leaderboard_page(text, integer, bigint, bigint) IS
    'The caller''s organization''s board: top entries, or the page after a (points, user id) cursor.';

CREATE OR REPLACE FUNCTION leaderboard_around_me(p_board text, p_neighbours integer)
    RETURNS TABLE (rank bigint, user_id uuid, display_name text, points bigint, is_me boolean, tie_position bigint,
                   refreshed_at timestamptz)
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path = ${flyway:defaultSchema}, pg_temp
AS $$
DECLARE
    org    uuid := current_organization_id();
    me     uuid := current_user_id();
    source text := leaderboard_source(p_board);
    mine     bigint;
    above_me bigint;
    start    record;
BEGIN
    IF source IS NULL THEN
        RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = format('unknown leaderboard "%s"', p_board);
    END IF;
    IF p_neighbours IS NULL OR p_neighbours < 0 OR p_neighbours > 50 THEN
        RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = 'neighbours must be between 0 and 50';
    END IF;
    IF org IS NULL OR EXISTS (SELECT 1 FROM user_preferences h WHERE h.user_id = me AND h.leaderboard_privacy = 'hidden') THEN
        RETURN; -- not on any board
    END IF;
    EXECUTE format('SELECT l.points FROM %s l WHERE l.organization_id = $1 AND l.user_id = $2', source) INTO mine USING org, me;
    IF mine IS NULL THEN
        RETURN;
    END IF;
    -- Up to p_neighbours visible rows above me (fewer near the top); the window is the page
    -- after the row just before them, or the top of the board when there is none.
    EXECUTE format('SELECT count(*) FROM (SELECT 1 FROM %s l WHERE l.organization_id = $1 AND %s'
                   ' AND (l.points > $2 OR (l.points = $2 AND l.user_id < $3)) LIMIT $4) above', source, leaderboard_visible())
        INTO above_me USING org, mine, me, p_neighbours;
    EXECUTE format('SELECT l.points, l.user_id FROM %s l WHERE l.organization_id = $1 AND %s'
                   ' AND (l.points > $2 OR (l.points = $2 AND l.user_id < $3))'
                   ' ORDER BY l.points, l.user_id DESC OFFSET $4 LIMIT 1', source, leaderboard_visible())
        INTO start USING org, mine, me, above_me;
    RETURN QUERY SELECT * FROM leaderboard_window(p_board, org, above_me::integer + 1 + p_neighbours, start.points, start.user_id);
END
$$;
COMMENT ON FUNCTION leaderboard_around_me(text, integer) IS
    'The caller''s entry with up to p_neighbours entries above and below; empty when hidden or not on the board.';

-- Refreshes and erasures one at a time: a refresh takes both boards' rows of
-- leaderboard_refreshes FOR UPDATE, in board order, before it reads or writes anything of the
-- boards; erase_user() (R__280) takes the same lock before it deletes the user's board rows
-- and deltas, so an erasure cannot interleave with a refresh and a refresh that waited sees
-- the erasure committed (READ COMMITTED: each later statement takes a new snapshot).
CREATE OR REPLACE FUNCTION lock_leaderboards() RETURNS void
    LANGUAGE plpgsql VOLATILE
    SET search_path = ${flyway:defaultSchema}, pg_temp
AS $$
BEGIN
    PERFORM NULL FROM leaderboard_refreshes ORDER BY board FOR UPDATE;
END
$$;
COMMENT ON FUNCTION lock_leaderboards() IS
    'Internal: serializes leaderboard refreshes and erasures (row locks on leaderboard_refreshes until commit).';

-- Both boards at once, in ONE statement, so ONE snapshot (under READ COMMITTED too, the
-- isolation the library and SQL schedulers use) decides what is consumed and what is read:
--  * the DELETE of leaderboard_point_deltas consumes exactly the deltas committed before the
--    statement began. A ledger row and its delta commit together (the trigger runs in the
--    award's transaction), so an award is either wholly visible (its delta is consumed here,
--    and deleted in the same transaction as the boards are updated) or wholly invisible
--    (its delta stays for the next refresh): never lost, never counted twice. Refreshes and
--    erasures are serialized by lock_leaderboards(), so no other transaction deletes deltas
--    or writes board rows meanwhile;
--  * a board whose period changed (or never built) is rebuilt from the ledger with
--    leaderboard_points_since(period start), read with the same snapshot as the consumed
--    deltas: those are discarded for it, the later ones are added by the next refresh.
--    The rebuild upserts the new rows and deletes the rows that are not among them: disjoint
--    sets of rows, as two parts of one statement must touch. Early in a period it reads a
--    few days of the ledger (partition pruning and BRIN);
--  * otherwise the consumed deltas are summed per user (those dated in the period: a late
--    award dated in last week does not count this week, as in the full query) and added;
--    a user whose sum is 0 or negative keeps a row, as leaderboard_points_since() has one;
--  * organization changes (markers, points NULL): the user's rows are recomputed from the
--    ledger (same snapshot): moved to the new organization, or gone when the user has none,
--    as leaderboard_points_since() would. Each board is written by parts that touch
--    disjoint users: replaced rows (rebuild, or moved users), added rows (the others), and
--    deleted rows (not in a rebuild, or moved users without points in no organization).
-- The weekly and monthly parts are spelled out twice on purpose: one static statement (planned
-- once, checked when this file runs) rather than SQL text assembled per board.
-- The result equals leaderboard_points_since(period start) as of the snapshot
-- (LeaderboardsPgTest compares them after random, back-dated, negative and concurrent awards).
CREATE OR REPLACE FUNCTION refresh_leaderboard(p_board text) RETURNS void
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = ${flyway:defaultSchema}, pg_temp
    SET TimeZone = 'UTC'
AS $$
DECLARE
    week_start      timestamptz := date_trunc('week', now(), 'UTC');
    month_start     timestamptz := date_trunc('month', now(), 'UTC');
    rebuild_weekly  boolean;
    rebuild_monthly boolean;
    consumed_rows   bigint;
BEGIN
    IF p_board IS NULL OR p_board NOT IN ('weekly', 'monthly') THEN
        RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = format('no board to refresh for leaderboard "%s"', p_board);
    END IF;
    PERFORM lock_leaderboards();
    SELECT bool_or(board = 'weekly' AND period_start IS DISTINCT FROM week_start),
           bool_or(board = 'monthly' AND period_start IS DISTINCT FROM month_start)
    INTO rebuild_weekly, rebuild_monthly
    FROM leaderboard_refreshes;

    WITH consumed AS (
        DELETE FROM leaderboard_point_deltas RETURNING user_id, points, "timestamp"
    ), per_user AS (
        SELECT c.user_id, bool_or(c.points IS NULL) AS moved,
               sum(c.points) FILTER (WHERE c."timestamp" >= week_start)::bigint AS weekly,
               sum(c.points) FILTER (WHERE c."timestamp" >= month_start)::bigint AS monthly
        FROM consumed c
        GROUP BY c.user_id
    ), added AS (
        -- Per user first, then the organization: an index probe per user, not a hash of all users.
        SELECT p.user_id, u.organization_id, p.moved, p.weekly, p.monthly
        FROM per_user p
        LEFT JOIN users u ON u.id = p.user_id
    ), moved AS (
        -- Users whose organization changed: their rows are recomputed from the ledger (index
        -- on user_id, "timestamp"), which also covers points earned while in no organization.
        SELECT a.organization_id, a.user_id,
               sum(t.points) FILTER (WHERE t."timestamp" >= week_start)::bigint AS weekly,
               sum(t.points) FILTER (WHERE t."timestamp" >= month_start)::bigint AS monthly
        FROM added a
        JOIN point_transactions t ON t.user_id = a.user_id AND t."timestamp" >= least(week_start, month_start)
        WHERE a.moved AND a.organization_id IS NOT NULL
        GROUP BY a.organization_id, a.user_id
    ), weekly_set AS (
        SELECT l.organization_id, l.user_id, l.points FROM leaderboard_points_since(week_start) l WHERE rebuild_weekly
        UNION ALL
        SELECT m.organization_id, m.user_id, m.weekly FROM moved m WHERE NOT rebuild_weekly AND m.weekly IS NOT NULL
    ), weekly_add AS (
        SELECT a.organization_id, a.user_id, a.weekly AS points FROM added a
        WHERE NOT rebuild_weekly AND NOT a.moved AND a.weekly IS NOT NULL AND a.organization_id IS NOT NULL
    ), weekly_replaced AS (
        INSERT INTO leaderboard_weekly AS b (organization_id, user_id, points)
        SELECT n.organization_id, n.user_id, n.points FROM weekly_set n
        ON CONFLICT (user_id) DO UPDATE SET points = excluded.points, organization_id = excluded.organization_id
            WHERE (b.points, b.organization_id) IS DISTINCT FROM (excluded.points, excluded.organization_id)
    ), weekly_added AS (
        INSERT INTO leaderboard_weekly AS b (organization_id, user_id, points)
        SELECT n.organization_id, n.user_id, n.points FROM weekly_add n
        ON CONFLICT (user_id) DO UPDATE SET points = b.points + excluded.points, organization_id = excluded.organization_id
    ), weekly_gone AS (
        DELETE FROM leaderboard_weekly b
        WHERE rebuild_weekly AND NOT EXISTS (SELECT 1 FROM weekly_set n WHERE n.user_id = b.user_id)
    ), weekly_left AS (
        DELETE FROM leaderboard_weekly b USING added a
        WHERE NOT rebuild_weekly AND a.moved AND a.user_id = b.user_id AND NOT EXISTS (SELECT 1 FROM weekly_set n WHERE n.user_id = b.user_id)
    ), monthly_set AS (
        SELECT l.organization_id, l.user_id, l.points FROM leaderboard_points_since(month_start) l WHERE rebuild_monthly
        UNION ALL
        SELECT m.organization_id, m.user_id, m.monthly FROM moved m WHERE NOT rebuild_monthly AND m.monthly IS NOT NULL
    ), monthly_add AS (
        SELECT a.organization_id, a.user_id, a.monthly AS points FROM added a
        WHERE NOT rebuild_monthly AND NOT a.moved AND a.monthly IS NOT NULL AND a.organization_id IS NOT NULL
    ), monthly_replaced AS (
        INSERT INTO leaderboard_monthly AS b (organization_id, user_id, points)
        SELECT n.organization_id, n.user_id, n.points FROM monthly_set n
        ON CONFLICT (user_id) DO UPDATE SET points = excluded.points, organization_id = excluded.organization_id
            WHERE (b.points, b.organization_id) IS DISTINCT FROM (excluded.points, excluded.organization_id)
    ), monthly_added AS (
        INSERT INTO leaderboard_monthly AS b (organization_id, user_id, points)
        SELECT n.organization_id, n.user_id, n.points FROM monthly_add n
        ON CONFLICT (user_id) DO UPDATE SET points = b.points + excluded.points, organization_id = excluded.organization_id
    ), monthly_gone AS (
        DELETE FROM leaderboard_monthly b
        WHERE rebuild_monthly AND NOT EXISTS (SELECT 1 FROM monthly_set n WHERE n.user_id = b.user_id)
    ), monthly_left AS (
        DELETE FROM leaderboard_monthly b USING added a
        WHERE NOT rebuild_monthly AND a.moved AND a.user_id = b.user_id AND NOT EXISTS (SELECT 1 FROM monthly_set n WHERE n.user_id = b.user_id)
    )
    SELECT count(*) FROM consumed INTO consumed_rows; -- the data-modifying parts run to completion regardless

    UPDATE leaderboard_refreshes
    SET refreshed_at = now(),
        period_start = CASE board WHEN 'weekly' THEN week_start ELSE month_start END;
END
$$;
COMMENT ON FUNCTION refresh_leaderboard(text) IS
    'Refreshes BOTH boards (weekly and monthly) in one statement from the deltas since the last refresh, or from the'
    ' ledger in a new period; records when. The argument names a board for compatibility (service path, e.g. hourly).';

CREATE OR REPLACE FUNCTION refresh_leaderboards() RETURNS void
    LANGUAGE sql VOLATILE SECURITY DEFINER
    SET search_path = ${flyway:defaultSchema}, pg_temp
AS $$
    SELECT refresh_leaderboard('weekly'); -- refreshes both boards
$$;
COMMENT ON FUNCTION refresh_leaderboards() IS
    'Refreshes both boards, for SQL schedulers (the same as refresh_leaderboard of either board).';

REVOKE EXECUTE ON FUNCTION leaderboard_source(text), leaderboard_visible(), leaderboard_window(text, uuid, integer, bigint, uuid),
    leaderboard_page(text, integer, bigint, bigint), leaderboard_around_me(text, integer), refresh_leaderboard(text),
    refresh_leaderboards(), lock_leaderboards() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION leaderboard_page(text, integer, bigint, bigint), leaderboard_around_me(text, integer)
    TO analytics_authenticated, analytics_platform_admin;
GRANT EXECUTE ON FUNCTION refresh_leaderboard(text), refresh_leaderboards() TO analytics_service;
