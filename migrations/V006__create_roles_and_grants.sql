-- V006: database roles and least-privilege grants. Row-level security policies are in
-- R__210_row_level_security.sql, the identity functions in R__200_identity_functions.sql.
--
-- Roles are cluster-wide, so they are created only when missing: several databases (and
-- test databases) on one server share them. Names are prefixed to stay clear of other
-- applications' roles (Supabase's "authenticated" and "service_role" are left alone).
--
--   analytics_owner            NOLOGIN. Owns the schema and every object; runs migrations
--                              (a DBA runs them as a member of it). Never used for requests.
--   analytics_app              LOGIN. What the service's pool connects as: no superuser, no
--                              BYPASSRLS, owns nothing, NOINHERIT: it has no privilege of its
--                              own and must SET ROLE to one of the three roles below.
--   analytics_authenticated    NOLOGIN. The RLS subject: every user request runs as it, with
--                              the caller's identity in request.jwt.claims.
--   analytics_platform_admin   NOLOGIN. The RLS subject for platform administrators; its
--                              policies check the platform_admin role in user_roles again.
--   analytics_service          NOLOGIN. Ingestion from other services and jobs; used only by
--                              the library's explicit system paths.
-- A password for analytics_app is set by the DBA (ALTER ROLE analytics_app PASSWORD ...).
--
-- Creating roles needs CREATEROLE; running this as a superuser or a Supabase "postgres"
-- works.

DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'analytics_owner') THEN
        CREATE ROLE analytics_owner NOLOGIN;
    END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'analytics_app') THEN
        CREATE ROLE analytics_app LOGIN NOINHERIT NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS;
    END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'analytics_authenticated') THEN
        CREATE ROLE analytics_authenticated NOLOGIN NOBYPASSRLS;
    END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'analytics_platform_admin') THEN
        CREATE ROLE analytics_platform_admin NOLOGIN NOBYPASSRLS;
    END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'analytics_service') THEN
        CREATE ROLE analytics_service NOLOGIN NOBYPASSRLS;
    END IF;
END
$$;

GRANT analytics_authenticated, analytics_platform_admin, analytics_service TO analytics_app;
-- The migrating user must be able to act as the owner (later migrations SET ROLE to it).
DO $$
BEGIN
    IF current_user <> 'analytics_owner' AND NOT pg_has_role(current_user, 'analytics_owner', 'MEMBER') THEN
        EXECUTE format('GRANT analytics_owner TO %I', current_user);
    END IF;
END
$$;

-- The owner takes over the schema and everything in it. Flyway's history table stays with
-- the migrating user (Flyway holds a lock on it while migrating); the owner may write it,
-- since later migrations run as the owner and Flyway records them in the same transaction.
GRANT SELECT, INSERT, UPDATE, DELETE ON flyway_schema_history TO analytics_owner;
ALTER SCHEMA ${flyway:defaultSchema} OWNER TO analytics_owner;
DO $$
DECLARE
    object record;
BEGIN
    FOR object IN
        SELECT c.relname FROM pg_class c
        WHERE c.relnamespace = '${flyway:defaultSchema}'::regnamespace AND c.relkind IN ('r', 'p', 'v', 'm', 'S')
          AND c.relname <> 'flyway_schema_history'
    LOOP
        EXECUTE format('ALTER TABLE %I.%I OWNER TO analytics_owner', '${flyway:defaultSchema}', object.relname);
    END LOOP;
    FOR object IN
        SELECT p.oid::regprocedure AS signature FROM pg_proc p
        WHERE p.pronamespace = '${flyway:defaultSchema}'::regnamespace
    LOOP
        EXECUTE format('ALTER FUNCTION %s OWNER TO analytics_owner', object.signature);
    END LOOP;
END
$$;

-- Nothing for PUBLIC: not the schema, not functions (PostgreSQL grants EXECUTE to PUBLIC
-- by default, also for functions created later).
REVOKE ALL ON SCHEMA ${flyway:defaultSchema} FROM PUBLIC;
REVOKE ALL ON ALL TABLES IN SCHEMA ${flyway:defaultSchema} FROM PUBLIC;
REVOKE EXECUTE ON ALL FUNCTIONS IN SCHEMA ${flyway:defaultSchema} FROM PUBLIC;
ALTER DEFAULT PRIVILEGES FOR ROLE analytics_owner IN SCHEMA ${flyway:defaultSchema} REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;

GRANT USAGE ON SCHEMA ${flyway:defaultSchema} TO analytics_authenticated, analytics_platform_admin, analytics_service;

-- Users read what row-level security lets them see; the only thing they write themselves is
-- their own preferences. Ledger, totals, achievements, analytics and ingested data are
-- written on service paths only; nobody can change their own roles or organization.
GRANT SELECT ON
    organizations, users, user_roles, courses, enrollments, skills, user_skills,
    learner_velocity_analytics, skill_gap_analytics, engagement_analytics, mastery_analytics,
    performance_analytics, content_effectiveness_analytics,
    user_points, point_transactions, achievements, user_achievements, daily_activity,
    predictive_analytics_cache, user_preferences
    TO analytics_authenticated, analytics_platform_admin;
GRANT INSERT, UPDATE ON user_preferences TO analytics_authenticated, analytics_platform_admin;

GRANT SELECT, INSERT, UPDATE, DELETE ON
    organizations, users, user_roles, courses, enrollments, skills, user_skills,
    learner_velocity_analytics, skill_gap_analytics, engagement_analytics, mastery_analytics,
    performance_analytics, content_effectiveness_analytics,
    user_points, point_transactions, achievements, user_achievements, daily_activity,
    predictive_analytics_cache, user_preferences
    TO analytics_service;

GRANT EXECUTE ON FUNCTION set_updated_at() TO analytics_authenticated, analytics_platform_admin, analytics_service;
