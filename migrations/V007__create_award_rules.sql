-- V007: what awarding points needs beyond the seed: rules per activity type (points, caps,
-- who may self-report), the level curve, idempotency keys, each learner's time zone for
-- streaks, and the vocabulary achievements' criteria may use. The award itself is the
-- function award_points() in R__220_award_points.sql.
--
-- Deviations from the seed, on purpose:
--  * user_preferences.time_zone (IANA name, default UTC): streaks count the learner's own
--    days. daily_activity.date is the local date at the time of the activity, so changing
--    one's time zone never rewrites past days or streaks.
--  * user_points.last_activity_date: the local day of the latest activity, so the streak can
--    be updated in the same single-row UPDATE as the total (no read-modify-write).
--  * achievements.criteria must use the documented vocabulary; an unknown key fails when the
--    row is written, not silently when points are awarded.

SET LOCAL ROLE analytics_owner;

ALTER TABLE user_preferences ADD COLUMN time_zone text NOT NULL DEFAULT 'UTC';
COMMENT ON COLUMN user_preferences.time_zone IS 'IANA time zone (e.g. Europe/Berlin) in which the learner''s days, and so streaks, are counted.';

CREATE FUNCTION check_time_zone() RETURNS trigger
    LANGUAGE plpgsql AS
$$
BEGIN
    PERFORM now() AT TIME ZONE NEW.time_zone; -- raises 22023 for a name PostgreSQL does not know
    RETURN NEW;
END
$$;
COMMENT ON FUNCTION check_time_zone() IS 'Trigger function: rejects a user_preferences.time_zone PostgreSQL does not know.';

CREATE TRIGGER trg_user_preferences_time_zone
    BEFORE INSERT OR UPDATE OF time_zone ON user_preferences
    FOR EACH ROW EXECUTE FUNCTION check_time_zone();

ALTER TABLE user_points ADD COLUMN last_activity_date date;
COMMENT ON COLUMN user_points.last_activity_date IS 'The learner''s local day of their latest activity; current_streak ends on it.';

CREATE TABLE activity_rules (
    activity_type       text    NOT NULL,
    points              integer NOT NULL,
    self_reportable     boolean NOT NULL DEFAULT false,
    max_per_window      integer,
    window_seconds      integer,
    min_spacing_seconds integer,
    CONSTRAINT pk_activity_rules PRIMARY KEY (activity_type),
    CONSTRAINT ck_activity_rules_points_positive CHECK (points > 0),
    CONSTRAINT ck_activity_rules_window CHECK ((max_per_window IS NULL) = (window_seconds IS NULL)
        AND coalesce(max_per_window, 1) > 0 AND coalesce(window_seconds, 1) > 0),
    CONSTRAINT ck_activity_rules_spacing CHECK (coalesce(min_spacing_seconds, 0) >= 0)
);
COMMENT ON TABLE activity_rules IS
    'Per activity type: points awarded, whether learners may report it themselves, and anti-abuse caps.';
COMMENT ON COLUMN activity_rules.max_per_window IS 'At most this many awards of the type per user within window_seconds (rolling).';
COMMENT ON COLUMN activity_rules.min_spacing_seconds IS 'At least this long between two awards of the type to one user.';

CREATE TABLE level_curve (
    id          boolean NOT NULL DEFAULT true,
    kind        text    NOT NULL DEFAULT 'progressive',
    base_points integer NOT NULL DEFAULT 100,
    CONSTRAINT pk_level_curve PRIMARY KEY (id),
    CONSTRAINT ck_level_curve_single_row CHECK (id),
    CONSTRAINT ck_level_curve_kind CHECK (kind IN ('linear', 'progressive')),
    CONSTRAINT ck_level_curve_base CHECK (base_points > 0)
);
COMMENT ON TABLE level_curve IS
    'The one level curve. progressive: level L needs base_points*(L-1)^2 points; linear: base_points*(L-1).';
INSERT INTO level_curve DEFAULT VALUES;

CREATE TABLE award_keys (
    idempotency_key text        NOT NULL,
    user_id         uuid        NOT NULL,
    request_hash    text        NOT NULL,
    result          jsonb,
    created_at      timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT pk_award_keys PRIMARY KEY (idempotency_key)
);
COMMENT ON TABLE award_keys IS
    'One row per award request key (the source event id): a replay returns the stored result. Kept apart from'
    ' the ledger so keys stay unique however point_transactions is archived or partitioned.';
COMMENT ON COLUMN award_keys.request_hash IS 'Fingerprint of the request; the same key with another payload is rejected.';
-- No foreign key to users and no index on user_id, on purpose: every award writes a key,
-- and these cost ~25% of award throughput (scripts/bench gamification, 1 client: 0.66x ->
-- 0.79x of pgbench). Keys are bookkeeping; keys of deleted users are harmless and go with
-- a retention job, not with ON DELETE CASCADE.

CREATE FUNCTION achievement_criteria_valid(criteria jsonb) RETURNS boolean
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
$$
    SELECT jsonb_typeof(criteria) = 'object'
       AND criteria <> '{}'::jsonb
       AND NOT EXISTS (SELECT 1 FROM jsonb_object_keys(criteria) k
                       WHERE k NOT IN ('coursesCompleted', 'totalPoints', 'streakDays', 'skillsMastered',
                                       'activityType', 'activityCount'))
       AND NOT EXISTS (SELECT 1 FROM jsonb_each(criteria) e
                       WHERE e.key <> 'activityType'
                         AND (jsonb_typeof(e.value) <> 'number' OR e.value::numeric <= 0 OR e.value::numeric <> trunc(e.value::numeric)))
       AND (criteria ? 'activityType') = (criteria ? 'activityCount')
       AND (NOT criteria ? 'activityType' OR jsonb_typeof(criteria -> 'activityType') = 'string')
$$;
COMMENT ON FUNCTION achievement_criteria_valid(jsonb) IS
    'Whether criteria use only the vocabulary: coursesCompleted, totalPoints, streakDays, skillsMastered (positive'
    ' integers) and activityType (text) with activityCount (positive integer).';
ALTER TABLE achievements ADD CONSTRAINT ck_achievements_criteria_vocabulary CHECK (achievement_criteria_valid(criteria));

CREATE TYPE award_result AS (
    user_id          uuid,
    activity_type    text,
    points           integer,
    total_points     integer,
    level            integer,
    previous_level   integer,
    current_streak   integer,
    longest_streak   integer,
    new_achievements text[],
    awarded_at       timestamptz,
    replayed         boolean
);
COMMENT ON TYPE award_result IS 'What one award changed; a replayed key returns the original with replayed = true.';

REVOKE ALL ON activity_rules, level_curve, award_keys FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION check_time_zone(), achievement_criteria_valid(jsonb) FROM PUBLIC;
GRANT SELECT ON activity_rules, level_curve TO analytics_authenticated, analytics_platform_admin;
GRANT SELECT, INSERT, UPDATE, DELETE ON activity_rules, level_curve, award_keys TO analytics_service;
GRANT SELECT ON award_keys TO analytics_platform_admin;
GRANT EXECUTE ON FUNCTION check_time_zone(), achievement_criteria_valid(jsonb)
    TO analytics_authenticated, analytics_platform_admin, analytics_service;
