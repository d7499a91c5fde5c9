-- GET /v1/leaderboards/weekly?limit=50 as the library sends it for a user whose principal is not cached:
-- the principal look-up, then Leaderboards.page -> Transactions.asUserQuery (round trip 1: BEGIN, the user
-- set-up with the caller's claims, and the page; round trip 2: COMMIT).
-- Where the library binds the user id or the claims, the statement looks them up in bench.http_users.
-- HttpBenchmark checks this against what the server sends (PostgreSQL's statement log).
\set n random(1, :users)
-- The principal look-up (AnalyticsDb.principal), one transaction: the caller's id only, no organization or roles.
\startpipeline
BEGIN;
SET LOCAL statement_timeout = '5000ms';
SET TRANSACTION READ WRITE;
SELECT set_config('search_path', 'pg_catalog, pg_temp', true), set_config('request.jwt.claims', (SELECT lookup_claims FROM bench.http_users WHERE n = :n), true), set_config('role', 'analytics_authenticated', true), set_config('lock_timeout', '2000ms', true);
SELECT organization_id, roles FROM analytics.current_principal();
\endpipeline
COMMIT;
-- The request itself.
\startpipeline
BEGIN;
SET LOCAL statement_timeout = '5000ms';
SET TRANSACTION READ WRITE;
SELECT set_config('search_path', 'pg_catalog, pg_temp', true), set_config('request.jwt.claims', (SELECT claims FROM bench.http_users WHERE n = :n), true), set_config('role', 'analytics_authenticated', true), set_config('lock_timeout', '2000ms', true);
SELECT * FROM analytics.leaderboard_page('weekly'::text, '50'::integer, NULL::bigint, NULL::bigint);
\endpipeline
COMMIT;
