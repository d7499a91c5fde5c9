-- V018: the ledger's per-user index ends with the row id, so that a page of a user's ledger
-- (Points.transactions: newest first, keyset on ("timestamp", id)) is an index range scan
-- that reads exactly the page.
--
-- Why: with idx_point_transactions_user_time on (user_id, "timestamp" DESC), the tie-breaker
-- id is not in the index. At benchmark scale (5,000,245 ledger rows) the planner estimates
-- ~26 rows per user and sorts all of a user's remaining rows for every page: the first page
-- of 50 for the heaviest user (2,107 rows) read 1,869 rows from the heap (1,782 buffers).
-- With id in the index the cursor's row comparison is an index condition and a page reads
-- its 51 entries (checked with EXPLAIN on a 320,000-row ledger, a user of 20,000 rows).
--
-- Replaced, not added: the new index serves every query the old one did (caps and counts
-- in award_points(), replay, "my points since"; all use a prefix), so awards still write one
-- per-user ledger index. It keeps the seed's name, idx_point_transactions_user_time (the seed
-- lists it; its definition here gains the trailing id DESC).
--
-- Lock impact: CREATE INDEX holds a SHARE lock on point_transactions while it builds: reads
-- go on, awards wait for the build (not measured at 5 million rows; plan for seconds). DROP
-- INDEX takes an ACCESS EXCLUSIVE lock for a moment. On a large ledger a DBA may build the
-- index beforehand without blocking writes, and this migration then only swaps the names:
--   CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_point_transactions_user_time_id
--       ON analytics.point_transactions (user_id, "timestamp" DESC, id DESC);
-- Runs as the migrating user (a member of analytics_owner, which owns the table and its indexes).

SET LOCAL lock_timeout = '5s';

CREATE INDEX IF NOT EXISTS idx_point_transactions_user_time_id
    ON ${flyway:defaultSchema}.point_transactions (user_id, "timestamp" DESC, id DESC);
DROP INDEX ${flyway:defaultSchema}.idx_point_transactions_user_time;
ALTER INDEX ${flyway:defaultSchema}.idx_point_transactions_user_time_id RENAME TO idx_point_transactions_user_time;
COMMENT ON INDEX ${flyway:defaultSchema}.idx_point_transactions_user_time IS
    'A user''s ledger by time; id last, so that ledger pages (keyset on "timestamp", id) are index range scans.';
