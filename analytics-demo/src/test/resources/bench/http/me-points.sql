-- GET /v1/me/points as the library sends it for a user whose principal is not cached:
-- the principal look-up, then Points.summary -> Transactions.asUser (round trip 1: BEGIN and the user set-up
-- with the caller's claims; round trip 2: the query; round trip 3: COMMIT).
-- Where the library binds the user id or the claims, the statement looks them up in bench.http_users.
-- HttpBenchmark checks this against what the server sends (PostgreSQL's statement log).
\set n random(1, :users)
-- TODO when the library's principal look-up lands (AnalyticsDb.principal, wired in AnalyticsServer): put its
-- transaction here, as `scripts/bench http -Dbench.endpoints=weekly,me-points` prints it (the check fails until then).
\startpipeline
BEGIN;
SET LOCAL statement_timeout = '5000ms';
SET TRANSACTION READ WRITE;
SELECT set_config('search_path', 'pg_catalog, pg_temp', true), set_config('request.jwt.claims', (SELECT claims FROM bench.http_users WHERE n = :n), true), set_config('role', 'analytics_authenticated', true), set_config('lock_timeout', '2000ms', true);
\endpipeline
-- TODO: Points.summary's jOOQ query, as the SQL check prints it (user id bound -> (SELECT user_id FROM bench.http_users WHERE n = :n))
SELECT 1;
COMMIT;
