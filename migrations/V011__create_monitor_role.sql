-- V011: a role that may read Flyway's history and nothing else, so that a server connected as
-- analytics_app can tell whether the schema is at its own version (GET /ready answers 503
-- until every migration in its jar is applied, e.g. while a DBA has not yet migrated).
--
--   analytics_monitor          NOLOGIN. SELECT on flyway_schema_history; no other privilege.
--                              analytics_app may switch to it (SET ROLE), as to the roles of V006.
--
-- The request roles (analytics_authenticated, analytics_platform_admin, analytics_service) stay
-- without access to the history. Runs as the migrating user, who owns the history table.

DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'analytics_monitor') THEN
        CREATE ROLE analytics_monitor NOLOGIN NOINHERIT NOBYPASSRLS;
    END IF;
END
$$;

GRANT analytics_monitor TO analytics_app;
GRANT USAGE ON SCHEMA ${flyway:defaultSchema} TO analytics_monitor;
GRANT SELECT ON flyway_schema_history TO analytics_monitor;
