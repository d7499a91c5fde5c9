-- V008: the seed's weekly and monthly leaderboards as materialized views, fixed.
--
-- Deviations from the seed, on purpose:
--  * Scoped to organizations: the seed ranked every user of every tenant together.
--  * No stored rank. Ranks are computed when read (R__230), over the users who are not
--    hidden right now, so a privacy change takes effect before the next refresh and a
--    hidden user leaves no gap in the ranks. The seed's rank index goes with the column.
--  * A unique index on a plain column with no WHERE clause (user_id: one row per user), which
--    REFRESH MATERIALIZED VIEW CONCURRENTLY needs; the seed's views could not be refreshed
--    concurrently as written.
--  * Weeks and months are those of UTC (the refresh pins TimeZone), not of the session.
-- The views are never granted to user roles (row-level security cannot apply to them); users
-- read them through leaderboard_page() and leaderboard_around_me(), which scope to the
-- caller's organization.

SET LOCAL ROLE analytics_owner;
SET LOCAL TimeZone = 'UTC';

CREATE MATERIALIZED VIEW leaderboard_weekly AS
SELECT u.organization_id, t.user_id, sum(t.points)::bigint AS points
FROM point_transactions t
JOIN users u ON u.id = t.user_id
WHERE t."timestamp" >= date_trunc('week', now()) AND u.organization_id IS NOT NULL
GROUP BY u.organization_id, t.user_id;
COMMENT ON MATERIALIZED VIEW leaderboard_weekly IS
    'Points per user since Monday 00:00 UTC, per organization. Refreshed by refresh_leaderboards().';
CREATE UNIQUE INDEX uq_leaderboard_weekly_user ON leaderboard_weekly (user_id);
CREATE INDEX idx_leaderboard_weekly_org_points ON leaderboard_weekly (organization_id, points DESC, user_id);

CREATE MATERIALIZED VIEW leaderboard_monthly AS
SELECT u.organization_id, t.user_id, sum(t.points)::bigint AS points
FROM point_transactions t
JOIN users u ON u.id = t.user_id
WHERE t."timestamp" >= date_trunc('month', now()) AND u.organization_id IS NOT NULL
GROUP BY u.organization_id, t.user_id;
COMMENT ON MATERIALIZED VIEW leaderboard_monthly IS
    'Points per user since the 1st of the month 00:00 UTC, per organization. Refreshed by refresh_leaderboards().';
CREATE UNIQUE INDEX uq_leaderboard_monthly_user ON leaderboard_monthly (user_id);
CREATE INDEX idx_leaderboard_monthly_org_points ON leaderboard_monthly (organization_id, points DESC, user_id);

CREATE TABLE leaderboard_refreshes (
    board        text        NOT NULL,
    refreshed_at timestamptz NOT NULL,
    CONSTRAINT pk_leaderboard_refreshes PRIMARY KEY (board),
    CONSTRAINT ck_leaderboard_refreshes_board CHECK (board IN ('weekly', 'monthly'))
);
COMMENT ON TABLE leaderboard_refreshes IS 'When each leaderboard view was last refreshed; every read reports it.';
INSERT INTO leaderboard_refreshes VALUES ('weekly', now()), ('monthly', now());

-- A secret per database, so that anonymous users' pseudonyms cannot be recomputed from their ids.
CREATE TABLE leaderboard_settings (
    id              boolean NOT NULL DEFAULT true,
    pseudonym_salt  text    NOT NULL DEFAULT md5(random()::text || clock_timestamp()::text),
    CONSTRAINT pk_leaderboard_settings PRIMARY KEY (id),
    CONSTRAINT ck_leaderboard_settings_single_row CHECK (id)
);
COMMENT ON TABLE leaderboard_settings IS 'Secret salt of the stable pseudonyms shown for anonymous users.';
INSERT INTO leaderboard_settings DEFAULT VALUES;

REVOKE ALL ON leaderboard_weekly, leaderboard_monthly, leaderboard_refreshes, leaderboard_settings FROM PUBLIC;
GRANT SELECT ON leaderboard_refreshes TO analytics_authenticated, analytics_platform_admin, analytics_service;
GRANT SELECT ON leaderboard_weekly, leaderboard_monthly TO analytics_service;
