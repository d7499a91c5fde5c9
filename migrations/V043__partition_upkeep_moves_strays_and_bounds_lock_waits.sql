-- V043: partition upkeep of the learning events and the ledger (review of issue 12).
--
-- Two defects of the partition functions the partition-upkeep job calls daily:
--  1. create_learning_event_partitions() (V019) ran CREATE TABLE ... PARTITION OF, which fails
--     ("updated partition constraint for default partition would be violated") as soon as
--     learning_events_default holds one row of the month to make (say, after the jobs were off
--     for a while). The job stopped there, so no table got its next months any more (learning
--     events come first in Lifecycle.upkeepPartitions()) and every later row fell into a
--     DEFAULT partition. It now makes each month with create_monthly_partition() (V038), which
--     moves that month's rows out of the DEFAULT partition, as the other tables' functions do.
--  2. create_learning_event_partitions() and create_point_transaction_partitions() (V036) had no
--     lock_timeout, and the service path sets none: CREATE TABLE ... PARTITION OF takes an
--     ACCESS EXCLUSIVE lock on the parent, so behind one long reader of the ledger or of the
--     events it queued every read and write of that table until the reader ended. Both now
--     wait at most 5 s (as create_learner_analytics_partitions() of V038 does) and the run
--     fails, retried by the job, instead.
-- Same signatures, grants (analytics_service only) and results as before.
-- Lock impact: replaces one function and sets an option of another (catalog rows only); no
-- table is locked. lock_timeout 5 s as every new migration.

SET LOCAL ROLE analytics_owner;
DO $$
BEGIN
    IF current_user <> 'analytics_owner' THEN
        RAISE EXCEPTION 'V043 must run as analytics_owner inside a transaction (as Flyway runs it), not as %', current_user
            USING HINT = 'SET LOCAL ROLE has no effect outside a transaction: objects would be owned by the wrong role.';
    END IF;
END
$$;
SET LOCAL lock_timeout = '5s';

CREATE OR REPLACE FUNCTION create_learning_event_partitions(from_month date, months integer) RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = ${flyway:defaultSchema}, pg_temp
    SET lock_timeout = '5s'
AS $$
DECLARE
    made integer := 0;
BEGIN
    IF from_month IS NULL OR months IS NULL OR months < 1 OR months > 120 THEN
        RAISE EXCEPTION 'months must be from 1 to 120 and from_month given, got % and %', months, from_month USING ERRCODE = '22023';
    END IF;
    FOR i IN 0 .. months - 1 LOOP
        IF create_monthly_partition('learning_events', (date_trunc('month', from_month) + make_interval(months => i))::date) THEN
            made := made + 1;
        END IF;
    END LOOP;
    RETURN made;
END
$$;
COMMENT ON FUNCTION create_learning_event_partitions(date, integer) IS
    'Creates the missing monthly partitions of learning_events (UTC months) from from_month on, moving their rows out of the'
    ' DEFAULT partition; returns how many it made. Waits at most 5 s for the table''s lock.';

ALTER FUNCTION create_point_transaction_partitions(date, integer) SET lock_timeout = '5s';
