-- V036: the points ledger (point_transactions, V004) becomes partitioned by month.
--
-- What: point_transactions is PARTITION BY RANGE ("timestamp"), one partition per UTC month
-- (point_transactions_YYYY_MM) and a DEFAULT partition (point_transactions_default) for
-- stray times. This migration makes a partition for every month that holds rows, and for
-- the previous, current and three next months; create_point_transaction_partitions(from,
-- months) makes more (a job calls it) and is idempotent.
-- Why: the weekly and monthly leaderboard refreshes (leaderboard_points_since, V015) read
-- only the partitions of their period instead of the whole ledger, and old months can be
-- archived by detaching whole partitions (V037) instead of deleting rows.
--
-- New: a BRIN index on "timestamp" (idx_point_transactions_time), so that the weekly board
-- reads only the last blocks of last month's partition when the week began in it.
-- Behaviour kept (copied from the old table by name, so nothing is retyped by hand): columns,
-- defaults, CHECK constraints (ck_point_transactions_metadata_bounded stays NOT VALID, as
-- V012 left it), the foreign key to users (ON DELETE RESTRICT), V018's page index
-- idx_point_transactions_user_time, grants, row-level security (enabled, forced, the same
-- policies; R__210 re-creates them by table list), table and column comments. Partitions
-- get no grant and no policy: only the owner reaches them directly, every other role only
-- through the parent, whose policies apply.
--
-- Deviation (the cost of partitioning): the primary key is (id, "timestamp"), because a
-- primary key of a partitioned table must include the partition key. Uniqueness of id alone
-- is no longer enforced across months; ids come from gen_random_uuid() (122 random bits), and
-- idempotency of awards rests on award_keys (V007), not on ledger ids, so nothing relies on
-- it. A lookup by id alone probes every partition's primary key index (cheap: one probe per
-- month); the ledger pages (Points.transactions) look up by (user_id, "timestamp", id).
--
-- How (for a live database): the rows are copied into a new partitioned table and the names
-- swapped, in this one transaction:
--   1. LOCK point_transactions IN SHARE MODE: awards (every INSERT) and erasures (DELETE)
--      wait; every read goes on (leaderboard refreshes, ledger pages, replays).
--   2. create the partitioned table and its partitions, copy every row, build the primary
--      key, the page index and the foreign key check, ANALYZE: reads still go on.
--   3. drop the old table and rename the new one into place: ACCESS EXCLUSIVE from here to
--      the commit, a few milliseconds of catalogue work, so reads wait only that long.
-- Lock impact, measured at benchmark scale (5,000,000 ledger rows, 200,000 users;
-- scripts/bench lifecycle, 2026-12-06, this project's shared 2-core machine, two runs): the
-- migration took 16.8-22.9 s. A ledger write (award, erasure) waited all of it (16.8-22.9 s);
-- a ledger read waited at most 0.014-0.038 s (the swap). users: the foreign key check takes SHARE ROW
-- EXCLUSIVE on it, so writes to users (ingestion of users) wait from that check to the
-- commit, the last few seconds; reads of users go on. lock_timeout 5 s: if a long
-- transaction holds the ledger, the migration fails without having changed anything and can
-- be run again later.
-- A DBA who cannot stop awards for that long runs it at a quiet hour: it needs no downtime
-- for readers, and awards that wait are not lost (they complete after the commit unless the
-- caller times out first).
-- Runs as analytics_owner, which then owns the new objects.

SET LOCAL ROLE analytics_owner;
DO $$
BEGIN
    IF current_user <> 'analytics_owner' THEN
        RAISE EXCEPTION 'V036 must run as analytics_owner inside a transaction (as Flyway runs it), not as %', current_user
            USING HINT = 'SET LOCAL ROLE has no effect outside a transaction: objects would be owned by the wrong role.';
    END IF;
END
$$;
SET LOCAL lock_timeout = '5s';

-- 1. Writers wait from here to the commit; readers do not.
LOCK TABLE point_transactions IN SHARE MODE;

-- 2. The new ledger, built beside the old one. Names that are relations (the primary key's
-- index, the page index) are schema-wide, so they get their final names after the swap.
CREATE TABLE point_transactions_partitioned (
    id            uuid        NOT NULL DEFAULT gen_random_uuid(),
    user_id       uuid        NOT NULL,
    points        integer     NOT NULL,
    activity_type text        NOT NULL,
    metadata      jsonb,
    "timestamp"   timestamptz NOT NULL DEFAULT now()
) PARTITION BY RANGE ("timestamp");

-- Monthly partitions point_transactions_YYYY_MM for the months of [p_from, p_from + p_months).
-- SECURITY DEFINER: the service role's job calls it, and the partitions must belong to the
-- owner (no grant on them: they are reached through the parent only). Rows of a new month
-- that are already in the DEFAULT partition (a stray award before its month's partition
-- existed) are moved into it, otherwise PostgreSQL would refuse to create the partition.
CREATE FUNCTION create_point_transaction_partitions(p_from date, p_months integer) RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = ${flyway:defaultSchema}, pg_temp
AS $$
DECLARE
    first date := date_trunc('month', p_from)::date;
    made integer := 0;
    month_start date;
    lower_bound timestamptz;
    upper_bound timestamptz;
    name text;
    parent regclass := to_regclass('${flyway:defaultSchema}.point_transactions');
    default_partition regclass := to_regclass('${flyway:defaultSchema}.point_transactions_default');
BEGIN
    IF p_from IS NULL OR p_months IS NULL OR p_months < 1 OR p_months > 120 THEN
        RAISE EXCEPTION 'p_from is required and p_months must be from 1 to 120, got %', p_months USING ERRCODE = '22023';
    END IF;
    -- Before the swap of V036 the partitioned table still has its building name.
    IF parent IS NULL OR NOT EXISTS (SELECT 1 FROM pg_partitioned_table WHERE partrelid = parent) THEN
        parent := to_regclass('${flyway:defaultSchema}.point_transactions_partitioned');
    END IF;
    FOR i IN 0 .. p_months - 1 LOOP
        month_start := (first + make_interval(months => i))::date;
        name := format('point_transactions_%s', to_char(month_start, 'YYYY_MM'));
        lower_bound := month_start::timestamp AT TIME ZONE 'UTC';
        upper_bound := (month_start + interval '1 month')::timestamp AT TIME ZONE 'UTC';
        -- A month already archived (V037) is not made again: its rows are in the archive.
        IF to_regclass(format('%I.%I', '${flyway:defaultSchema}', name)) IS NULL
           AND to_regclass(format('analytics_archive.%I', name)) IS NULL THEN
            IF default_partition IS NOT NULL THEN
                EXECUTE format('CREATE TEMP TABLE stray_point_transactions ON COMMIT DROP AS
                                WITH moved AS (DELETE FROM %s WHERE "timestamp" >= %L AND "timestamp" < %L RETURNING *)
                                SELECT * FROM moved', default_partition, lower_bound, upper_bound);
            END IF;
            EXECUTE format('CREATE TABLE %I PARTITION OF %s FOR VALUES FROM (%L) TO (%L)', name, parent, lower_bound, upper_bound);
            IF default_partition IS NOT NULL THEN
                EXECUTE format('INSERT INTO %s SELECT * FROM stray_point_transactions', parent);
                DROP TABLE stray_point_transactions;
            END IF;
            made := made + 1;
        END IF;
    END LOOP;
    RETURN made;
END
$$;
COMMENT ON FUNCTION create_point_transaction_partitions(date, integer) IS
    'Creates the missing monthly partitions of point_transactions (UTC months) from p_from on; returns how many it made.';
REVOKE EXECUTE ON FUNCTION create_point_transaction_partitions(date, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION create_point_transaction_partitions(date, integer) TO analytics_service;

-- A partition for every month that has rows (one scan of the ledger: there is no index on
-- the time alone), then the month before, this month and three ahead. Months between two
-- months with rows are not filled in: a rare late award for such a month lands in DEFAULT
-- until the job creates its partition, which moves it.
DO $$
DECLARE
    month date;
BEGIN
    FOR month IN
        SELECT DISTINCT date_trunc('month', t."timestamp" AT TIME ZONE 'UTC')::date FROM point_transactions t
        UNION
        SELECT (date_trunc('month', now() AT TIME ZONE 'UTC') + make_interval(months => m))::date FROM generate_series(-1, 3) m
    LOOP
        PERFORM create_point_transaction_partitions(month, 1);
    END LOOP;
END
$$;
CREATE TABLE point_transactions_default PARTITION OF point_transactions_partitioned DEFAULT;
COMMENT ON TABLE point_transactions_default IS
    'Ledger rows outside every monthly partition; should stay empty (create_point_transaction_partitions moves them out).';

-- The old table's CHECK constraints: the validated ones before the copy (each row is checked
-- as it is copied, instead of one more scan after it), a NOT VALID one (V012's) after it, so
-- that it stays NOT VALID (PostgreSQL 15 accepts that on a partitioned table).
CREATE FUNCTION pg_temp.copy_point_transaction_checks(p_validated boolean) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    item record;
BEGIN
    FOR item IN SELECT conname, pg_get_constraintdef(oid) AS def FROM pg_constraint
                WHERE conrelid = 'point_transactions'::regclass AND contype = 'c' AND convalidated = p_validated
                ORDER BY conname LOOP
        EXECUTE format('ALTER TABLE point_transactions_partitioned ADD CONSTRAINT %I %s', item.conname, item.def);
    END LOOP;
END
$$;
SELECT pg_temp.copy_point_transaction_checks(true);

INSERT INTO point_transactions_partitioned (id, user_id, points, activity_type, metadata, "timestamp")
SELECT id, user_id, points, activity_type, metadata, "timestamp" FROM point_transactions;

SELECT pg_temp.copy_point_transaction_checks(false);

-- Built after the copy: one sort per partition instead of an index insert per row.
-- Accepted (adding-serial-primary-key-field): the table is new and nobody reads it yet; its lock blocks no one.
-- squawk-ignore adding-serial-primary-key-field
ALTER TABLE point_transactions_partitioned ADD CONSTRAINT pk_point_transactions_partitioned PRIMARY KEY (id, "timestamp");
CREATE INDEX idx_point_transactions_partitioned_user_time ON point_transactions_partitioned (user_id, "timestamp" DESC, id DESC);
-- New: the weekly board's first days often lie in last month's partition. The ledger is
-- written in time order, so a BRIN index (a few pages a month, next to nothing per award)
-- lets the refresh read only that month's last blocks instead of all of it.
CREATE INDEX idx_point_transactions_time ON point_transactions_partitioned USING brin ("timestamp");
-- Checked once per partition as a join (not once per row during the copy).
ALTER TABLE point_transactions_partitioned ADD CONSTRAINT fk_point_transactions_user
    FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE RESTRICT;

-- Grants, policies, row-level security flags and comments: as the old table has them.
DO $$
DECLARE
    item record;
BEGIN
    -- In the old ACL's order, so the new ACL (and db/schema.sql) is the same on every cluster.
    FOR item IN SELECT a.grantee::regrole::text AS grantee, string_agg(a.privilege_type, ', ' ORDER BY a.n) AS privileges
                FROM pg_class c, aclexplode(c.relacl) WITH ORDINALITY AS a(grantor, grantee, privilege_type, is_grantable, n)
                WHERE c.oid = 'point_transactions'::regclass AND a.grantee <> c.relowner
                GROUP BY a.grantee ORDER BY min(a.n) LOOP
        EXECUTE format('GRANT %s ON point_transactions_partitioned TO %s', item.privileges, item.grantee);
    END LOOP;
    FOR item IN SELECT p.polname, p.polcmd, p.polpermissive,
                       (SELECT string_agg(CASE WHEN r = 0 THEN 'PUBLIC' ELSE r::regrole::text END, ', ')
                        FROM unnest(p.polroles) r) AS roles,
                       pg_get_expr(p.polqual, p.polrelid) AS qual, pg_get_expr(p.polwithcheck, p.polrelid) AS with_check,
                       obj_description(p.oid, 'pg_policy') AS description
                FROM pg_policy p WHERE p.polrelid = 'point_transactions'::regclass LOOP
        EXECUTE format('CREATE POLICY %I ON point_transactions_partitioned AS %s FOR %s TO %s%s%s',
                       item.polname, CASE WHEN item.polpermissive THEN 'PERMISSIVE' ELSE 'RESTRICTIVE' END,
                       CASE item.polcmd WHEN 'r' THEN 'SELECT' WHEN 'a' THEN 'INSERT' WHEN 'w' THEN 'UPDATE'
                                        WHEN 'd' THEN 'DELETE' ELSE 'ALL' END,
                       item.roles,
                       coalesce(' USING (' || item.qual || ')', ''), coalesce(' WITH CHECK (' || item.with_check || ')', ''));
        EXECUTE format('COMMENT ON POLICY %I ON point_transactions_partitioned IS %L', item.polname, item.description);
    END LOOP;
    IF (SELECT relrowsecurity FROM pg_class WHERE oid = 'point_transactions'::regclass) THEN
        ALTER TABLE point_transactions_partitioned ENABLE ROW LEVEL SECURITY;
    END IF;
    IF (SELECT relforcerowsecurity FROM pg_class WHERE oid = 'point_transactions'::regclass) THEN
        ALTER TABLE point_transactions_partitioned FORCE ROW LEVEL SECURITY;
    END IF;
    FOR item IN SELECT a.attname, col_description(a.attrelid, a.attnum) AS description FROM pg_attribute a
                WHERE a.attrelid = 'point_transactions'::regclass AND a.attnum > 0 AND NOT a.attisdropped
                  AND col_description(a.attrelid, a.attnum) IS NOT NULL LOOP
        EXECUTE format('COMMENT ON COLUMN point_transactions_partitioned.%I IS %L', item.attname, item.description);
    END LOOP;
END
$$;
COMMENT ON TABLE point_transactions_partitioned IS
    'The points ledger: one row per award (or correction), never updated in place. Monthly partitions by "timestamp"'
    ' (UTC months); months archived by archive_point_transactions() move to analytics_archive.point_transactions.';
COMMENT ON INDEX idx_point_transactions_time IS
    'Block ranges by time: the leaderboard refreshes read only the blocks of their period in a partly covered month.';
COMMENT ON INDEX idx_point_transactions_partitioned_user_time IS
    'A learner''s ledger, newest first, with the row id as the tie-breaker of keyset pages (V018).';

-- Statistics before the swap, so the first plans after it are good (autovacuum never
-- analyzes a partitioned parent).
ANALYZE point_transactions_partitioned;

-- 3. The swap: ACCESS EXCLUSIVE on the old table from here to the commit. Nothing but
-- its own constraints, policies and indexes depends on it (leaderboard_points_since and the
-- PL/pgSQL functions name it in their bodies, resolved at run time), so a plain DROP
-- succeeds, and fails rather than cascades if something new came to depend on it.
-- Accepted (ban-drop-table): the old ledger, whose every row was copied above; clients see the new table under its name.
-- squawk-ignore ban-drop-table
DROP TABLE point_transactions;
-- Accepted (renaming-table): the swap itself; every reader names point_transactions, which is the new table from here.
-- squawk-ignore renaming-table
ALTER TABLE point_transactions_partitioned RENAME TO point_transactions;
ALTER TABLE point_transactions RENAME CONSTRAINT pk_point_transactions_partitioned TO pk_point_transactions;
ALTER INDEX idx_point_transactions_partitioned_user_time RENAME TO idx_point_transactions_user_time;
