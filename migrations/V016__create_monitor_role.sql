-- V016: a role that may read Flyway's history and nothing else, so that a server connected as
-- analytics_app can tell whether the schema is at its own version (GET /ready answers 503
-- until every migration in its jar is applied, e.g. while a DBA has not yet migrated).
--
--   analytics_monitor          NOLOGIN. SELECT on flyway_schema_history; no other privilege.
--                              The serving logins may switch to it (SET ROLE): analytics_app,
--                              and the split logins analytics_app_user and analytics_app_service
--                              where they exist.
--
-- The request roles (analytics_authenticated, analytics_platform_admin, analytics_service) stay
-- without access to the history. Runs as the migrating user, who owns the history table.

DO $$
DECLARE
    login text;
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'analytics_monitor') THEN
        CREATE ROLE analytics_monitor NOLOGIN NOINHERIT NOBYPASSRLS;
    END IF;
    FOR login IN
        SELECT rolname FROM pg_roles WHERE rolname IN ('analytics_app', 'analytics_app_user', 'analytics_app_service')
    LOOP
        EXECUTE format('GRANT analytics_monitor TO %I', login);
    END LOOP;
END
$$;

GRANT USAGE ON SCHEMA ${flyway:defaultSchema} TO analytics_monitor;
GRANT SELECT ON flyway_schema_history TO analytics_monitor;
