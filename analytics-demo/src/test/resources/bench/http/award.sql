-- POST /v1/awards as the library sends it (Awards.award -> Transactions.asServiceQuery), one transaction:
-- round trip 1: BEGIN, the service set-up and the award_points() call; round trip 2: COMMIT.
-- Where the library binds the user id, the statement looks it up in bench.http_users (n random).
-- HttpBenchmark checks this against what the server sends (PostgreSQL's statement log).
\set n random(1, :users)
\set key random(1, 9000000000000000000)
\startpipeline
BEGIN;
SET TRANSACTION READ WRITE;
SELECT set_config('search_path', 'pg_catalog, pg_temp', true), set_config('role', 'analytics_service', true);
SELECT r.* FROM analytics.award_points((SELECT user_id FROM bench.http_users WHERE n = :n)::uuid, 'bench_activity'::text, :key::text, NULL::integer, NULL::jsonb, NULL::timestamptz) r;
\endpipeline
COMMIT;
