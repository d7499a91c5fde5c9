-- V035: the seed's two aggregate views, peer comparison and skill demand, fixed and made
-- safe to publish (ANALYTICS.md "Aggregates").
--
-- Shape: each aggregate is a materialized view of raw cells (refreshed CONCURRENTLY, unique
-- index on plain columns, never granted to users) plus a "published" table that holds what
-- readers are actually shown. refresh_aggregate() (R__260)
-- refresh the view and then publish it cell by cell; users read the published tables only
-- through SECURITY DEFINER functions (R__260) scoped to their own organization, taken from
-- users, never from a parameter.
--
-- Seed defects fixed:
--  * peer_comparison_aggregates joined user_skills row by row: a learner with skills at
--    several levels was counted in several levels, and their velocity and performance rows
--    were multiplied by their number of skills (and by each other: every velocity row times
--    every performance row). Here each learner has ONE level, from the mean of their mastery
--    levels (< 30 beginner, < 70 intermediate, else advanced), and one velocity and one
--    performance value: their latest unexpired row, when it is an 'ok' result (V025's
--    result_status; an insufficient_data row means "no value", not an older one) with a pace,
--    and for performance at least one assessment.
--  * The seed counted k-anonymity on the cell only: a cell of 50 learners of whom one has a
--    velocity row published that learner's velocity. Here every published figure needs 10
--    learners behind it (velocity and score have their own counts).
--  * Neither view could be refreshed CONCURRENTLY (no unique index on plain columns).
--  * skill_demand_aggregates had no organization at all (one tenant's demand was everyone's),
--    no k-anonymity, a NULL month row per skill nobody assessed (LEFT JOIN), growth against the
--    previous ROW rather than the previous calendar month (a gap month gave a wrong growth),
--    and counted a learner only in the month of their LAST assessment (user_skills keeps one
--    date), so history moved under the reader's feet. Here demand comes from the assessments
--    in learning_events (V019): per organization x skill x UTC month, the learners assessed
--    and the mean of each learner's latest score in that month (their mastery as shown that
--    month; current user_skills values would rewrite past months at every refresh).
--  * Platform-wide rows (all organizations, the shared skill catalogue) are built only from
--    organization cells that pass k >= 10 themselves: otherwise "platform minus my
--    organization" would reveal another organization's suppressed cell.
--
-- Differencing defence (the published tables): a cell's figures are recomputed only when at
-- least 10 of its members changed since the figures it shows were computed (joined, left, or
-- changed their own input value); otherwise the previous figures stay, and the cell says when
-- they were computed (values_as_of). Each member is a token "id:value" in the view, so one
-- comparison of two token sets counts joins, leaves and changes. A cell that falls under 10
-- is withdrawn but remembers the membership of its last figures, so coming back with the same
-- people plus or minus a few shows the same old figures again. Figures are also rounded and
-- peer sample sizes are published in bands only. Two consecutive publications thus always
-- differ by the contributions of at least 10 learners.
--
-- Runs as analytics_owner, which then owns the new objects.

SET LOCAL ROLE analytics_owner;
DO $$
BEGIN
    IF current_user <> 'analytics_owner' THEN
        RAISE EXCEPTION 'V035 must run as analytics_owner inside a transaction (as Flyway runs it), not as %', current_user
            USING HINT = 'SET LOCAL ROLE has no effect outside a transaction: objects would be owned by the wrong role.';
    END IF;
END
$$;
SET LOCAL lock_timeout = '5s';

-- One definition of the level bands, used by the view and by the caller's own level.
CREATE FUNCTION peer_competency_level(p_mean_mastery numeric) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    SELECT CASE WHEN p_mean_mastery IS NULL THEN NULL
                WHEN p_mean_mastery < 30 THEN 'beginner'
                WHEN p_mean_mastery < 70 THEN 'intermediate'
                ELSE 'advanced' END
$$;
COMMENT ON FUNCTION peer_competency_level(numeric) IS
    'Competency level of a learner from the mean of their mastery levels: < 30 beginner, < 70 intermediate, else advanced.';

-- The smallest number of learners behind any published aggregate figure.
CREATE FUNCTION aggregate_min_learners() RETURNS integer
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT 10 $$;
COMMENT ON FUNCTION aggregate_min_learners() IS
    'k of k-anonymity for the aggregates: no figure is published from fewer learners, and published figures change only'
    ' when at least this many members changed.';

-- Members (tokens "id:value...") that differ between two memberships, counted once per member.
CREATE FUNCTION aggregate_membership_changes(p_now text[], p_then text[]) RETURNS integer
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    SELECT count(DISTINCT split_part(token, ':', 1))::integer
    FROM ((SELECT unnest(p_now) EXCEPT SELECT unnest(p_then))
          UNION ALL
          (SELECT unnest(p_then) EXCEPT SELECT unnest(p_now))) changed(token)
$$;
COMMENT ON FUNCTION aggregate_membership_changes(text[], text[]) IS
    'How many members joined, left or changed their value between two memberships of a cell (tokens "member:value").';

CREATE MATERIALIZED VIEW peer_comparison_aggregates AS
WITH learner AS (
    SELECT u.id AS user_id, u.organization_id,
           ${flyway:defaultSchema}.peer_competency_level(avg(us.mastery_level)) AS competency_level
    FROM ${flyway:defaultSchema}.users u
    JOIN ${flyway:defaultSchema}.user_skills us ON us.user_id = u.id
    WHERE u.organization_id IS NOT NULL
    GROUP BY u.id, u.organization_id
), velocity AS (
    SELECT latest.user_id, latest.current_pace
    FROM (SELECT DISTINCT ON (v.user_id) v.user_id, v.current_pace, v.result_status
          FROM ${flyway:defaultSchema}.learner_velocity_analytics v
          WHERE v.expires_at > now()
          ORDER BY v.user_id, v.calculated_at DESC, v.id) latest
    WHERE latest.result_status = 'ok' AND latest.current_pace IS NOT NULL
), performance AS (
    SELECT latest.user_id, latest.avg_score
    FROM (SELECT DISTINCT ON (p.user_id) p.user_id, p.avg_score, p.assessments_taken, p.result_status
          FROM ${flyway:defaultSchema}.performance_analytics p
          WHERE p.expires_at > now()
          ORDER BY p.user_id, p.calculated_at DESC, p.id) latest
    WHERE latest.result_status = 'ok' AND latest.assessments_taken > 0
)
SELECT l.organization_id,
       l.competency_level,
       count(*)::integer AS learners,
       count(v.current_pace)::integer AS velocity_learners,
       avg(v.current_pace) AS avg_velocity,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY v.current_pace) AS median_velocity,
       count(p.avg_score)::integer AS score_learners,
       avg(p.avg_score) AS avg_score,
       array_agg(l.user_id::text || ':' || coalesce(v.current_pace::text, '-') || ':' || coalesce(p.avg_score::text, '-')
                 ORDER BY l.user_id) AS members
FROM learner l
LEFT JOIN velocity v ON v.user_id = l.user_id
LEFT JOIN performance p ON p.user_id = l.user_id
GROUP BY l.organization_id, l.competency_level
HAVING count(*) >= ${flyway:defaultSchema}.aggregate_min_learners();
COMMENT ON MATERIALIZED VIEW peer_comparison_aggregates IS
    'Raw peer cells per organization x competency level (k >= 10 learners), with their members; never read by users:'
    ' refresh_aggregate(''peer_comparison'') publishes them into peer_comparison_published.';
CREATE UNIQUE INDEX uq_peer_comparison_aggregates_cell ON peer_comparison_aggregates (organization_id, competency_level);

CREATE MATERIALIZED VIEW skill_demand_aggregates AS
WITH assessed AS (
    -- each learner's latest assessment score on a skill in a UTC month, in their organization
    SELECT DISTINCT ON (u.organization_id, e.skill_id, date_trunc('month', e.occurred_at, 'UTC'), e.user_id)
           u.organization_id, e.skill_id, date_trunc('month', e.occurred_at, 'UTC')::date AS month, e.user_id,
           round(100 * greatest(e.score_scaled, 0), 2) AS score
    FROM ${flyway:defaultSchema}.learning_events e
    JOIN ${flyway:defaultSchema}.users u ON u.id = e.user_id
    WHERE e.verb IN ('passed', 'failed') AND e.score_scaled IS NOT NULL AND e.skill_id IS NOT NULL
      AND u.organization_id IS NOT NULL
    ORDER BY u.organization_id, e.skill_id, date_trunc('month', e.occurred_at, 'UTC'), e.user_id, e.occurred_at DESC, e.event_id
), organization_cell AS (
    SELECT a.organization_id, a.skill_id, a.month
    FROM assessed a
    GROUP BY a.organization_id, a.skill_id, a.month
    HAVING count(*) >= ${flyway:defaultSchema}.aggregate_min_learners()
)
SELECT a.organization_id::text AS scope, a.organization_id, a.skill_id, a.month,
       count(*)::integer AS learners, avg(a.score) AS mean_mastery,
       array_agg(a.user_id::text || ':' || a.score::text ORDER BY a.user_id) AS members
FROM assessed a
JOIN organization_cell c USING (organization_id, skill_id, month)
GROUP BY a.organization_id, a.skill_id, a.month
UNION ALL
SELECT 'platform', NULL::uuid, a.skill_id, a.month,
       count(*)::integer, avg(a.score),
       array_agg(a.organization_id::text || '/' || a.user_id::text || ':' || a.score::text ORDER BY a.organization_id, a.user_id)
FROM assessed a
JOIN organization_cell c USING (organization_id, skill_id, month)
GROUP BY a.skill_id, a.month;
COMMENT ON MATERIALIZED VIEW skill_demand_aggregates IS
    'Raw skill demand cells per organization (scope = its id) or platform-wide (scope = ''platform'', built from the'
    ' organization cells that pass k >= 10) x skill x UTC month; never read by users: refresh_aggregate(''skill_demand'') publishes them.';
CREATE UNIQUE INDEX uq_skill_demand_aggregates_cell ON skill_demand_aggregates (scope, skill_id, month);

CREATE TABLE peer_comparison_published (
    organization_id   uuid         NOT NULL,
    competency_level  text         NOT NULL,
    published         boolean      NOT NULL,
    learners          integer      NOT NULL,
    velocity_learners integer      NOT NULL,
    avg_velocity      numeric(7,1),
    median_velocity   numeric(7,1),
    score_learners    integer      NOT NULL,
    avg_score         numeric(5,0),
    members           text[]       NOT NULL,
    values_as_of      timestamptz  NOT NULL,
    checked_at        timestamptz  NOT NULL,
    CONSTRAINT pk_peer_comparison_published PRIMARY KEY (organization_id, competency_level),
    CONSTRAINT fk_peer_comparison_published_organization FOREIGN KEY (organization_id)
        REFERENCES organizations (id) ON DELETE CASCADE,
    CONSTRAINT ck_peer_comparison_published_level CHECK (competency_level IN ('beginner', 'intermediate', 'advanced')),
    CONSTRAINT ck_peer_comparison_published_k CHECK (learners >= 10),
    CONSTRAINT ck_peer_comparison_published_velocity_k CHECK (avg_velocity IS NULL OR velocity_learners >= 10),
    CONSTRAINT ck_peer_comparison_published_score_k CHECK (avg_score IS NULL OR score_learners >= 10)
);
COMMENT ON TABLE peer_comparison_published IS
    'What readers are shown of each peer cell: figures change only when >= 10 members changed (differencing defence);'
    ' published = false while the cell has fewer than 10 learners. Read through peer_comparison_for_me() only.';
COMMENT ON COLUMN peer_comparison_published.learners IS 'Exact size when the figures were computed; readers see a band only.';
COMMENT ON COLUMN peer_comparison_published.members IS 'Membership ("id:velocity:score") the figures were computed from.';
COMMENT ON COLUMN peer_comparison_published.values_as_of IS 'When the figures shown were computed.';
COMMENT ON COLUMN peer_comparison_published.checked_at IS 'Last refresh that looked at this cell.';

CREATE TABLE skill_demand_published (
    scope           text         NOT NULL,
    organization_id uuid,
    skill_id        text         NOT NULL,
    month           date         NOT NULL,
    published       boolean      NOT NULL,
    learners        integer      NOT NULL,
    mean_mastery    numeric(5,1) NOT NULL,
    members         text[]       NOT NULL,
    values_as_of    timestamptz  NOT NULL,
    checked_at      timestamptz  NOT NULL,
    CONSTRAINT pk_skill_demand_published PRIMARY KEY (scope, skill_id, month),
    CONSTRAINT fk_skill_demand_published_organization FOREIGN KEY (organization_id)
        REFERENCES organizations (id) ON DELETE CASCADE,
    CONSTRAINT fk_skill_demand_published_skill FOREIGN KEY (skill_id) REFERENCES skills (id) ON DELETE CASCADE,
    CONSTRAINT ck_skill_demand_published_scope CHECK (scope = coalesce(organization_id::text, 'platform')),
    CONSTRAINT ck_skill_demand_published_month CHECK (month = date_trunc('month', month)),
    CONSTRAINT ck_skill_demand_published_k CHECK (learners >= 10)
);
COMMENT ON TABLE skill_demand_published IS
    'What readers are shown of skill demand per organization (or platform-wide) x skill x month: figures change only when'
    ' >= 10 members changed (differencing defence). Read through skill_demand_page() only.';
COMMENT ON COLUMN skill_demand_published.mean_mastery IS 'Mean over the learners of their latest assessment score (0-100) that month.';
CREATE INDEX idx_skill_demand_published_month ON skill_demand_published (month DESC, skill_id);

CREATE TABLE aggregate_refreshes (
    aggregate    text        NOT NULL,
    refreshed_at timestamptz NOT NULL,
    CONSTRAINT pk_aggregate_refreshes PRIMARY KEY (aggregate),
    CONSTRAINT ck_aggregate_refreshes_aggregate CHECK (aggregate IN ('peer_comparison', 'skill_demand'))
);
COMMENT ON TABLE aggregate_refreshes IS 'When each aggregate was last refreshed and published; reads report it.';
INSERT INTO aggregate_refreshes VALUES ('peer_comparison', now()), ('skill_demand', now());

-- Row-level security as R__210 sets it on every table (it re-creates the same policies when it runs).
DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['peer_comparison_published', 'skill_demand_published', 'aggregate_refreshes'] LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
        EXECUTE format('CREATE POLICY %I ON %I FOR ALL TO analytics_service, analytics_owner USING (true) WITH CHECK (true)',
                       t || '_service_all', t);
    END LOOP;
END
$$;

REVOKE ALL ON peer_comparison_aggregates, skill_demand_aggregates, peer_comparison_published, skill_demand_published,
    aggregate_refreshes FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION peer_competency_level(numeric), aggregate_min_learners(), aggregate_membership_changes(text[], text[])
    FROM PUBLIC;
GRANT SELECT ON peer_comparison_aggregates, skill_demand_aggregates, peer_comparison_published, skill_demand_published
    TO analytics_service;
GRANT SELECT ON aggregate_refreshes TO analytics_service;
