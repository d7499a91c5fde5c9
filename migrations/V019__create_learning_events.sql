-- V019: learning events, the course -> skill mapping and course length.
--
-- Deviations from the seed, on purpose (ANALYTICS.md defines what the analytics need):
--  * learning_events is the activity log the seed's retention table names ("User Activity
--    Logs, 90 days") but never defines: one row per learning statement from other services
--    (our own shape or an xAPI 1.0.3 statement), partitioned by month of occurred_at (UTC
--    months) so that retention drops whole partitions instead of deleting rows.
--    Partition key in the primary key: (event_id, occurred_at). A replayed statement carries
--    the same id and time and writes nothing; the ingestion checks that an id is not reused
--    with another time (every partition has an index on event_id for that look-up).
--    Partitions for the current and the next three months are made here;
--    create_learning_event_partitions() makes more (a job calls it) and is idempotent.
--    A DEFAULT partition catches stray times (far past or future); it should stay empty.
--  * course_skills: which skills a course teaches and the mastery level it requires
--    (default 80, ANALYTICS.md "Skill gaps").
--  * courses.expected_weeks: the course's expected length (default 12, "Velocity").
-- Runs as analytics_owner, which then owns the new objects.

SET LOCAL ROLE analytics_owner;
DO $$
BEGIN
    IF current_user <> 'analytics_owner' THEN
        RAISE EXCEPTION 'V019 must run as analytics_owner inside a transaction (as Flyway runs it), not as %', current_user
            USING HINT = 'SET LOCAL ROLE has no effect outside a transaction: objects would be owned by the wrong role.';
    END IF;
END
$$;
SET LOCAL lock_timeout = '5s';

CREATE TABLE learning_events (
    event_id         uuid         NOT NULL,
    user_id          uuid         NOT NULL,
    verb             text         NOT NULL,
    object_id        text         NOT NULL,
    object_type      text         NOT NULL,
    course_id        uuid,
    skill_id         text,
    score_scaled     numeric(5,4),
    success          boolean,
    completion       boolean,
    duration_seconds integer,
    progress_percent numeric(5,2),
    occurred_at      timestamptz  NOT NULL,
    stored_at        timestamptz  NOT NULL DEFAULT now(),
    context          jsonb,
    CONSTRAINT pk_learning_events PRIMARY KEY (event_id, occurred_at),
    CONSTRAINT fk_learning_events_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
    CONSTRAINT fk_learning_events_course FOREIGN KEY (course_id) REFERENCES courses (id) ON DELETE SET NULL,
    CONSTRAINT fk_learning_events_skill FOREIGN KEY (skill_id) REFERENCES skills (id) ON DELETE SET NULL,
    CONSTRAINT ck_learning_events_verb CHECK (verb IN ('initialized', 'terminated', 'experienced', 'attempted', 'answered',
                                                       'progressed', 'completed', 'passed', 'failed', 'mastered')),
    CONSTRAINT ck_learning_events_object_type CHECK (object_type IN ('course', 'module', 'lesson', 'video', 'reading', 'exercise',
                                                                     'quiz', 'assessment', 'assignment', 'forum', 'other')),
    CONSTRAINT ck_learning_events_object_id CHECK (btrim(object_id) <> '' AND length(object_id) <= 512),
    CONSTRAINT ck_learning_events_score CHECK (score_scaled BETWEEN -1 AND 1),
    CONSTRAINT ck_learning_events_duration CHECK (duration_seconds BETWEEN 0 AND 86400),
    CONSTRAINT ck_learning_events_progress CHECK (progress_percent BETWEEN 0 AND 100),
    CONSTRAINT ck_learning_events_context_bounded CHECK (context IS NULL OR is_bounded_json_object(context, 4096, 4))
) PARTITION BY RANGE (occurred_at);
COMMENT ON TABLE learning_events IS
    'Learning statements from other services (ANALYTICS.md), one row per event id; monthly partitions by occurred_at (UTC), kept 90 days.';
COMMENT ON COLUMN learning_events.score_scaled IS 'xAPI result.score.scaled, -1 to 1; assessments are passed/failed events with a score.';
COMMENT ON COLUMN learning_events.stored_at IS 'When this service stored the event (xAPI "stored").';

-- A learner's events by time: every analytic reads one learner's window.
CREATE INDEX idx_learning_events_user_time ON learning_events (user_id, occurred_at);
-- Idempotency: is this event id already stored (with any time)?
CREATE INDEX idx_learning_events_event_id ON learning_events (event_id);
-- Content effectiveness and skill demand read by skill.
CREATE INDEX idx_learning_events_skill_time ON learning_events (skill_id, occurred_at) WHERE skill_id IS NOT NULL;

CREATE TABLE learning_events_default PARTITION OF learning_events DEFAULT;
COMMENT ON TABLE learning_events_default IS 'Events outside every monthly partition; should stay empty (reported by the partition job).';

-- Monthly partitions learning_events_YYYY_MM for the months of [from_month, from_month + months).
-- SECURITY DEFINER: the service role's job calls it, and the partitions must belong to the owner.
CREATE FUNCTION create_learning_event_partitions(from_month date, months integer) RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = ${flyway:defaultSchema}, pg_temp
AS $$
DECLARE
    first date := date_trunc('month', from_month)::date;
    made integer := 0;
    month_start date;
    name text;
BEGIN
    IF months IS NULL OR months < 1 OR months > 120 THEN
        RAISE EXCEPTION 'months must be from 1 to 120, got %', months USING ERRCODE = '22023';
    END IF;
    FOR i IN 0 .. months - 1 LOOP
        month_start := (first + make_interval(months => i))::date;
        name := format('learning_events_%s', to_char(month_start, 'YYYY_MM'));
        IF to_regclass(format('%I.%I', '${flyway:defaultSchema}', name)) IS NULL THEN
            EXECUTE format('CREATE TABLE %I PARTITION OF learning_events FOR VALUES FROM (%L) TO (%L)',
                           name, (month_start::timestamp AT TIME ZONE 'UTC'),
                           ((month_start + interval '1 month')::timestamp AT TIME ZONE 'UTC'));
            made := made + 1;
        END IF;
    END LOOP;
    RETURN made;
END
$$;
COMMENT ON FUNCTION create_learning_event_partitions(date, integer) IS
    'Creates the missing monthly partitions of learning_events (UTC months) from from_month on; returns how many it made.';
REVOKE EXECUTE ON FUNCTION create_learning_event_partitions(date, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION create_learning_event_partitions(date, integer) TO analytics_service;

-- The month before (late events), this month and three ahead.
SELECT create_learning_event_partitions(((now() AT TIME ZONE 'UTC') - interval '1 month')::date, 5);

GRANT SELECT ON learning_events TO analytics_authenticated, analytics_platform_admin;
GRANT SELECT, INSERT, UPDATE, DELETE ON learning_events TO analytics_service;

CREATE TABLE course_skills (
    course_id      uuid         NOT NULL,
    skill_id       text         NOT NULL,
    required_level numeric(5,2) NOT NULL DEFAULT 80,
    CONSTRAINT pk_course_skills PRIMARY KEY (course_id, skill_id),
    CONSTRAINT fk_course_skills_course FOREIGN KEY (course_id) REFERENCES courses (id) ON DELETE CASCADE,
    CONSTRAINT fk_course_skills_skill FOREIGN KEY (skill_id) REFERENCES skills (id) ON DELETE CASCADE,
    CONSTRAINT ck_course_skills_required_level CHECK (required_level > 0 AND required_level <= 100)
);
COMMENT ON TABLE course_skills IS 'Skills a course teaches and the mastery it requires (not in the seed; ANALYTICS.md "Skill gaps").';
CREATE INDEX idx_course_skills_skill ON course_skills (skill_id);
GRANT SELECT ON course_skills TO analytics_authenticated, analytics_platform_admin;
GRANT SELECT, INSERT, UPDATE, DELETE ON course_skills TO analytics_service;

ALTER TABLE courses ADD COLUMN expected_weeks integer NOT NULL DEFAULT 12
    CONSTRAINT ck_courses_expected_weeks CHECK (expected_weeks BETWEEN 1 AND 520);
COMMENT ON COLUMN courses.expected_weeks IS 'Expected length of the course in weeks (not in the seed; ANALYTICS.md "Velocity").';
