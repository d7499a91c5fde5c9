-- V004: gamification — points ledger, per-user totals, achievements, daily activity.
--
-- point_transactions is the ledger (append-only by intent; the seed keeps it indefinitely);
-- user_points holds the running totals derived from it.
-- Deviation from the seed: daily_activity is unique per (user_id, date) as its Prisma model
-- says; the ERD's "date (UNIQUE)" alone would allow one active user per day.

CREATE TABLE user_points (
    user_id        uuid        NOT NULL,
    total_points   integer     NOT NULL DEFAULT 0,
    current_level  integer     NOT NULL DEFAULT 1,
    current_streak integer     NOT NULL DEFAULT 0,
    longest_streak integer     NOT NULL DEFAULT 0,
    updated_at     timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT pk_user_points PRIMARY KEY (user_id),
    CONSTRAINT fk_user_points_user FOREIGN KEY (user_id)
        REFERENCES users (id) ON DELETE CASCADE,
    CONSTRAINT ck_user_points_total_non_negative CHECK (total_points >= 0),
    CONSTRAINT ck_user_points_level_positive CHECK (current_level >= 1),
    CONSTRAINT ck_user_points_streaks CHECK (current_streak >= 0 AND longest_streak >= current_streak)
);
COMMENT ON TABLE user_points IS 'Running totals per user: points, level and streaks, derived from the ledger.';
COMMENT ON COLUMN user_points.current_streak IS 'Consecutive days with activity, ending today or yesterday.';

CREATE TRIGGER trg_user_points_updated_at
    BEFORE UPDATE ON user_points
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE TABLE point_transactions (
    id            uuid        NOT NULL DEFAULT gen_random_uuid(),
    user_id       uuid        NOT NULL,
    points        integer     NOT NULL,
    activity_type text        NOT NULL,
    metadata      jsonb,
    "timestamp"   timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT pk_point_transactions PRIMARY KEY (id),
    CONSTRAINT fk_point_transactions_user FOREIGN KEY (user_id)
        REFERENCES users (id) ON DELETE RESTRICT,
    CONSTRAINT ck_point_transactions_points_non_zero CHECK (points <> 0),
    CONSTRAINT ck_point_transactions_activity_type_not_blank CHECK (btrim(activity_type) <> '')
);
COMMENT ON TABLE point_transactions IS
    'The points ledger: one row per award (or correction), never updated in place.';
COMMENT ON COLUMN point_transactions.activity_type IS 'What earned the points, e.g. lesson_completed.';

CREATE TABLE achievements (
    id          text  NOT NULL,
    name        text  NOT NULL,
    description text  NOT NULL,
    icon        text  NOT NULL,
    tier        text  NOT NULL,
    criteria    jsonb NOT NULL,
    CONSTRAINT pk_achievements PRIMARY KEY (id),
    CONSTRAINT ck_achievements_tier CHECK (tier IN ('beginner', 'intermediate', 'advanced', 'elite')),
    CONSTRAINT ck_achievements_criteria_object CHECK (jsonb_typeof(criteria) = 'object')
);
COMMENT ON TABLE achievements IS 'Reference data: badges and the machine-readable criteria that earn them.';
COMMENT ON COLUMN achievements.criteria IS
    'JSON object of thresholds, all of which must hold, e.g. {"coursesCompleted": 1}.';

CREATE TABLE user_achievements (
    id             uuid        NOT NULL DEFAULT gen_random_uuid(),
    user_id        uuid        NOT NULL,
    achievement_id text        NOT NULL,
    earned_at      timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT pk_user_achievements PRIMARY KEY (id),
    CONSTRAINT uq_user_achievements_user_achievement UNIQUE (user_id, achievement_id),
    CONSTRAINT fk_user_achievements_user FOREIGN KEY (user_id)
        REFERENCES users (id) ON DELETE RESTRICT,
    CONSTRAINT fk_user_achievements_achievement FOREIGN KEY (achievement_id)
        REFERENCES achievements (id) ON DELETE RESTRICT
);
COMMENT ON TABLE user_achievements IS 'Achievements earned; each at most once per user.';

CREATE TABLE daily_activity (
    id               uuid        NOT NULL DEFAULT gen_random_uuid(),
    user_id          uuid        NOT NULL,
    date             date        NOT NULL,
    last_activity_at timestamptz NOT NULL,
    CONSTRAINT pk_daily_activity PRIMARY KEY (id),
    CONSTRAINT uq_daily_activity_user_date UNIQUE (user_id, date),
    CONSTRAINT fk_daily_activity_user FOREIGN KEY (user_id)
        REFERENCES users (id) ON DELETE RESTRICT
);
COMMENT ON TABLE daily_activity IS 'One row per user and day with activity; streaks are computed from it.';
COMMENT ON COLUMN daily_activity.date IS 'The calendar day of the activity.';

-- Seed "Gamification Indexes" and "Composite Indexes".
CREATE INDEX idx_point_transactions_user_time ON point_transactions (user_id, "timestamp" DESC);
CREATE INDEX idx_user_achievements_user ON user_achievements (user_id);
CREATE INDEX idx_daily_activity_user_date ON daily_activity (user_id, date DESC);
CREATE INDEX idx_user_points_points ON user_points (total_points DESC);
