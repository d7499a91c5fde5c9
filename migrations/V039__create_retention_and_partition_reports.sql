-- V039: the seed's "Data Retention Policy" and the partition reports, as functions the
-- service role's jobs call (Lifecycle in the library: db.system().lifecycle()).
--
-- Retention, one rule per seed row (where the rule lives):
--  * Predictive Cache, 48 hours: rows calculated more than 48 hours ago are deleted. A plain
--    DELETE the service role may do, so it is jOOQ in Lifecycle (ARCHITECTURE.md "where SQL
--    lives"), not a function here.
--  * User Activity Logs (learning_events, V019), 90 days: drop_expired_learning_events() drops
--    every monthly partition that lies entirely before now() - 90 days; rows are never deleted
--    one by one. Decision for the month that straddles the limit: it is kept until all of it is
--    past the limit, so an event is kept at least 90 days and is gone at most one month later
--    (a row-level DELETE of the straddling month would undo the point of dropping partitions).
--  * Personal Analytics (hot), 7 days: no row is removed; "hot" is what the TTL cache serves.
--    The cached read (R__250) never serves a result calculated more than 7 days ago, whatever
--    its TTL, and the longest TTL the library and refresh_learner_analytics accept is 7 days.
--    The 7-day bound also lets the cached read skip every older monthly partition.
--  * Personal Analytics (warm), 7 years: drop_expired_learner_analytics() drops every monthly
--    partition of the six tables (V038) that lies entirely before now() - 7 years (same
--    straddling decision: kept at least 7 years, gone at most one month later).
--  * Aggregated Analytics, 7 years: delete_expired_aggregates() deletes published skill-demand
--    months that ended more than 7 years ago and peer-comparison cells no refresh has looked
--    at for 7 years. The materialized views hold only what refresh recomputes from current
--    data (learning events of 90 days, latest analytics), so nothing in them is older; the
--    refresh log (aggregate_refreshes) holds one row per aggregate, not a history.
--  * Point Transactions, archived after 1 year: archive_point_transactions(p_before) belongs to
--    the ledger's own migration; Lifecycle.applyRetention() has the marked place that calls it.
--
-- Partition reports: partition_overview() lists every partition of the partitioned tables
-- in this schema (range, estimated rows); default_partition_rows() counts the rows of each
-- non-empty DEFAULT partition exactly (SECURITY DEFINER: only the owner reads a partition
-- directly).
--
-- The retention functions and default_partition_rows() are SECURITY DEFINER (dropping or reading
-- a partition needs its owner; the service role has no DELETE on the published aggregates);
-- partition_overview() reads only catalogs and runs as its caller. All have a pinned
-- search_path and are executable by analytics_service only. Drops take an ACCESS EXCLUSIVE lock on the parent for a moment; each
-- function waits at most 5 s for it (lock_timeout) rather than queue writers behind itself.
-- Lock impact of this migration: it creates functions only.
-- Runs as analytics_owner, which then owns the new objects.

SET LOCAL ROLE analytics_owner;
DO $$
BEGIN
    IF current_user <> 'analytics_owner' THEN
        RAISE EXCEPTION 'V039 must run as analytics_owner inside a transaction (as Flyway runs it), not as %', current_user
            USING HINT = 'SET LOCAL ROLE has no effect outside a transaction: objects would be owned by the wrong role.';
    END IF;
END
$$;
SET LOCAL lock_timeout = '5s';

-- Drops the partitions of p_parent whose whole range lies before p_before (never the DEFAULT
-- one), counting their rows first. Owner only: the retention functions below call it.
CREATE FUNCTION drop_partitions_before(p_parent text, p_before timestamptz, OUT partitions_dropped integer, OUT rows_dropped bigint)
    LANGUAGE plpgsql
    SET search_path = ${flyway:defaultSchema}, pg_temp
AS $$
DECLARE
    expired record;
    counted bigint;
BEGIN
    partitions_dropped := 0;
    rows_dropped := 0;
    FOR expired IN
        SELECT c.relname
        FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
        WHERE i.inhparent = format('%I.%I', '${flyway:defaultSchema}', p_parent)::regclass
          AND substring(pg_get_expr(c.relpartbound, c.oid) FROM $re$ TO \('([^']+)'\)$re$)::timestamptz <= p_before
        ORDER BY c.relname
    LOOP
        EXECUTE format('SELECT count(*) FROM %I', expired.relname) INTO counted;
        EXECUTE format('DROP TABLE %I', expired.relname);
        partitions_dropped := partitions_dropped + 1;
        rows_dropped := rows_dropped + counted;
    END LOOP;
END
$$;
COMMENT ON FUNCTION drop_partitions_before(text, timestamptz) IS
    'Drops every partition of p_parent whose range ends at or before p_before (never DEFAULT); returns how many and their rows.'
    ' Owner only: called by the retention functions.';
REVOKE EXECUTE ON FUNCTION drop_partitions_before(text, timestamptz) FROM PUBLIC;

CREATE FUNCTION drop_expired_learning_events(OUT partitions_dropped integer, OUT rows_dropped bigint)
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = ${flyway:defaultSchema}, pg_temp
    SET lock_timeout = '5s'
AS $$
BEGIN
    SELECT d.partitions_dropped, d.rows_dropped INTO partitions_dropped, rows_dropped
    FROM drop_partitions_before('learning_events', now() - interval '90 days') d;
END
$$;
COMMENT ON FUNCTION drop_expired_learning_events() IS
    'Retention of the activity log (seed: 90 days): drops the monthly partitions of learning_events that end at or before'
    ' now() - 90 days. The month straddling the limit stays until it is past entirely (kept >= 90 days, < 90 days + 1 month).';

CREATE FUNCTION drop_expired_learner_analytics(OUT partitions_dropped integer, OUT rows_dropped bigint)
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = ${flyway:defaultSchema}, pg_temp
    SET lock_timeout = '5s'
AS $$
DECLARE
    t text;
    dropped record;
BEGIN
    partitions_dropped := 0;
    rows_dropped := 0;
    FOREACH t IN ARRAY learner_analytics_tables() LOOP
        SELECT * INTO dropped FROM drop_partitions_before(t, now() - interval '7 years');
        partitions_dropped := partitions_dropped + dropped.partitions_dropped;
        rows_dropped := rows_dropped + dropped.rows_dropped;
    END LOOP;
END
$$;
COMMENT ON FUNCTION drop_expired_learner_analytics() IS
    'Retention of the personal analytics history (seed: 7 years): drops the monthly partitions of the six learner-analytics'
    ' tables that end at or before now() - 7 years (the straddling month stays until it is past entirely).';

CREATE FUNCTION delete_expired_aggregates(OUT rows_deleted bigint)
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = ${flyway:defaultSchema}, pg_temp
    SET lock_timeout = '5s'
AS $$
DECLARE
    peer_cells bigint;
BEGIN
    -- A month is expired once all of it lies more than 7 years back.
    DELETE FROM skill_demand_published WHERE (month + interval '1 month')::timestamp AT TIME ZONE 'UTC' <= now() - interval '7 years';
    GET DIAGNOSTICS rows_deleted = ROW_COUNT;
    DELETE FROM peer_comparison_published WHERE checked_at <= now() - interval '7 years';
    GET DIAGNOSTICS peer_cells = ROW_COUNT;
    rows_deleted := rows_deleted + peer_cells;
END
$$;
COMMENT ON FUNCTION delete_expired_aggregates() IS
    'Retention of the aggregated analytics (seed: 7 years): deletes published skill-demand months that ended 7 years ago or'
    ' earlier and peer-comparison cells no refresh has looked at for 7 years; returns the rows deleted.';

-- Reports --------------------------------------------------------------------------------------
CREATE FUNCTION partition_overview()
    RETURNS TABLE (schema_name text, parent text, partition_name text, is_default boolean, range_from timestamptz,
                   range_to timestamptz, rows_estimate bigint)
    LANGUAGE sql STABLE
    SET search_path = ${flyway:defaultSchema}, pg_temp
AS $$
    SELECT pn.nspname::text, p.relname::text, c.relname::text, b.bound = 'DEFAULT',
           substring(b.bound FROM $re$FROM \('([^']+)'\)$re$)::timestamptz,
           substring(b.bound FROM $re$ TO \('([^']+)'\)$re$)::timestamptz,
           greatest(c.reltuples, 0)::bigint
    FROM pg_partitioned_table pt
    JOIN pg_class p ON p.oid = pt.partrelid
    JOIN pg_namespace pn ON pn.oid = p.relnamespace
    JOIN pg_inherits i ON i.inhparent = p.oid
    JOIN pg_class c ON c.oid = i.inhrelid
    CROSS JOIN LATERAL (SELECT pg_get_expr(c.relpartbound, c.oid) AS bound) b
    WHERE pn.nspname = '${flyway:defaultSchema}'
    ORDER BY p.relname, b.bound = 'DEFAULT', 6;
$$;
COMMENT ON FUNCTION partition_overview() IS
    'Every partition of the partitioned tables of this schema: parent, partition, UTC range (NULL for DEFAULT), rows as'
    ' estimated by the last ANALYZE.';

CREATE FUNCTION default_partition_rows() RETURNS TABLE (parent text, partition_name text, row_count bigint)
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path = ${flyway:defaultSchema}, pg_temp
AS $$
DECLARE
    d record;
BEGIN
    FOR d IN
        SELECT o.parent, o.partition_name FROM partition_overview() o WHERE o.is_default ORDER BY o.parent
    LOOP
        parent := d.parent;
        partition_name := d.partition_name;
        EXECUTE format('SELECT count(*) FROM %I', d.partition_name) INTO row_count;
        IF row_count > 0 THEN
            RETURN NEXT;
        END IF;
    END LOOP;
END
$$;
COMMENT ON FUNCTION default_partition_rows() IS
    'The DEFAULT partitions that hold rows (stray times no monthly partition covers), with their exact row counts.';

REVOKE EXECUTE ON FUNCTION drop_expired_learning_events(), drop_expired_learner_analytics(), delete_expired_aggregates(),
    partition_overview(), default_partition_rows() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION drop_expired_learning_events(), drop_expired_learner_analytics(), delete_expired_aggregates(),
    partition_overview(), default_partition_rows() TO analytics_service;
