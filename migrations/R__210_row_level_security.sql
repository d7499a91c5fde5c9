-- Row-level security on every table of the schema: enabled and FORCED (the owner too is
-- subject to it), with policies scoped TO the roles they are for. Re-created as a whole
-- whenever this file changes.
--
-- Who sees what (the seed's three rules, plus platform admins):
--   analytics_authenticated   rows of the users in visible_user_ids(): self; the learners
--                             enrolled in courses they train (trainer role, and trainer,
--                             course and learner in one organization); everyone in their
--                             organization when they are org_admin.
--   analytics_platform_admin  everything, once is_platform_admin() confirms the role in
--                             user_roles. A separate subject role rather than an OR in one
--                             policy: "user_id = ANY(...) OR is_admin" cannot use an index,
--                             and would make every learner's query a sequential scan.
--   analytics_service,        everything, read and write (explicit system paths; the owner
--   analytics_owner           also runs the SECURITY DEFINER helpers).
-- Users write nothing but their own preferences. Reference tables (skills, achievements)
-- are readable by all.
-- Materialized views get no grant to the subject roles: RLS cannot apply to them.
-- Partitions (learning_events_*, point_transactions_*) get no policy and no grant: only the
-- owner reaches them directly; everyone else goes through the parent, whose policies apply.
-- Archived months (schema analytics_archive, V037) are not granted to users at all.
--
-- Fix of the seed: its policies ran "user_id IN (SELECT ... WHERE c.trainer_id = auth.uid())"
-- per row; here the caller's identity and visible set are computed once per query
-- ((SELECT fn()) becomes an InitPlan) and "user_id = ANY(array)" uses the user_id indexes.

SET LOCAL ROLE analytics_owner;
DO $$
BEGIN
    IF current_user <> 'analytics_owner' THEN
        RAISE EXCEPTION 'R__210_row_level_security must run as analytics_owner inside a transaction (as Flyway runs it), not as %', current_user
            USING HINT = 'SET LOCAL ROLE has no effect outside a transaction: objects would be owned by the wrong role.';
    END IF;
END
$$;

DO $$
DECLARE
    policy record;
    per_user record;
BEGIN
    FOR policy IN SELECT policyname, tablename FROM pg_policies WHERE schemaname = '${flyway:defaultSchema}' LOOP
        EXECUTE format('DROP POLICY %I ON %I', policy.policyname, policy.tablename);
    END LOOP;

    -- Tables whose rows belong to one user, by the column that names the user.
    FOR per_user IN SELECT * FROM (VALUES
            ('users', 'id'),
            ('user_roles', 'user_id'),
            ('enrollments', 'user_id'),
            ('user_skills', 'user_id'),
            ('learner_velocity_analytics', 'user_id'),
            ('skill_gap_analytics', 'user_id'),
            ('engagement_analytics', 'user_id'),
            ('mastery_analytics', 'user_id'),
            ('performance_analytics', 'user_id'),
            ('content_effectiveness_analytics', 'user_id'),
            ('user_points', 'user_id'),
            ('point_transactions', 'user_id'),
            ('learning_events', 'user_id'),
            ('user_achievements', 'user_id'),
            ('daily_activity', 'user_id'),
            ('predictive_analytics_cache', 'user_id'),
            ('user_preferences', 'user_id')) AS t(name, user_column)
    LOOP
        EXECUTE format('CREATE POLICY %I ON %I FOR SELECT TO analytics_authenticated USING (%I = ANY ((SELECT visible_user_ids())::uuid[]))',
                       per_user.name || '_select_visible', per_user.name, per_user.user_column);
        EXECUTE format('COMMENT ON POLICY %I ON %I IS %L', per_user.name || '_select_visible', per_user.name,
                       'Users read rows of themselves, their trainees, and their organization if org_admin.');
    END LOOP;
END
$$;

CREATE POLICY organizations_select_own ON organizations FOR SELECT TO analytics_authenticated
    USING (id = (SELECT current_organization_id()));
COMMENT ON POLICY organizations_select_own ON organizations IS 'Users read their own organization.';

-- Not "OR trainer_id = me": a trainer who moved to another organization must not keep
-- reading the old one's courses.
CREATE POLICY courses_select_own_organization ON courses FOR SELECT TO analytics_authenticated
    USING (organization_id = (SELECT current_organization_id()));
COMMENT ON POLICY courses_select_own_organization ON courses IS
    'Users read the courses of their own organization.';

CREATE POLICY user_preferences_insert_own ON user_preferences FOR INSERT
    TO analytics_authenticated, analytics_platform_admin
    WITH CHECK (user_id = (SELECT current_user_id()));
COMMENT ON POLICY user_preferences_insert_own ON user_preferences IS 'Users create only their own preferences.';

CREATE POLICY user_preferences_update_own ON user_preferences FOR UPDATE
    TO analytics_authenticated, analytics_platform_admin
    USING (user_id = (SELECT current_user_id()))
    WITH CHECK (user_id = (SELECT current_user_id()));
COMMENT ON POLICY user_preferences_update_own ON user_preferences IS 'Users change only their own preferences.';

DO $$
DECLARE
    t text;
BEGIN
    FOR t IN
        SELECT c.relname FROM pg_class c
        WHERE c.relnamespace = '${flyway:defaultSchema}'::regnamespace AND c.relkind IN ('r', 'p')
          AND c.relname <> 'flyway_schema_history'
          AND NOT c.relispartition -- partitions are reached through their parent, whose policies apply
    LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
        EXECUTE format('CREATE POLICY %I ON %I FOR SELECT TO analytics_platform_admin USING ((SELECT is_platform_admin()))',
                       t || '_select_platform_admin', t);
        EXECUTE format('COMMENT ON POLICY %I ON %I IS %L', t || '_select_platform_admin', t,
                       'Platform admins read everything, once user_roles confirms the role.');
        EXECUTE format('CREATE POLICY %I ON %I FOR ALL TO analytics_service, analytics_owner USING (true) WITH CHECK (true)',
                       t || '_service_all', t);
        EXECUTE format('COMMENT ON POLICY %I ON %I IS %L', t || '_service_all', t,
                       'Service paths (ingestion, jobs) and the owner''s SECURITY DEFINER helpers see and write everything.');
    END LOOP;
END
$$;

CREATE POLICY skills_select_all ON skills FOR SELECT TO analytics_authenticated USING (true);

-- What a course teaches is visible with the course (courses' own policy applies in the subquery).
CREATE POLICY course_skills_select_visible_course ON course_skills FOR SELECT TO analytics_authenticated
    USING (course_id IN (SELECT id FROM courses));
COMMENT ON POLICY skills_select_all ON skills IS 'Reference data: every user reads the skill catalogue.';
CREATE POLICY achievements_select_all ON achievements FOR SELECT TO analytics_authenticated USING (true);
COMMENT ON POLICY achievements_select_all ON achievements IS 'Reference data: every user reads the achievement catalogue.';
CREATE POLICY activity_rules_select_all ON activity_rules FOR SELECT TO analytics_authenticated USING (true);
COMMENT ON POLICY activity_rules_select_all ON activity_rules IS 'Every user may read the rules: points per activity and caps.';
CREATE POLICY level_curve_select_all ON level_curve FOR SELECT TO analytics_authenticated USING (true);
COMMENT ON POLICY level_curve_select_all ON level_curve IS 'Every user may read the level curve.';
CREATE POLICY leaderboard_refreshes_select_all ON leaderboard_refreshes FOR SELECT TO analytics_authenticated USING (true);
COMMENT ON POLICY leaderboard_refreshes_select_all ON leaderboard_refreshes IS 'Every user may see when boards were refreshed.';
