-- V014: two more login roles, so that the user path's login cannot become the service.
--
-- analytics_app (V006) is a member of all three request roles: one login for the whole
-- server, as in PostgREST and Supabase. Any SQL injection on a user path could then
-- SET ROLE analytics_service and read or write every tenant. A deployment that wants the
-- paths apart gives the library two pools (README: Security model):
--   analytics_app_user      LOGIN. Member of analytics_authenticated and
--                           analytics_platform_admin only: user requests.
--   analytics_app_service   LOGIN. Member of analytics_service only: ingestion, awards
--                           from other services, jobs.
-- Both are NOINHERIT, no superuser, no BYPASSRLS, and own nothing, like analytics_app. The
-- DBA gives them passwords (ALTER ROLE ... PASSWORD ...). With only analytics_app
-- configured, nothing changes.
--
-- Runs as the migrating user, not as the owner: creating roles needs CREATEROLE, which the
-- owner does not have. Roles are cluster-wide: existing ones are kept.

DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'analytics_app_user') THEN
        CREATE ROLE analytics_app_user LOGIN NOINHERIT NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS;
    END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'analytics_app_service') THEN
        CREATE ROLE analytics_app_service LOGIN NOINHERIT NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS;
    END IF;
END
$$;
COMMENT ON ROLE analytics_app_user IS 'Login of the user path: may become analytics_authenticated or analytics_platform_admin only.';
COMMENT ON ROLE analytics_app_service IS 'Login of the service path: may become analytics_service only.';

GRANT analytics_authenticated, analytics_platform_admin TO analytics_app_user;
GRANT analytics_service TO analytics_app_service;
