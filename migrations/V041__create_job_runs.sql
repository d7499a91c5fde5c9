-- V041: job_runs, the history of every job execution, scheduled or run by hand: what
-- GET /v1/admin/jobs and db.system().jobs().list() show as the last run (start, duration,
-- outcome, error). One row per execution, written when it ends by the library's one run
-- wrapper (org.learninganalytics.db.jobs), which also applies the retention below.
--
-- Not in the seed (it prescribes the cadence, not how runs are observed). Decisions:
--  * outcome: succeeded, failed, or skipped (a scheduled execution that found the same job
--    running already, e.g. started by hand on another instance: it is not run twice).
--  * error: a short message for operators, at most 500 characters, only on failures. The
--    library writes its own typed messages, which never carry SQL text, and for anything
--    else only the exception's class name.
--  * retention: the runs of the last 90 days, and at least the 20 newest of each job, however
--    old (so a job that runs rarely keeps its history). Hourly jobs keep ~2,200 rows each.
--  * "latest run per job" reads idx_job_runs_job_started (one index probe per job).
--
-- Lock impact: creates a new empty table and its index; locks nothing that exists.

SET LOCAL ROLE analytics_owner;
DO $$
BEGIN
    IF current_user <> 'analytics_owner' THEN
        RAISE EXCEPTION 'V041 must run as analytics_owner inside a transaction (as Flyway runs it), not as %', current_user
            USING HINT = 'SET LOCAL ROLE has no effect outside a transaction: objects would be owned by the wrong role.';
    END IF;
END
$$;
SET LOCAL lock_timeout = '5s';
SET LOCAL statement_timeout = '1min'; -- new, empty tables: every statement here is instant

CREATE TABLE job_runs (
    id            bigint      GENERATED ALWAYS AS IDENTITY,
    job_name      text        NOT NULL,
    instance      text        NOT NULL,
    trigger       text        NOT NULL,
    scheduled_for timestamptz,
    started_at    timestamptz NOT NULL,
    finished_at   timestamptz NOT NULL,
    duration_ms   bigint      NOT NULL,
    outcome       text        NOT NULL,
    error         text,
    CONSTRAINT pk_job_runs PRIMARY KEY (id),
    CONSTRAINT ck_job_runs_job_name CHECK (job_name ~ '^[a-z][a-z0-9-]{0,62}$'),
    CONSTRAINT ck_job_runs_instance CHECK (btrim(instance) <> '' AND length(instance) <= 200),
    CONSTRAINT ck_job_runs_trigger CHECK (trigger IN ('scheduled', 'manual')),
    CONSTRAINT ck_job_runs_scheduled_for CHECK ((trigger = 'scheduled') = (scheduled_for IS NOT NULL)),
    CONSTRAINT ck_job_runs_times CHECK (finished_at >= started_at AND duration_ms >= 0),
    CONSTRAINT ck_job_runs_outcome CHECK (outcome IN ('succeeded', 'failed', 'skipped')),
    CONSTRAINT ck_job_runs_error CHECK ((outcome = 'failed') = (error IS NOT NULL) AND length(error) <= 500)
);
CREATE INDEX idx_job_runs_job_started ON job_runs (job_name, started_at DESC);

COMMENT ON TABLE job_runs IS
    'One row per job execution (scheduled or by hand), written when it ends. Kept 90 days, and at least the 20 newest per job.';
COMMENT ON COLUMN job_runs.instance IS 'The server instance (scheduler name) that ran it.';
COMMENT ON COLUMN job_runs.trigger IS 'scheduled: by the scheduler; manual: POST /v1/admin/jobs/{name}/run, run-job or the library.';
COMMENT ON COLUMN job_runs.scheduled_for IS 'The execution time the scheduler ran it for; NULL for manual runs.';
COMMENT ON COLUMN job_runs.duration_ms IS 'Measured on a monotonic clock; finished_at = started_at + duration.';
COMMENT ON COLUMN job_runs.outcome IS 'succeeded, failed, or skipped (the job was running already elsewhere).';
COMMENT ON COLUMN job_runs.error IS 'Failures only: a short message without SQL text, for operators.';

ALTER TABLE job_runs ENABLE ROW LEVEL SECURITY;
ALTER TABLE job_runs FORCE ROW LEVEL SECURITY;
CREATE POLICY job_runs_service_all ON job_runs FOR ALL TO analytics_service, analytics_owner USING (true) WITH CHECK (true);
COMMENT ON POLICY job_runs_service_all ON job_runs IS
    'Service paths (ingestion, jobs) and the owner''s SECURITY DEFINER helpers see and write everything.';

REVOKE ALL ON job_runs FROM PUBLIC;
GRANT SELECT, INSERT, DELETE ON job_runs TO analytics_service;
