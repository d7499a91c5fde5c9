-- V038: the six learner-analytics tables (V003, V025) become monthly partitioned by
-- calculated_at (UTC months), as the seed's "Partitioning Strategy" example does with
-- learner_velocity_analytics: the personal-analytics history is kept 7 years (seed "Data
-- Retention Policy"), and retention then drops whole months (V039) instead of deleting rows.
--
-- What changes, per table (one generic block for all six, not six copies):
--  * PARTITION BY RANGE (calculated_at); partitions <table>_YYYY_MM for every month that holds
--    rows, the month before this one, this month and the next three (as V019 does), and a
--    DEFAULT partition <table>_default for stray times (it should stay empty;
--    Lifecycle.upkeepPartitions() reports it when it is not).
--  * Primary key (id, calculated_at): a partitioned table's keys must include the partition
--    key. Nothing references these ids (history rows are only appended and read), and ids stay
--    gen_random_uuid(), so (id) alone remains unique in practice.
--  * Everything else is kept as it was: columns, defaults, CHECKs and column comments (CREATE
--    TABLE ... LIKE ... INCLUDING ALL), the foreign key to users, every index (re-created from
--    its own definition on the parent, which cascades to each partition), the table comment,
--    row-level security (enabled, forced, the same policies) and the grants. The partitions
--    themselves get no grants and no policies: only the owner can read one directly; everyone
--    else goes through the parent, where RLS applies (as with learning_events, V019).
--  * The view learner_analytics_rows (R__250) and the materialized view
--    peer_comparison_aggregates (V035) depend on these tables; they are re-created from their
--    own definitions (with options, indexes, comments and grants); the materialized view is
--    recomputed in the process.
--  * create_learner_analytics_partitions(p_from, p_months) makes the missing months of all six
--    tables (idempotent, SECURITY DEFINER: partitions must belong to the owner; the service
--    role's partition job calls it). A row that had landed in a DEFAULT partition for a month
--    being created is moved into the new month, so upkeep never fails on strays. Creating a
--    partition locks its parent ACCESS EXCLUSIVE for a moment; the function waits at most 5 s.
--
-- Lock impact: the six tables are locked ACCESS EXCLUSIVE (their readers and writers wait)
-- for the whole migration: the rows are copied into the new tables, keys and indexes are built,
-- the foreign keys validated and peer_comparison_aggregates recomputed. Adding the foreign keys
-- also takes SHARE ROW EXCLUSIVE on users until commit: writes to users (not reads) wait from
-- then on (PostgreSQL 15 cannot add a NOT VALID foreign key to a partitioned table).
-- Measured on PostgreSQL 15 on this project's 2-core machine while four other builds ran on it
-- (load average 9-13), timing `psql -1 -f` of this file (one transaction, as Flyway runs it):
--    3,600,000 rows (200,000 learners, the benchmark's population, x 6 analytics x 3 monthly
--      computations, each row with ~300 bytes of JSON; 2.1 GB with indexes): 73 s;
--    empty tables: 2.2 s (making 42 partitions and re-creating the views).
-- The history is a cache plus its record, so on a big live database either run this in a
-- maintenance window or, if the history may go, TRUNCATE the six tables first (reads then
-- recompute). lock_timeout 5 s: the migration gives up rather than queue behind a long reader
-- and block everyone queued behind itself.
-- Runs as analytics_owner, which then owns the new objects.

SET LOCAL ROLE analytics_owner;
DO $$
BEGIN
    IF current_user <> 'analytics_owner' THEN
        RAISE EXCEPTION 'V038 must run as analytics_owner inside a transaction (as Flyway runs it), not as %', current_user
            USING HINT = 'SET LOCAL ROLE has no effect outside a transaction: objects would be owned by the wrong role.';
    END IF;
END
$$;
SET LOCAL lock_timeout = '5s';

CREATE FUNCTION learner_analytics_tables() RETURNS text[]
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN ARRAY['learner_velocity_analytics', 'skill_gap_analytics', 'engagement_analytics', 'mastery_analytics',
                 'performance_analytics', 'content_effectiveness_analytics'];
COMMENT ON FUNCTION learner_analytics_tables() IS
    'The six learner-analytics tables (personal analytics history), each partitioned by month of calculated_at.';

-- One monthly partition of a table partitioned by a timestamptz (UTC months): <parent>_YYYY_MM.
-- Not granted to anyone: the SECURITY DEFINER functions of each table call it as the owner.
-- Rows of that month already in the parent's DEFAULT partition are moved into the new one
-- (otherwise CREATE ... PARTITION OF fails on them).
CREATE FUNCTION create_monthly_partition(p_parent text, p_month date) RETURNS boolean
    LANGUAGE plpgsql
    SET search_path = ${flyway:defaultSchema}, pg_temp
AS $$
DECLARE
    month_start timestamptz := date_trunc('month', p_month)::timestamp AT TIME ZONE 'UTC';
    month_end timestamptz := (date_trunc('month', p_month) + interval '1 month')::timestamp AT TIME ZONE 'UTC';
    name text := format('%s_%s', p_parent, to_char(p_month, 'YYYY_MM'));
    key_column text;
    default_partition text;
    strays bigint := 0;
BEGIN
    IF to_regclass(format('%I.%I', '${flyway:defaultSchema}', name)) IS NOT NULL THEN
        RETURN false;
    END IF;
    SELECT a.attname INTO STRICT key_column
    FROM pg_partitioned_table p JOIN pg_attribute a ON a.attrelid = p.partrelid AND a.attnum = p.partattrs[0]
    WHERE p.partrelid = format('%I.%I', '${flyway:defaultSchema}', p_parent)::regclass;
    SELECT c.relname INTO default_partition
    FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
    WHERE i.inhparent = format('%I.%I', '${flyway:defaultSchema}', p_parent)::regclass AND pg_get_expr(c.relpartbound, c.oid) = 'DEFAULT';
    IF default_partition IS NOT NULL THEN
        EXECUTE format('SELECT count(*) FROM %I WHERE %I >= %L AND %I < %L', default_partition, key_column, month_start,
                       key_column, month_end) INTO strays;
    END IF;
    IF strays = 0 THEN
        EXECUTE format('CREATE TABLE %I PARTITION OF %I FOR VALUES FROM (%L) TO (%L)', name, p_parent, month_start, month_end);
    ELSE
        EXECUTE format('CREATE TABLE %I (LIKE %I INCLUDING DEFAULTS INCLUDING CONSTRAINTS)', name, p_parent);
        EXECUTE format('WITH moved AS (DELETE FROM %I WHERE %I >= %L AND %I < %L RETURNING *) INSERT INTO %I SELECT * FROM moved',
                       default_partition, key_column, month_start, key_column, month_end, name);
        EXECUTE format('ALTER TABLE %I ATTACH PARTITION %I FOR VALUES FROM (%L) TO (%L)', p_parent, name, month_start, month_end);
    END IF;
    RETURN true;
END
$$;
COMMENT ON FUNCTION create_monthly_partition(text, date) IS
    'Creates <parent>_YYYY_MM for the UTC month of p_month unless it exists (moving that month''s rows out of the DEFAULT'
    ' partition); returns whether it made one. Owner only: called by the SECURITY DEFINER partition functions.';
REVOKE EXECUTE ON FUNCTION create_monthly_partition(text, date) FROM PUBLIC;

CREATE FUNCTION create_learner_analytics_partitions(p_from date, p_months integer) RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = ${flyway:defaultSchema}, pg_temp
    SET lock_timeout = '5s'
AS $$
DECLARE
    made integer := 0;
    t text;
BEGIN
    IF p_from IS NULL OR p_months IS NULL OR p_months < 1 OR p_months > 120 THEN
        RAISE EXCEPTION 'p_months must be from 1 to 120 and p_from given, got % and %', p_months, p_from USING ERRCODE = '22023';
    END IF;
    FOREACH t IN ARRAY learner_analytics_tables() LOOP
        FOR i IN 0 .. p_months - 1 LOOP
            IF create_monthly_partition(t, (date_trunc('month', p_from) + make_interval(months => i))::date) THEN
                made := made + 1;
            END IF;
        END LOOP;
    END LOOP;
    RETURN made;
END
$$;
COMMENT ON FUNCTION create_learner_analytics_partitions(date, integer) IS
    'Creates the missing monthly partitions (UTC months) of the six learner-analytics tables for [p_from, p_from + p_months'
    ' months); returns how many it made. Idempotent; the partition job calls it.';
REVOKE EXECUTE ON FUNCTION create_learner_analytics_partitions(date, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION create_learner_analytics_partitions(date, integer) TO analytics_service;
REVOKE EXECUTE ON FUNCTION learner_analytics_tables() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION learner_analytics_tables() TO analytics_service;

-- The conversion.
DO $$
DECLARE
    tables text[] := learner_analytics_tables();
    t text;
    old text;
    dependent record;
    dependents jsonb := '[]';
    saved record;
    item jsonb;
    statement text;
    first_row timestamptz;
    first_month date;
BEGIN
    -- Lock all six first, in a fixed order, so nothing writes between copy and swap.
    FOREACH t IN ARRAY tables LOOP
        EXECUTE format('LOCK TABLE %I IN ACCESS EXCLUSIVE MODE', t);
    END LOOP;

    -- Views and materialized views on the tables: remember how to re-create them, then drop them.
    FOR dependent IN
        SELECT DISTINCT v.oid, v.relname, v.relkind, v.reloptions, obj_description(v.oid, 'pg_class') AS comment
        FROM pg_depend d
        JOIN pg_rewrite r ON r.oid = d.objid
        JOIN pg_class v ON v.oid = r.ev_class
        WHERE d.classid = 'pg_rewrite'::regclass AND d.refclassid = 'pg_class'::regclass
          AND d.refobjid = ANY (SELECT format('%I.%I', '${flyway:defaultSchema}', x)::regclass FROM unnest(tables) x)
          AND v.oid <> d.refobjid
    LOOP
        dependents := dependents || jsonb_build_object(
            'name', dependent.relname,
            'kind', dependent.relkind,
            'options', coalesce(array_to_string(dependent.reloptions, ', '), ''),
            'definition', pg_get_viewdef(dependent.oid),
            'comment', dependent.comment,
            'indexes', (SELECT coalesce(jsonb_agg(i.indexdef), '[]') FROM pg_indexes i
                        WHERE i.schemaname = '${flyway:defaultSchema}' AND i.tablename = dependent.relname),
            'grants', (SELECT coalesce(jsonb_agg(jsonb_build_object('grantee', a.grantee::regrole::text, 'privilege', a.privilege_type)), '[]')
                       FROM pg_class c, aclexplode(c.relacl) a WHERE c.oid = dependent.oid AND a.grantee <> c.relowner AND a.grantee <> 0));
    END LOOP;
    FOR item IN SELECT * FROM jsonb_array_elements(dependents) LOOP
        EXECUTE format(CASE WHEN item ->> 'kind' = 'm' THEN 'DROP MATERIALIZED VIEW %I' ELSE 'DROP VIEW %I' END, item ->> 'name');
    END LOOP;

    FOREACH t IN ARRAY tables LOOP
        old := t || '_unpartitioned';
        EXECUTE format('ALTER TABLE %I RENAME TO %I', t, old);
        EXECUTE format('CREATE TABLE %I (LIKE %I INCLUDING ALL EXCLUDING INDEXES) PARTITION BY RANGE (calculated_at)', t, old);
        EXECUTE format('CREATE TABLE %I PARTITION OF %I DEFAULT', t || '_default', t);
        EXECUTE format('COMMENT ON TABLE %I IS %L', t || '_default',
                       'Rows outside every monthly partition; should stay empty (reported by the partition job).');
        -- Every month that holds rows, and the month before this one (as V019), up to three months ahead.
        EXECUTE format('SELECT min(calculated_at) FROM %I', old) INTO first_row;
        first_month := date_trunc('month', least(coalesce(first_row, now()), now() - interval '1 month') AT TIME ZONE 'UTC')::date;
        FOR month_offset IN 0 .. (SELECT (extract(year FROM age(date_trunc('month', now() AT TIME ZONE 'UTC'), first_month)) * 12
                                         + extract(month FROM age(date_trunc('month', now() AT TIME ZONE 'UTC'), first_month)))::integer + 3) LOOP
            PERFORM create_monthly_partition(t, (first_month + make_interval(months => month_offset))::date);
        END LOOP;
        EXECUTE format('INSERT INTO %I SELECT * FROM %I', t, old);

        -- Keys, indexes, comment, row-level security and grants of the old table, on the new one.
        FOR saved IN
            SELECT c.conname, pg_get_constraintdef(c.oid) AS definition FROM pg_constraint c
            WHERE c.conrelid = old::regclass AND c.contype = 'f' ORDER BY c.conname
        LOOP
            statement := format('ALTER TABLE %I ADD CONSTRAINT %I %s', t, saved.conname, saved.definition);
            EXECUTE format('ALTER TABLE %I DROP CONSTRAINT %I', old, saved.conname);
            EXECUTE statement;
        END LOOP;
        FOR saved IN
            SELECT i.indexname, i.indexdef FROM pg_indexes i
            WHERE i.schemaname = '${flyway:defaultSchema}' AND i.tablename = old AND i.indexname <> 'pk_' || t ORDER BY i.indexname
        LOOP
            EXECUTE format('DROP INDEX %I', saved.indexname);
            EXECUTE replace(saved.indexdef, format(' ON %s.%s ', '${flyway:defaultSchema}', old), format(' ON %s.%s ', '${flyway:defaultSchema}', t));
        END LOOP;
        EXECUTE format('ALTER TABLE %I DROP CONSTRAINT %I', old, 'pk_' || t);
        EXECUTE format('ALTER TABLE %I ADD CONSTRAINT %I PRIMARY KEY (id, calculated_at)', t, 'pk_' || t);
        EXECUTE format('COMMENT ON TABLE %I IS %L', t,
                       obj_description(old::regclass, 'pg_class') || ' Monthly partitions by calculated_at (UTC); kept 7 years.');
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
        FOR saved IN
            SELECT p.polname, p.polpermissive, p.polcmd,
                   (SELECT string_agg(CASE WHEN r = 0 THEN 'PUBLIC' ELSE quote_ident(r::regrole::text) END, ', ')
                    FROM unnest(p.polroles) r) AS roles,
                   pg_get_expr(p.polqual, p.polrelid) AS using_expr, pg_get_expr(p.polwithcheck, p.polrelid) AS check_expr
            FROM pg_policy p WHERE p.polrelid = old::regclass ORDER BY p.polname
        LOOP
            EXECUTE format('CREATE POLICY %I ON %I AS %s FOR %s TO %s%s%s', saved.polname, t,
                           CASE WHEN saved.polpermissive THEN 'PERMISSIVE' ELSE 'RESTRICTIVE' END,
                           CASE saved.polcmd WHEN 'r' THEN 'SELECT' WHEN 'a' THEN 'INSERT' WHEN 'w' THEN 'UPDATE' WHEN 'd' THEN 'DELETE' ELSE 'ALL' END,
                           saved.roles,
                           CASE WHEN saved.using_expr IS NULL THEN '' ELSE ' USING (' || saved.using_expr || ')' END,
                           CASE WHEN saved.check_expr IS NULL THEN '' ELSE ' WITH CHECK (' || saved.check_expr || ')' END);
        END LOOP;
        FOR saved IN
            SELECT a.grantee::regrole::text AS grantee, a.privilege_type
            FROM pg_class c, aclexplode(c.relacl) a WHERE c.oid = old::regclass AND a.grantee <> c.relowner AND a.grantee <> 0
        LOOP
            EXECUTE format('GRANT %s ON %I TO %I', saved.privilege_type, t, saved.grantee);
        END LOOP;
        EXECUTE format('REVOKE ALL ON %I FROM PUBLIC', t);
        EXECUTE format('DROP TABLE %I', old);
    END LOOP;

    -- The dependent views again, in the order they were found.
    FOR item IN SELECT * FROM jsonb_array_elements(dependents) LOOP
        EXECUTE format(CASE WHEN item ->> 'kind' = 'm' THEN 'CREATE MATERIALIZED VIEW %I%s AS %s' ELSE 'CREATE VIEW %I%s AS %s' END,
                       item ->> 'name', CASE WHEN item ->> 'options' = '' THEN '' ELSE ' WITH (' || (item ->> 'options') || ')' END,
                       item ->> 'definition');
        FOR statement IN SELECT jsonb_array_elements_text(item -> 'indexes') LOOP
            EXECUTE statement;
        END LOOP;
        IF item ->> 'comment' IS NOT NULL THEN
            EXECUTE format(CASE WHEN item ->> 'kind' = 'm' THEN 'COMMENT ON MATERIALIZED VIEW %I IS %L' ELSE 'COMMENT ON VIEW %I IS %L' END,
                           item ->> 'name', item ->> 'comment');
        END IF;
        EXECUTE format('REVOKE ALL ON %I FROM PUBLIC', item ->> 'name');
        FOR saved IN SELECT g ->> 'grantee' AS grantee, g ->> 'privilege' AS privilege FROM jsonb_array_elements(item -> 'grants') g LOOP
            EXECUTE format('GRANT %s ON %I TO %I', saved.privilege, item ->> 'name', saved.grantee);
        END LOOP;
    END LOOP;
END
$$;
