-- V015: the weekly and monthly leaderboard views from one definition.
--
-- V008 wrote the same aggregation twice, once per period. Both views are now
-- "leaderboard_points_since(start of the period)", an SQL function the planner inlines, so a
-- fix of the aggregation (for instance when the ledger is partitioned) is made once. Periods
-- are UTC weeks and months, now spelled out in date_trunc(..., 'UTC') rather than relying
-- on the session's TimeZone at refresh time.
--
-- Lock impact: each view is dropped and re-created populated, under an ACCESS EXCLUSIVE
-- lock on the view until commit; leaderboard reads wait meanwhile, nothing else does. That
-- is the time of one full refresh of both (about 1.5 s + 5 s at 5 million ledger rows).

SET LOCAL ROLE analytics_owner;
DO $$
BEGIN
    IF current_user <> 'analytics_owner' THEN
        RAISE EXCEPTION 'V015 must run as analytics_owner inside a transaction (as Flyway runs it), not as %', current_user
            USING HINT = 'SET LOCAL ROLE has no effect outside a transaction: objects would be owned by the wrong role.';
    END IF;
END
$$;
SET LOCAL lock_timeout = '10s';

CREATE FUNCTION leaderboard_points_since(p_since timestamptz)
    RETURNS TABLE (organization_id uuid, user_id uuid, points bigint)
    LANGUAGE sql STABLE
AS $$
    SELECT u.organization_id, t.user_id, sum(t.points)::bigint
    -- Schema-qualified: a refresh from a DBA's session or a pg_dump restore has another search_path.
    FROM ${flyway:defaultSchema}.point_transactions t
    JOIN ${flyway:defaultSchema}.users u ON u.id = t.user_id
    WHERE t."timestamp" >= p_since AND u.organization_id IS NOT NULL
    GROUP BY u.organization_id, t.user_id
$$;
COMMENT ON FUNCTION leaderboard_points_since(timestamptz) IS
    'Points per user and organization since a moment: the one definition behind the leaderboard views.';
REVOKE EXECUTE ON FUNCTION leaderboard_points_since(timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION leaderboard_points_since(timestamptz) TO analytics_service;

DROP MATERIALIZED VIEW leaderboard_weekly;
CREATE MATERIALIZED VIEW leaderboard_weekly AS
SELECT organization_id, user_id, points FROM leaderboard_points_since(date_trunc('week', now(), 'UTC'));
COMMENT ON MATERIALIZED VIEW leaderboard_weekly IS
    'Points per user since Monday 00:00 UTC, per organization. Refreshed by refresh_leaderboard(''weekly'').';
CREATE UNIQUE INDEX uq_leaderboard_weekly_user ON leaderboard_weekly (user_id);
CREATE INDEX idx_leaderboard_weekly_org_points ON leaderboard_weekly (organization_id, points DESC, user_id);

DROP MATERIALIZED VIEW leaderboard_monthly;
CREATE MATERIALIZED VIEW leaderboard_monthly AS
SELECT organization_id, user_id, points FROM leaderboard_points_since(date_trunc('month', now(), 'UTC'));
COMMENT ON MATERIALIZED VIEW leaderboard_monthly IS
    'Points per user since the 1st of the month 00:00 UTC, per organization. Refreshed by refresh_leaderboard(''monthly'').';
CREATE UNIQUE INDEX uq_leaderboard_monthly_user ON leaderboard_monthly (user_id);
CREATE INDEX idx_leaderboard_monthly_org_points ON leaderboard_monthly (organization_id, points DESC, user_id);

REVOKE ALL ON leaderboard_weekly, leaderboard_monthly FROM PUBLIC;
GRANT SELECT ON leaderboard_weekly, leaderboard_monthly TO analytics_service;
UPDATE leaderboard_refreshes SET refreshed_at = now();
