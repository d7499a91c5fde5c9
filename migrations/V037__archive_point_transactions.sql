-- V037: archive of old ledger months, and expiry of award idempotency keys.
--
-- What:
--  * Schema analytics_archive, owned by analytics_owner, with analytics_archive.point_transactions:
--    the ledger's columns (user_id kept, for erasure and export), partitioned by month like
--    the ledger, primary key (id, "timestamp"), the same page index and the same foreign key
--    to users (ON DELETE RESTRICT: erasing a user deletes their archived rows first, as it
--    does their ledger rows).
--  * archive_point_transactions(p_before): detaches every monthly ledger partition that
--    lies wholly before p_before and attaches it to the archive table (no row is copied).
--    The previous and the current month always stay in the ledger (the weekly board, the
--    caps and the late-award window read them): a later p_before is refused.
--  * expire_award_keys(p_before): deletes the idempotency keys (award_keys, V007) created
--    before p_before, at least a day ago.
--  * ledger_horizons (one row): how far both have gone. award_points (R__220) refuses an
--    award whose occurred_at lies before either horizon: its key may be gone (a replay could
--    no longer be recognised and would count twice) or its month archived (the row would
--    land in the DEFAULT partition, out of reach of its archived month).
-- Decisions (the seed has no archive; database-architecture.md "Retention" names no period
-- for the ledger, which is kept forever, in the archive once old):
--  * Keys: the lifecycle job keeps them 90 days. An award replayed with its occurred_at
--    after its key expired is refused (INVALID, "before the idempotency horizon"), never
--    counted twice. An award sent without occurred_at is "now": a replay of it after 90
--    days cannot be told apart from a new award, so sources that replay late must send
--    occurred_at (the event's time), as the award API documents.
--  * Archived rows still count: replay_user_points (R__240) sums ledger and archive, and
--    activityCount achievements (R__220) count both. The learner's ledger page
--    (Points.transactions) shows the live ledger only (the archive is not granted to users:
--    it has no row-level security; a learner's export includes it).
--  * The service role (jobs, erasure, export) reads and deletes archived rows; users and
--    platform admins get nothing on the archive.
-- Lock impact: creates new objects only; nothing existing is locked. (The functions lock
-- when called: archive_point_transactions takes ACCESS EXCLUSIVE on the ledger for the
-- DETACH, milliseconds once granted, and waits at most 5 s (lock_timeout) for it. DETACH
-- CONCURRENTLY cannot run inside a function, which is a transaction.)

-- The schema is created by the migration login (it created the analytics schema, so it may
-- create schemas in this database; analytics_owner may not) and handed to analytics_owner.
SET LOCAL lock_timeout = '5s';
CREATE SCHEMA analytics_archive AUTHORIZATION analytics_owner;

SET LOCAL ROLE analytics_owner;
DO $$
BEGIN
    IF current_user <> 'analytics_owner' THEN
        RAISE EXCEPTION 'V037 must run as analytics_owner inside a transaction (as Flyway runs it), not as %', current_user
            USING HINT = 'SET LOCAL ROLE has no effect outside a transaction: objects would be owned by the wrong role.';
    END IF;
END
$$;
SET LOCAL lock_timeout = '5s';

COMMENT ON SCHEMA analytics_archive IS
    'Archived data: old months of the analytics tables, detached whole. Read and erased by the service role only.';
REVOKE ALL ON SCHEMA analytics_archive FROM PUBLIC;
GRANT USAGE ON SCHEMA analytics_archive TO analytics_service;

CREATE TABLE analytics_archive.point_transactions (
    id            uuid        NOT NULL,
    user_id       uuid        NOT NULL,
    points        integer     NOT NULL,
    activity_type text        NOT NULL,
    metadata      jsonb,
    "timestamp"   timestamptz NOT NULL,
    CONSTRAINT pk_archived_point_transactions PRIMARY KEY (id, "timestamp"),
    CONSTRAINT fk_archived_point_transactions_user FOREIGN KEY (user_id)
        REFERENCES ${flyway:defaultSchema}.users (id) ON DELETE RESTRICT
) PARTITION BY RANGE ("timestamp");
COMMENT ON TABLE analytics_archive.point_transactions IS
    'Archived months of the points ledger (analytics.point_transactions), one partition per UTC month, moved by'
    ' archive_point_transactions(). Still counted by replay_user_points().';
-- The ledger's page index: an attached partition brings its own, so attaching builds nothing.
CREATE INDEX idx_archived_point_transactions_user_time
    ON analytics_archive.point_transactions (user_id, "timestamp" DESC, id DESC);
REVOKE ALL ON analytics_archive.point_transactions FROM PUBLIC;
GRANT SELECT, DELETE ON analytics_archive.point_transactions TO analytics_service;

CREATE TABLE ledger_horizons (
    id                        boolean     NOT NULL DEFAULT true,
    award_keys_expired_before timestamptz NOT NULL DEFAULT '-infinity',
    archived_before           timestamptz NOT NULL DEFAULT '-infinity',
    CONSTRAINT pk_ledger_horizons PRIMARY KEY (id),
    CONSTRAINT ck_ledger_horizons_one_row CHECK (id)
);
COMMENT ON TABLE ledger_horizons IS
    'How far the lifecycle has gone: keys created before award_keys_expired_before are deleted, ledger months before'
    ' archived_before are archived. Awards with an occurred_at before either are refused.';
INSERT INTO ledger_horizons DEFAULT VALUES;
ALTER TABLE ledger_horizons ENABLE ROW LEVEL SECURITY;
ALTER TABLE ledger_horizons FORCE ROW LEVEL SECURITY; -- policies: R__210, as for every table
REVOKE ALL ON ledger_horizons FROM PUBLIC;
GRANT SELECT ON ledger_horizons TO analytics_service;

CREATE FUNCTION archive_point_transactions(p_before timestamptz)
    RETURNS TABLE (partition_name text, range_start timestamptz, range_end timestamptz, moved_rows bigint)
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = ${flyway:defaultSchema}, pg_temp
    SET lock_timeout = '5s'
AS $$
DECLARE
    part record;
    bounds text[];
BEGIN
    IF p_before IS NULL OR p_before > date_trunc('month', now(), 'UTC') - interval '1 month' THEN
        RAISE EXCEPTION 'p_before must be at most the start of the previous month (UTC), got %', p_before
            USING ERRCODE = '22023';
    END IF;
    FOR part IN
        SELECT c.relname, pg_get_expr(c.relpartbound, c.oid) AS bound
        FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
        WHERE i.inhparent = '${flyway:defaultSchema}.point_transactions'::regclass
          AND pg_get_expr(c.relpartbound, c.oid) <> 'DEFAULT'
        ORDER BY c.relname
    LOOP
        bounds := regexp_match(part.bound, '^FOR VALUES FROM \(''([^'']+)''\) TO \(''([^'']+)''\)$');
        CONTINUE WHEN bounds IS NULL OR bounds[2]::timestamptz > p_before;
        EXECUTE format('ALTER TABLE point_transactions DETACH PARTITION %I', part.relname);
        EXECUTE format('ALTER TABLE %I SET SCHEMA analytics_archive', part.relname);
        -- Scans the month once to check its range (it is detached: nobody else waits for it).
        EXECUTE format('ALTER TABLE analytics_archive.point_transactions ATTACH PARTITION analytics_archive.%I'
                       ' FOR VALUES FROM (%L) TO (%L)', part.relname, bounds[1], bounds[2]);
        partition_name := part.relname;
        range_start := bounds[1]::timestamptz;
        range_end := bounds[2]::timestamptz;
        EXECUTE format('SELECT count(*) FROM analytics_archive.%I', part.relname) INTO moved_rows;
        UPDATE ledger_horizons SET archived_before = greatest(archived_before, range_end);
        RETURN NEXT;
    END LOOP;
END
$$;
COMMENT ON FUNCTION archive_point_transactions(timestamptz) IS
    'Moves every monthly ledger partition wholly before p_before (at most the start of the previous month) to'
    ' analytics_archive.point_transactions; returns each partition moved with its range and row count.';

CREATE FUNCTION expire_award_keys(p_before timestamptz) RETURNS bigint
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = ${flyway:defaultSchema}, pg_temp
AS $$
DECLARE
    removed bigint;
BEGIN
    IF p_before IS NULL OR p_before > now() - interval '1 day' THEN
        RAISE EXCEPTION 'p_before must be at least a day ago, got %', p_before USING ERRCODE = '22023';
    END IF;
    -- The horizon first: an award racing this call is refused rather than recorded under a key about to go.
    UPDATE ledger_horizons SET award_keys_expired_before = greatest(award_keys_expired_before, p_before);
    DELETE FROM award_keys WHERE created_at < p_before;
    GET DIAGNOSTICS removed = ROW_COUNT;
    RETURN removed;
END
$$;
COMMENT ON FUNCTION expire_award_keys(timestamptz) IS
    'Deletes the award idempotency keys created before p_before (at least a day ago) and refuses later awards that'
    ' occurred before it; returns how many keys it deleted.';

REVOKE EXECUTE ON FUNCTION archive_point_transactions(timestamptz), expire_award_keys(timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION archive_point_transactions(timestamptz), expire_award_keys(timestamptz) TO analytics_service;
