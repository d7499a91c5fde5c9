-- V040: db-scheduler's table, so that the jobs (README "Operations") have one runner across
-- all server instances: each instance's scheduler picks due executions from this table with
-- SELECT ... FOR UPDATE SKIP LOCKED and marks them picked, so one execution runs once.
--
-- The DDL is db-scheduler 16.12.0's own for PostgreSQL (its test resource
-- postgresql_tables.sql), column for column, because the library reads and writes it by
-- these names; only the schema, the constraint and index names and the privileges are ours:
--  * in schema analytics (the library passes the qualified name to db-scheduler), owned by
--    analytics_owner like every table;
--  * row-level security enabled and forced with the service path's policy only, as on
--    every table (R__210's loop ran before this table existed, so it is set here, as V035 does);
--  * only analytics_service (the role of system paths; the scheduler's connections switch to
--    it) may read or write it; users and PUBLIC have nothing. Jobs carry no task data
--    (task_data stays NULL: no Java serialization is ever read back).
--
-- Lock impact: creates a new empty table and its indexes; locks nothing that exists.

SET LOCAL ROLE analytics_owner;
DO $$
BEGIN
    IF current_user <> 'analytics_owner' THEN
        RAISE EXCEPTION 'V040 must run as analytics_owner inside a transaction (as Flyway runs it), not as %', current_user
            USING HINT = 'SET LOCAL ROLE has no effect outside a transaction: objects would be owned by the wrong role.';
    END IF;
END
$$;
SET LOCAL lock_timeout = '5s';
SET LOCAL statement_timeout = '1min'; -- new, empty tables: every statement here is instant

-- db-scheduler's own column types (it binds consecutive_failures and priority as int), kept as its DDL has them:
-- squawk-ignore-file prefer-bigint-over-int, prefer-bigint-over-smallint
CREATE TABLE scheduled_tasks (
    task_name            text                     NOT NULL,
    task_instance        text                     NOT NULL,
    task_data            bytea,
    execution_time       timestamp with time zone NOT NULL,
    picked               boolean                  NOT NULL,
    picked_by            text,
    last_success         timestamp with time zone,
    last_failure         timestamp with time zone,
    consecutive_failures integer,
    last_heartbeat       timestamp with time zone,
    version              bigint                   NOT NULL,
    priority             smallint,
    CONSTRAINT pk_scheduled_tasks PRIMARY KEY (task_name, task_instance)
);
CREATE INDEX idx_scheduled_tasks_execution_time ON scheduled_tasks (execution_time);
CREATE INDEX idx_scheduled_tasks_last_heartbeat ON scheduled_tasks (last_heartbeat);
CREATE INDEX idx_scheduled_tasks_priority_execution_time ON scheduled_tasks (priority DESC, execution_time ASC);

COMMENT ON TABLE scheduled_tasks IS
    'db-scheduler''s executions: one row per job (task_instance ''recurring''), its next execution_time and whether an '
    'instance picked it. Written by the schedulers only; job_runs has the history.';
COMMENT ON COLUMN scheduled_tasks.task_name IS 'The job''s name, as in the library''s job catalogue.';
COMMENT ON COLUMN scheduled_tasks.task_data IS 'Always NULL: jobs take no data.';
COMMENT ON COLUMN scheduled_tasks.picked_by IS 'The scheduler instance running it now (its name), while picked.';
COMMENT ON COLUMN scheduled_tasks.consecutive_failures IS 'Failures since the last success; the retry back-off grows with it.';
COMMENT ON COLUMN scheduled_tasks.last_heartbeat IS 'Refreshed while running; an execution whose heartbeats stop is revived elsewhere.';
COMMENT ON COLUMN scheduled_tasks.version IS 'Optimistic lock of db-scheduler''s updates.';

ALTER TABLE scheduled_tasks ENABLE ROW LEVEL SECURITY;
ALTER TABLE scheduled_tasks FORCE ROW LEVEL SECURITY;
CREATE POLICY scheduled_tasks_service_all ON scheduled_tasks FOR ALL TO analytics_service, analytics_owner USING (true) WITH CHECK (true);
COMMENT ON POLICY scheduled_tasks_service_all ON scheduled_tasks IS
    'Service paths (ingestion, jobs) and the owner''s SECURITY DEFINER helpers see and write everything.';

REVOKE ALL ON scheduled_tasks FROM PUBLIC;
GRANT SELECT, INSERT, UPDATE, DELETE ON scheduled_tasks TO analytics_service;
