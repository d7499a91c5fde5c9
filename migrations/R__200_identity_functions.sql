-- Identity inside SQL: who the caller is and which users they may see. Row-level security
-- policies (R__210) call these; they are re-created whenever this file changes.
--
-- The caller is read from the PostgREST-compatible, transaction-local setting
-- request.jwt.claims (its "sub"), so the same policies work behind PostgREST or Supabase.
-- Supabase's own auth.uid() lives in schema "auth" and is not touched.
--
-- The "which users may I see" helpers are SECURITY DEFINER with a pinned search_path: they
-- read users, user_roles, courses and enrollments as the owner, so policies do not recurse
-- through those tables' own policies, and policies call them once per query as
-- (SELECT fn()). The seed's literal policies ran their subqueries for every row.
-- They are PL/pgSQL, not SQL: PL/pgSQL keeps each statement's plan for the session, while a
-- non-inlined SQL function is planned again on every call (measured: ~1 ms of planning
-- against ~0.1 ms of execution for a learner).

SET LOCAL ROLE analytics_owner;
DO $$
BEGIN
    IF current_user <> 'analytics_owner' THEN
        RAISE EXCEPTION 'R__200_identity_functions must run as analytics_owner inside a transaction (as Flyway runs it), not as %', current_user
            USING HINT = 'SET LOCAL ROLE has no effect outside a transaction: objects would be owned by the wrong role.';
    END IF;
END
$$;

-- PL/pgSQL, with a pinned search_path: a function that policies call must not resolve
-- operators or types through the caller's search_path. (A pinned SQL function is no longer
-- inlined and was planned again at every call: RLS reads cost 1.4x-1.9x their baseline.)
CREATE OR REPLACE FUNCTION current_user_id() RETURNS uuid
    LANGUAGE plpgsql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    -- After a transaction that set the claims locally ends, the setting survives on the
    -- connection as '' (not NULL): both mean "no caller".
    RETURN nullif(nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'sub', '')::uuid;
END
$$;
COMMENT ON FUNCTION current_user_id() IS
    'The calling user''s id (request.jwt.claims ->> ''sub''), or NULL when no caller is set.';

CREATE OR REPLACE FUNCTION visible_user_ids() RETURNS uuid[]
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path = ${flyway:defaultSchema}, pg_temp
AS $$
DECLARE
    caller uuid := current_user_id(); -- once: the query below would call it four times
BEGIN
    IF caller IS NULL THEN
        RETURN '{}';
    END IF;
    RETURN (SELECT coalesce(array_agg(DISTINCT visible.id), '{}')
    FROM (
        -- a user sees themselves
        SELECT caller AS id
        UNION ALL
        -- a trainer sees the learners enrolled in the courses they train, when they hold the
        -- trainer role and trainer, course and learner are in the same organization (a
        -- trainer or learner who moved to another organization is out of sight at once,
        -- even while the course service still names the trainer)
        SELECT e.user_id
        FROM users me
        JOIN courses c ON c.trainer_id = me.id AND c.organization_id = me.organization_id
        JOIN enrollments e ON e.course_id = c.id
        JOIN users learner ON learner.id = e.user_id AND learner.organization_id = me.organization_id
        WHERE me.id = caller
          AND EXISTS (SELECT 1 FROM user_roles r WHERE r.user_id = me.id AND r.role = 'trainer')
        UNION ALL
        -- an org admin sees everyone in their organization
        SELECT u.id
        FROM users u
        WHERE u.organization_id = (SELECT me.organization_id FROM users me WHERE me.id = caller)
          AND EXISTS (SELECT 1 FROM user_roles r WHERE r.user_id = caller AND r.role = 'org_admin')
    ) visible);
END
$$;
COMMENT ON FUNCTION visible_user_ids() IS
    'Ids of the users the caller may see: themselves, their trainees (same organization, trainer role), and their'
    ' organization if they are org_admin.';

CREATE OR REPLACE FUNCTION is_platform_admin() RETURNS boolean
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path = ${flyway:defaultSchema}, pg_temp
AS $$
BEGIN
    RETURN EXISTS (SELECT 1 FROM user_roles WHERE user_id = current_user_id() AND role = 'platform_admin');
END
$$;
COMMENT ON FUNCTION is_platform_admin() IS 'Whether the caller holds the platform_admin role in user_roles.';

CREATE OR REPLACE FUNCTION current_organization_id() RETURNS uuid
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path = ${flyway:defaultSchema}, pg_temp
AS $$
BEGIN
    RETURN (SELECT organization_id FROM users WHERE id = current_user_id());
END
$$;
COMMENT ON FUNCTION current_organization_id() IS 'The caller''s organization, or NULL.';

-- The caller's own organization and roles, for resolving a verified token's subject to a
-- principal (AnalyticsDb.principal) on every request. Reading users and user_roles under RLS
-- would say the same, but each of their policies computes visible_user_ids() once per query:
-- for an org admin of the largest benchmark organization that was ~9 ms per policy, 19 ms a
-- look-up. This reads the caller's own rows only, which RLS would let them read anyway.
CREATE OR REPLACE FUNCTION current_principal() RETURNS TABLE (organization_id uuid, roles text[])
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path = ${flyway:defaultSchema}, pg_temp
AS $$
DECLARE
    caller uuid := current_user_id();
BEGIN
    RETURN QUERY
    SELECT u.organization_id,
           coalesce((SELECT array_agg(r.role ORDER BY r.role) FROM user_roles r WHERE r.user_id = u.id), '{}')
    FROM users u
    WHERE u.id = caller;
END
$$;
COMMENT ON FUNCTION current_principal() IS
    'The caller''s organization and roles (user_roles.role values); no row when the caller is not a user.';

REVOKE EXECUTE ON FUNCTION current_user_id(), visible_user_ids(), is_platform_admin(), current_organization_id(), current_principal()
    FROM PUBLIC;
GRANT EXECUTE ON FUNCTION current_user_id(), visible_user_ids(), is_platform_admin(), current_organization_id()
    TO analytics_authenticated, analytics_platform_admin, analytics_service;
GRANT EXECUTE ON FUNCTION current_principal() TO analytics_authenticated, analytics_platform_admin;
