-- GET /v1/me/points as the library sends it for a user whose principal is not cached:
-- the principal look-up, then Points.summary -> Transactions.asUser (round trip 1: BEGIN and the user set-up
-- with the caller's claims; round trip 2: the query; round trip 3: COMMIT).
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
\endpipeline
select "analytics"."user_points"."user_id", "analytics"."user_points"."total_points", "analytics"."user_points"."current_level", "analytics"."current_streak_today"("p_current_streak" := "analytics"."user_points"."current_streak", "p_last_activity_date" := "analytics"."user_points"."last_activity_date", "p_time_zone" := "analytics"."user_preferences"."time_zone"), "analytics"."user_points"."longest_streak" from "analytics"."user_points" left outer join "analytics"."user_preferences" on "analytics"."user_preferences"."user_id" = "analytics"."user_points"."user_id" where "analytics"."user_points"."user_id" = cast((SELECT user_id FROM bench.http_users WHERE n = :n) as uuid);
COMMIT;
