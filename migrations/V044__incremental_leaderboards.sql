-- V044: the weekly and monthly boards become tables refreshed by deltas (issue 12).
--
-- At 5 million ledger rows a refresh of the views (V015) took 2.8 s: ~0.6 s for the query
-- and ~2 s for REFRESH ... CONCURRENTLY's diff of 120-150k board rows. A refresh now adds
-- what was awarded since the last one instead of recomputing the period:
--   * leaderboard_weekly / leaderboard_monthly: plain TABLES with the views' name, columns
--     and indexes (R__230's readers are unchanged), built here from the ledger;
--   * leaderboard_point_deltas (user_id, points, "timestamp"): one row per ledger row,
--     written by a statement trigger on point_transactions in the same transaction as the
--     ledger row, and consumed by refresh_leaderboard() (R__230, which explains why a delta
--     is counted exactly once). A trigger rather than a line in award_points: every writer
--     of the ledger (award_points, the demo's COPY, a DBA's correction, test fixtures)
--     reaches the boards without a second writer to keep in step. Inserts straight into a
--     partition (owner only) bypass it, as they bypass the parent's policies.
--     A row with points NULL is a marker "this user's organization changed" (a trigger on
--     users), so that a refresh moves the user's board rows as a full recomputation would,
--     without joining every board row with users at each refresh (~130 ms per board);
--   * leaderboard_refreshes.period_start: the period each board holds; a refresh in a new
--     week/month (or with NULL: never built) rebuilds that board from the ledger.
-- Deviation from the seed (which has the views): the boards are tables. Like every table
-- they have RLS enabled and forced, with one policy for the service and the owner; they are
-- granted to nobody but analytics_service (as the views were), the deltas to nobody.
--
-- Lock impact: the views are dropped and the tables created and filled under ACCESS
-- EXCLUSIVE locks on them (leaderboard reads wait). Creating the trigger takes a SHARE ROW
-- EXCLUSIVE lock on point_transactions (and its partitions) until commit: awards wait for
-- the migration, which is what makes the boards built here and the (empty) deltas agree;
-- reads of the ledger are not blocked. The trigger on users takes the same lock on users:
-- user updates wait too (an award's foreign key check does not). All of it for the time of
-- building both boards: 3.9 s on a copy of the benchmark database (5M ledger rows, 360k in
-- the week, 6 days into it; the 2-core machine shared with other builds).

SET LOCAL ROLE analytics_owner;
DO $$
BEGIN
    IF current_user <> 'analytics_owner' THEN
        RAISE EXCEPTION 'V044 must run as analytics_owner inside a transaction (as Flyway runs it), not as %', current_user
            USING HINT = 'SET LOCAL ROLE has no effect outside a transaction: objects would be owned by the wrong role.';
    END IF;
END
$$;
SET LOCAL lock_timeout = '5s';

CREATE TABLE leaderboard_point_deltas (
    user_id     uuid        NOT NULL,
    points      integer,
    "timestamp" timestamptz NOT NULL
);
COMMENT ON TABLE leaderboard_point_deltas IS
    'Ledger rows (and organization changes, points NULL) not yet added to the weekly and monthly boards;'
    ' appended by triggers, consumed by refresh_leaderboard(). No index: always read whole.';

CREATE FUNCTION leaderboard_note_points() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = ${flyway:defaultSchema}, pg_temp
AS $$
BEGIN
    INSERT INTO leaderboard_point_deltas (user_id, points, "timestamp") SELECT a.user_id, a.points, a."timestamp" FROM added a;
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION leaderboard_note_points() IS
    'Trigger: the ledger rows a statement added, as deltas for the next leaderboard refresh.';
CREATE TRIGGER trg_point_transactions_leaderboard_deltas
    AFTER INSERT ON point_transactions REFERENCING NEW TABLE AS added
    FOR EACH STATEMENT EXECUTE FUNCTION leaderboard_note_points();

CREATE FUNCTION leaderboard_note_move() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = ${flyway:defaultSchema}, pg_temp
AS $$
BEGIN
    INSERT INTO leaderboard_point_deltas (user_id, points, "timestamp") VALUES (NEW.id, NULL, now());
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION leaderboard_note_move() IS
    'Trigger: a user''s organization changed; the next leaderboard refresh moves their board rows (points NULL).';
CREATE TRIGGER trg_users_leaderboard_move
    AFTER UPDATE OF organization_id ON users
    FOR EACH ROW WHEN (OLD.organization_id IS DISTINCT FROM NEW.organization_id)
    EXECUTE FUNCTION leaderboard_note_move();

ALTER TABLE leaderboard_refreshes ADD COLUMN period_start timestamptz;
COMMENT ON COLUMN leaderboard_refreshes.period_start IS
    'Start of the week/month the board holds (UTC); a refresh in a later period, or NULL, rebuilds it from the ledger.';

DROP MATERIALIZED VIEW leaderboard_weekly;
CREATE TABLE leaderboard_weekly (
    organization_id uuid   NOT NULL,
    user_id         uuid   NOT NULL,
    points          bigint NOT NULL
);
COMMENT ON TABLE leaderboard_weekly IS
    'Points per user since Monday 00:00 UTC, per organization, as of refresh_leaderboard() (incremental, R__230).';
CREATE UNIQUE INDEX uq_leaderboard_weekly_user ON leaderboard_weekly (user_id);
CREATE INDEX idx_leaderboard_weekly_org_points ON leaderboard_weekly (organization_id, points DESC, user_id);

DROP MATERIALIZED VIEW leaderboard_monthly;
CREATE TABLE leaderboard_monthly (
    organization_id uuid   NOT NULL,
    user_id         uuid   NOT NULL,
    points          bigint NOT NULL
);
COMMENT ON TABLE leaderboard_monthly IS
    'Points per user since the 1st of the month 00:00 UTC, per organization, as of refresh_leaderboard() (incremental, R__230).';
CREATE UNIQUE INDEX uq_leaderboard_monthly_user ON leaderboard_monthly (user_id);
CREATE INDEX idx_leaderboard_monthly_org_points ON leaderboard_monthly (organization_id, points DESC, user_id);

-- Built under the trigger's lock: no award can commit meanwhile, so no delta is missing or extra.
INSERT INTO leaderboard_weekly (organization_id, user_id, points)
SELECT organization_id, user_id, points FROM leaderboard_points_since(date_trunc('week', now(), 'UTC'));
INSERT INTO leaderboard_monthly (organization_id, user_id, points)
SELECT organization_id, user_id, points FROM leaderboard_points_since(date_trunc('month', now(), 'UTC'));
UPDATE leaderboard_refreshes
SET refreshed_at = now(), period_start = date_trunc(CASE board WHEN 'weekly' THEN 'week' ELSE 'month' END, now(), 'UTC');

-- Row-level security as R__210 sets it on every table (it re-creates the same policies when it runs).
ALTER TABLE leaderboard_point_deltas ENABLE ROW LEVEL SECURITY;
ALTER TABLE leaderboard_point_deltas FORCE ROW LEVEL SECURITY;
CREATE POLICY leaderboard_point_deltas_service_all ON leaderboard_point_deltas FOR ALL TO analytics_service, analytics_owner
    USING (true) WITH CHECK (true);
ALTER TABLE leaderboard_weekly ENABLE ROW LEVEL SECURITY;
ALTER TABLE leaderboard_weekly FORCE ROW LEVEL SECURITY;
CREATE POLICY leaderboard_weekly_service_all ON leaderboard_weekly FOR ALL TO analytics_service, analytics_owner
    USING (true) WITH CHECK (true);
ALTER TABLE leaderboard_monthly ENABLE ROW LEVEL SECURITY;
ALTER TABLE leaderboard_monthly FORCE ROW LEVEL SECURITY;
CREATE POLICY leaderboard_monthly_service_all ON leaderboard_monthly FOR ALL TO analytics_service, analytics_owner
    USING (true) WITH CHECK (true);

REVOKE ALL ON leaderboard_weekly, leaderboard_monthly, leaderboard_point_deltas FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION leaderboard_note_points(), leaderboard_note_move() FROM PUBLIC;
GRANT SELECT ON leaderboard_weekly, leaderboard_monthly TO analytics_service;
