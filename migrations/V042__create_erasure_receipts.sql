-- V042: receipts of erasures (a learner's right to be forgotten, issue 12 item 4).
--
-- erase_user() (R__280_erasure.sql) removes everything stored about one user in one
-- transaction and leaves one row here as evidence that an erasure happened and what it
-- removed: a random receipt id, when, and per table how many rows were deleted or redacted
-- and which views were refreshed at once. On purpose NO user id, e-mail, name or hash of
-- them: a receipt that could be linked back to the person would itself be personal data
-- (a hash of a UUID is trivially reversible by trying the known ids). The caller keeps the
-- receipt id next to its own erasure request if it needs to prove the request was served.
--
-- Not in the seed (it has no erasure). Receipts are kept for ever; they hold no personal data.
--
-- Lock impact: creates one new, empty table; no lock on existing tables.

SET LOCAL ROLE analytics_owner;
DO $$
BEGIN
    IF current_user <> 'analytics_owner' THEN
        RAISE EXCEPTION 'V042 must run as analytics_owner inside a transaction (as Flyway runs it), not as %', current_user
            USING HINT = 'SET LOCAL ROLE has no effect outside a transaction: objects would be owned by the wrong role.';
    END IF;
END
$$;
SET LOCAL lock_timeout = '5s';

CREATE TABLE erasure_receipts (
    id             uuid        NOT NULL DEFAULT gen_random_uuid(),
    erased_at      timestamptz NOT NULL DEFAULT now(),
    deleted_rows   jsonb       NOT NULL,
    redacted_rows  jsonb       NOT NULL,
    refreshed      text[]      NOT NULL,
    CONSTRAINT pk_erasure_receipts PRIMARY KEY (id),
    CONSTRAINT ck_erasure_receipts_deleted_object CHECK (jsonb_typeof(deleted_rows) = 'object'),
    CONSTRAINT ck_erasure_receipts_redacted_object CHECK (jsonb_typeof(redacted_rows) = 'object')
);
COMMENT ON TABLE erasure_receipts IS
    'One row per erased user, without any personal data: when, and how many rows of which table were removed.';
COMMENT ON COLUMN erasure_receipts.deleted_rows IS
    'Table (schema-qualified when not in the main schema) -> rows of the user deleted, e.g. {"point_transactions": 12}.';
COMMENT ON COLUMN erasure_receipts.redacted_rows IS
    'Table.column -> rows of OTHER users (or courses) in which a mention of the erased user was replaced by "[erased]" or NULL.';
COMMENT ON COLUMN erasure_receipts.refreshed IS
    'Leaderboard and aggregate views refreshed inside the erasure because the user appeared on them.';

-- Row-level security as R__210 sets it on every table (it re-creates the same policies when it runs).
ALTER TABLE erasure_receipts ENABLE ROW LEVEL SECURITY;
ALTER TABLE erasure_receipts FORCE ROW LEVEL SECURITY;
CREATE POLICY erasure_receipts_service_all ON erasure_receipts FOR ALL TO analytics_service, analytics_owner
    USING (true) WITH CHECK (true);

REVOKE ALL ON erasure_receipts FROM PUBLIC;
GRANT SELECT ON erasure_receipts TO analytics_service;
