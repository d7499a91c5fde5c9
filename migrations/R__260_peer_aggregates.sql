-- Refreshing, publishing and reading the aggregates of V035 (peer comparison, skill demand).
--
-- refresh_aggregate('peer_comparison' | 'skill_demand') (service path, a daily job): refresh the
-- raw view CONCURRENTLY (readers are never blocked), then publish it cell by cell:
--   * a cell that is new gets its figures;
--   * a cell whose membership changed in at least aggregate_min_learners() members (joined,
--     left, or a changed input value) since its figures were computed gets new figures;
--   * any other cell keeps the figures it shows (values_as_of says from when);
--   * a cell that fell under the minimum is withdrawn (published = false) and remembers the
--     membership of its figures, so coming back nearly unchanged shows the same figures.
-- Figures are rounded (velocity to 0.1 %/week, scores and mastery to whole points and 0.1),
-- and peer sample sizes are shown in bands (10-19, 20-49, 50-99, 100-499, 500+).
--
-- Readers: peer_comparison_for_me() and skill_demand_page() read the published tables for
-- the caller's own organization (from users, never a parameter); skill demand adds the
-- platform-wide rows. Users have no other access to the views or tables.

SET LOCAL ROLE analytics_owner;
DO $$
BEGIN
    IF current_user <> 'analytics_owner' THEN
        RAISE EXCEPTION 'R__260_peer_aggregates must run as analytics_owner inside a transaction (as Flyway runs it), not as %', current_user
            USING HINT = 'SET LOCAL ROLE has no effect outside a transaction: objects would be owned by the wrong role.';
    END IF;
END
$$;

DROP FUNCTION IF EXISTS peer_comparison_for_me();
DROP FUNCTION IF EXISTS skill_demand_page(integer, text, date, text);

CREATE OR REPLACE FUNCTION peer_sample_band(p_learners integer, OUT at_least integer, OUT at_most integer)
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    SELECT CASE WHEN p_learners < 20 THEN 10 WHEN p_learners < 50 THEN 20 WHEN p_learners < 100 THEN 50
                WHEN p_learners < 500 THEN 100 ELSE 500 END,
           CASE WHEN p_learners < 20 THEN 19 WHEN p_learners < 50 THEN 49 WHEN p_learners < 100 THEN 99
                WHEN p_learners < 500 THEN 499 END
$$;
COMMENT ON FUNCTION peer_sample_band(integer) IS
    'The band a published peer sample size is shown in: 10-19, 20-49, 50-99, 100-499, 500 or more (at_most NULL).';

CREATE OR REPLACE FUNCTION publish_peer_comparison() RETURNS void
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = ${flyway:defaultSchema}, pg_temp
AS $$
DECLARE
    k integer := aggregate_min_learners();
BEGIN
    UPDATE peer_comparison_published p SET published = false, checked_at = now()
    WHERE NOT EXISTS (SELECT 1 FROM peer_comparison_aggregates a
                      WHERE a.organization_id = p.organization_id AND a.competency_level = p.competency_level);

    UPDATE peer_comparison_published p
    SET published = true,
        checked_at = now(),
        learners = CASE WHEN c.renew THEN c.learners ELSE p.learners END,
        velocity_learners = CASE WHEN c.renew THEN c.velocity_learners ELSE p.velocity_learners END,
        avg_velocity = CASE WHEN c.renew THEN c.avg_velocity ELSE p.avg_velocity END,
        median_velocity = CASE WHEN c.renew THEN c.median_velocity ELSE p.median_velocity END,
        score_learners = CASE WHEN c.renew THEN c.score_learners ELSE p.score_learners END,
        avg_score = CASE WHEN c.renew THEN c.avg_score ELSE p.avg_score END,
        members = CASE WHEN c.renew THEN c.members ELSE p.members END,
        values_as_of = CASE WHEN c.renew THEN now() ELSE p.values_as_of END
    FROM (SELECT a.organization_id, a.competency_level, a.learners, a.velocity_learners,
                 CASE WHEN a.velocity_learners >= k THEN round(a.avg_velocity, 1) END AS avg_velocity,
                 CASE WHEN a.velocity_learners >= k THEN round(a.median_velocity::numeric, 1) END AS median_velocity,
                 a.score_learners,
                 CASE WHEN a.score_learners >= k THEN round(a.avg_score, 0) END AS avg_score,
                 a.members,
                 aggregate_membership_changes(a.members, q.members) >= k AS renew
          FROM peer_comparison_aggregates a
          JOIN peer_comparison_published q ON q.organization_id = a.organization_id AND q.competency_level = a.competency_level) c
    WHERE p.organization_id = c.organization_id AND p.competency_level = c.competency_level;

    INSERT INTO peer_comparison_published (organization_id, competency_level, published, learners, velocity_learners, avg_velocity,
                                           median_velocity, score_learners, avg_score, members, values_as_of, checked_at)
    SELECT a.organization_id, a.competency_level, true, a.learners, a.velocity_learners,
           CASE WHEN a.velocity_learners >= k THEN round(a.avg_velocity, 1) END,
           CASE WHEN a.velocity_learners >= k THEN round(a.median_velocity::numeric, 1) END,
           a.score_learners,
           CASE WHEN a.score_learners >= k THEN round(a.avg_score, 0) END,
           a.members, now(), now()
    FROM peer_comparison_aggregates a
    WHERE NOT EXISTS (SELECT 1 FROM peer_comparison_published p
                      WHERE p.organization_id = a.organization_id AND p.competency_level = a.competency_level)
      -- an organization deleted since the refresh has nothing to publish
      AND EXISTS (SELECT 1 FROM organizations o WHERE o.id = a.organization_id);
END
$$;
COMMENT ON FUNCTION publish_peer_comparison() IS
    'Publishes the refreshed peer cells: new figures only for new cells or cells with >= 10 changed members (see file header).';

CREATE OR REPLACE FUNCTION publish_skill_demand() RETURNS void
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = ${flyway:defaultSchema}, pg_temp
AS $$
DECLARE
    k integer := aggregate_min_learners();
BEGIN
    UPDATE skill_demand_published p SET published = false, checked_at = now()
    WHERE NOT EXISTS (SELECT 1 FROM skill_demand_aggregates a
                      WHERE a.scope = p.scope AND a.skill_id = p.skill_id AND a.month = p.month);

    UPDATE skill_demand_published p
    SET published = true,
        checked_at = now(),
        learners = CASE WHEN c.renew THEN c.learners ELSE p.learners END,
        mean_mastery = CASE WHEN c.renew THEN c.mean_mastery ELSE p.mean_mastery END,
        members = CASE WHEN c.renew THEN c.members ELSE p.members END,
        values_as_of = CASE WHEN c.renew THEN now() ELSE p.values_as_of END
    FROM (SELECT a.scope, a.skill_id, a.month, a.learners, round(a.mean_mastery, 1) AS mean_mastery, a.members,
                 aggregate_membership_changes(a.members, q.members) >= k AS renew
          FROM skill_demand_aggregates a
          JOIN skill_demand_published q ON q.scope = a.scope AND q.skill_id = a.skill_id AND q.month = a.month) c
    WHERE p.scope = c.scope AND p.skill_id = c.skill_id AND p.month = c.month;

    INSERT INTO skill_demand_published (scope, organization_id, skill_id, month, published, learners, mean_mastery, members,
                                        values_as_of, checked_at)
    SELECT a.scope, a.organization_id, a.skill_id, a.month, true, a.learners, round(a.mean_mastery, 1), a.members, now(), now()
    FROM skill_demand_aggregates a
    WHERE NOT EXISTS (SELECT 1 FROM skill_demand_published p WHERE p.scope = a.scope AND p.skill_id = a.skill_id AND p.month = a.month)
      AND (a.organization_id IS NULL OR EXISTS (SELECT 1 FROM organizations o WHERE o.id = a.organization_id))
      AND EXISTS (SELECT 1 FROM skills s WHERE s.id = a.skill_id);
END
$$;
COMMENT ON FUNCTION publish_skill_demand() IS
    'Publishes the refreshed skill demand cells: new figures only for new cells or cells with >= 10 changed members.';

-- One refresh per aggregate, each its own transaction in the library (the views are independent).
CREATE OR REPLACE FUNCTION refresh_aggregate(p_aggregate text) RETURNS void
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = ${flyway:defaultSchema}, pg_temp
    SET TimeZone = 'UTC'
AS $$
BEGIN
    -- CONCURRENTLY: readers keep reading the published tables (and the view) meanwhile.
    CASE p_aggregate
        WHEN 'peer_comparison' THEN
            REFRESH MATERIALIZED VIEW CONCURRENTLY peer_comparison_aggregates;
            PERFORM publish_peer_comparison();
        WHEN 'skill_demand' THEN
            REFRESH MATERIALIZED VIEW CONCURRENTLY skill_demand_aggregates;
            PERFORM publish_skill_demand();
        ELSE RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = format('no aggregate "%s"', p_aggregate);
    END CASE;
    UPDATE aggregate_refreshes SET refreshed_at = now() WHERE aggregate = p_aggregate;
END
$$;
COMMENT ON FUNCTION refresh_aggregate(text) IS
    'Refreshes one aggregate view (peer_comparison or skill_demand) concurrently and publishes it (service path, e.g. daily).';

-- The caller against the published cell of their organization and level. No row when the
-- caller has no organization; a row with a NULL level when they have no mastery yet; the
-- peer columns are NULL while the cell is not published (fewer than 10 learners).
-- The caller's own figures are their own latest unexpired rows (readable by them anyway).
CREATE OR REPLACE FUNCTION peer_comparison_for_me()
    RETURNS TABLE (competency_level text, my_mean_mastery numeric, my_velocity numeric, my_avg_score numeric,
                   published boolean, learners_at_least integer, learners_at_most integer,
                   avg_velocity numeric, median_velocity numeric, avg_score numeric,
                   values_as_of timestamptz, refreshed_at timestamptz)
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path = ${flyway:defaultSchema}, pg_temp
AS $$
DECLARE
    me  uuid := current_user_id();
    org uuid := (SELECT u.organization_id FROM users u WHERE u.id = me);
    mean_mastery numeric;
    my_level text;
BEGIN
    IF org IS NULL THEN
        RETURN;
    END IF;
    mean_mastery := (SELECT avg(us.mastery_level) FROM user_skills us WHERE us.user_id = me);
    my_level := peer_competency_level(mean_mastery);
    RETURN QUERY
    SELECT my_level, round(mean_mastery, 2),
           (SELECT latest.current_pace FROM (SELECT v.current_pace, v.result_status FROM learner_velocity_analytics v
                                             WHERE v.user_id = me AND v.expires_at > now()
                                             ORDER BY v.calculated_at DESC, v.id LIMIT 1) latest
            WHERE latest.result_status = 'ok'),
           (SELECT latest.avg_score FROM (SELECT p.avg_score, p.assessments_taken, p.result_status FROM performance_analytics p
                                          WHERE p.user_id = me AND p.expires_at > now()
                                          ORDER BY p.calculated_at DESC, p.id LIMIT 1) latest
            WHERE latest.result_status = 'ok' AND latest.assessments_taken > 0),
           coalesce(c.published, false),
           b.at_least, b.at_most,
           c.avg_velocity, c.median_velocity, c.avg_score,
           c.values_as_of,
           (SELECT r.refreshed_at FROM aggregate_refreshes r WHERE r.aggregate = 'peer_comparison')
    FROM (SELECT 1) one
    LEFT JOIN peer_comparison_published c ON c.organization_id = org AND c.competency_level = my_level AND c.published
    LEFT JOIN LATERAL peer_sample_band(c.learners) b ON c.published;
END
$$;
COMMENT ON FUNCTION peer_comparison_for_me() IS
    'The caller''s level and own figures against the published peer cell of their organization and level.';

-- Skill demand of the caller's organization with the platform-wide figures, one row per skill
-- and month that has either, newest month first, then by skill id; the page after
-- (p_after_month, p_after_skill) when given. Growth is against the previous calendar month of
-- the same scope, NULL when that month is not published (no learners, or fewer than 10).
CREATE OR REPLACE FUNCTION skill_demand_page(p_limit integer, p_skill text DEFAULT NULL, p_after_month date DEFAULT NULL,
                                             p_after_skill text DEFAULT NULL)
    RETURNS TABLE (skill_id text, skill_name text, month date,
                   organization_learners integer, organization_mean_mastery numeric, organization_growth numeric,
                   platform_learners integer, platform_mean_mastery numeric, platform_growth numeric,
                   refreshed_at timestamptz)
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path = ${flyway:defaultSchema}, pg_temp
AS $$
DECLARE
    org_scope text := (SELECT u.organization_id::text FROM users u WHERE u.id = current_user_id());
BEGIN
    IF p_limit IS NULL OR p_limit < 1 OR p_limit > 500 THEN
        RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = 'limit must be between 1 and 500';
    END IF;
    IF (p_after_month IS NULL) <> (p_after_skill IS NULL) THEN
        RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = 'malformed cursor';
    END IF;
    RETURN QUERY
    WITH cell AS (
        SELECT d.scope, d.skill_id, d.month, d.learners, d.mean_mastery,
               CASE WHEN prev.published THEN round((d.learners - prev.learners) * 100.0 / prev.learners, 1) END AS growth
        FROM skill_demand_published d
        LEFT JOIN skill_demand_published prev
               ON prev.scope = d.scope AND prev.skill_id = d.skill_id AND prev.month = (d.month - interval '1 month')::date
        WHERE d.published AND (d.scope = 'platform' OR d.scope = org_scope)
          AND (p_skill IS NULL OR d.skill_id = p_skill)
          AND (p_after_month IS NULL OR d.month < p_after_month OR (d.month = p_after_month AND d.skill_id > p_after_skill))
    ), key AS (
        SELECT DISTINCT cell.skill_id, cell.month FROM cell
        ORDER BY cell.month DESC, cell.skill_id LIMIT p_limit
    )
    SELECT k.skill_id, s.name, k.month, o.learners, o.mean_mastery, o.growth, p.learners, p.mean_mastery, p.growth,
           (SELECT r.refreshed_at FROM aggregate_refreshes r WHERE r.aggregate = 'skill_demand')
    FROM key k
    JOIN skills s ON s.id = k.skill_id
    LEFT JOIN cell o ON o.scope = org_scope AND o.skill_id = k.skill_id AND o.month = k.month
    LEFT JOIN cell p ON p.scope = 'platform' AND p.skill_id = k.skill_id AND p.month = k.month
    ORDER BY k.month DESC, k.skill_id;
END
$$;
COMMENT ON FUNCTION skill_demand_page(integer, text, date, text) IS
    'Published skill demand of the caller''s organization and platform-wide, per skill and month, keyset-paginated.';

-- When a refresh date is needed without rows (an empty page).
CREATE OR REPLACE FUNCTION aggregate_refreshed_at(p_aggregate text) RETURNS timestamptz
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = ${flyway:defaultSchema}, pg_temp
AS $$
    SELECT r.refreshed_at FROM aggregate_refreshes r WHERE r.aggregate = p_aggregate
$$;
COMMENT ON FUNCTION aggregate_refreshed_at(text) IS 'When an aggregate (peer_comparison, skill_demand) was last refreshed.';

REVOKE EXECUTE ON FUNCTION peer_sample_band(integer), publish_peer_comparison(), publish_skill_demand(), refresh_aggregate(text),
    peer_comparison_for_me(), skill_demand_page(integer, text, date, text), aggregate_refreshed_at(text)
    FROM PUBLIC;
GRANT EXECUTE ON FUNCTION peer_comparison_for_me(), skill_demand_page(integer, text, date, text), aggregate_refreshed_at(text)
    TO analytics_authenticated, analytics_platform_admin;
GRANT EXECUTE ON FUNCTION refresh_aggregate(text), aggregate_refreshed_at(text) TO analytics_service;
