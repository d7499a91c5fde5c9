-- V003: the six learner-analytics tables (seed AS-001). Each row is a computed result with
-- a time to live: it is fresh while now() < expires_at, then recomputed.
--
-- Written only on service paths (jobs that compute analytics); users read them under
-- row-level security. Partitioning by month is the seed's "future" strategy and is not
-- applied here.
--
-- Seed values are enforced where the seed names a closed set or a range:
-- trend_direction (accelerating/stable/declining), percentages and scores 0..100,
-- counts >= 0, and JSON columns the seed calls arrays must be arrays.

CREATE TABLE learner_velocity_analytics (
    id                   uuid          NOT NULL DEFAULT gen_random_uuid(),
    user_id              uuid          NOT NULL,
    current_pace         numeric(5, 2) NOT NULL,
    target_pace          numeric(5, 2) NOT NULL,
    trend_direction      text          NOT NULL,
    trend_percentage     numeric(5, 2) NOT NULL,
    status               text          NOT NULL,
    estimated_completion timestamptz,
    calculated_at        timestamptz   NOT NULL DEFAULT now(),
    expires_at           timestamptz   NOT NULL,
    CONSTRAINT pk_learner_velocity_analytics PRIMARY KEY (id),
    CONSTRAINT fk_learner_velocity_analytics_user FOREIGN KEY (user_id)
        REFERENCES users (id) ON DELETE RESTRICT,
    CONSTRAINT ck_learner_velocity_analytics_trend_direction
        CHECK (trend_direction IN ('accelerating', 'stable', 'declining')),
    CONSTRAINT ck_learner_velocity_analytics_pace_non_negative CHECK (current_pace >= 0 AND target_pace >= 0),
    CONSTRAINT ck_learner_velocity_analytics_trend_percentage CHECK (trend_percentage >= -100),
    CONSTRAINT ck_learner_velocity_analytics_expiry CHECK (expires_at > calculated_at)
);
COMMENT ON TABLE learner_velocity_analytics IS
    'Learning pace of a learner against their target, with trend; cached with a TTL (expires_at).';
COMMENT ON COLUMN learner_velocity_analytics.trend_percentage IS
    'Signed change of pace in percent (cannot fall below -100).';
COMMENT ON COLUMN learner_velocity_analytics.expires_at IS 'The row is stale from this instant on.';

CREATE TABLE skill_gap_analytics (
    id            uuid        NOT NULL DEFAULT gen_random_uuid(),
    user_id       uuid        NOT NULL,
    total_gaps    integer     NOT NULL,
    critical_gaps integer     NOT NULL,
    gaps          jsonb       NOT NULL,
    top_priority  jsonb,
    calculated_at timestamptz NOT NULL DEFAULT now(),
    expires_at    timestamptz NOT NULL,
    CONSTRAINT pk_skill_gap_analytics PRIMARY KEY (id),
    CONSTRAINT fk_skill_gap_analytics_user FOREIGN KEY (user_id)
        REFERENCES users (id) ON DELETE RESTRICT,
    CONSTRAINT ck_skill_gap_analytics_counts CHECK (critical_gaps >= 0 AND total_gaps >= critical_gaps),
    CONSTRAINT ck_skill_gap_analytics_gaps_array CHECK (jsonb_typeof(gaps) = 'array'),
    CONSTRAINT ck_skill_gap_analytics_expiry CHECK (expires_at > calculated_at)
);
COMMENT ON TABLE skill_gap_analytics IS 'Skills a learner lacks for their goals; cached with a TTL.';
COMMENT ON COLUMN skill_gap_analytics.gaps IS 'JSON array of gap objects.';

CREATE TABLE engagement_analytics (
    id                   uuid          NOT NULL DEFAULT gen_random_uuid(),
    user_id              uuid          NOT NULL,
    overall_score        integer       NOT NULL,
    trend                text          NOT NULL,
    sessions_per_week    numeric(5, 2) NOT NULL,
    avg_session_duration integer       NOT NULL,
    last_active          timestamptz   NOT NULL,
    engagement_by_type   jsonb         NOT NULL,
    weekly_trend         jsonb         NOT NULL,
    calculated_at        timestamptz   NOT NULL DEFAULT now(),
    expires_at           timestamptz   NOT NULL,
    CONSTRAINT pk_engagement_analytics PRIMARY KEY (id),
    CONSTRAINT fk_engagement_analytics_user FOREIGN KEY (user_id)
        REFERENCES users (id) ON DELETE RESTRICT,
    CONSTRAINT ck_engagement_analytics_score_range CHECK (overall_score BETWEEN 0 AND 100),
    CONSTRAINT ck_engagement_analytics_non_negative CHECK (sessions_per_week >= 0 AND avg_session_duration >= 0),
    CONSTRAINT ck_engagement_analytics_weekly_trend_array CHECK (jsonb_typeof(weekly_trend) = 'array'),
    CONSTRAINT ck_engagement_analytics_expiry CHECK (expires_at > calculated_at)
);
COMMENT ON TABLE engagement_analytics IS 'How actively a learner engages; cached with a TTL.';
COMMENT ON COLUMN engagement_analytics.avg_session_duration IS 'Average session length in minutes.';
COMMENT ON COLUMN engagement_analytics.weekly_trend IS 'JSON array of weekly engagement scores.';

CREATE TABLE mastery_analytics (
    id                   uuid        NOT NULL DEFAULT gen_random_uuid(),
    user_id              uuid        NOT NULL,
    mastered_skills      integer     NOT NULL,
    in_progress_skills   integer     NOT NULL,
    skills               jsonb       NOT NULL,
    mastery_distribution jsonb       NOT NULL,
    calculated_at        timestamptz NOT NULL DEFAULT now(),
    expires_at           timestamptz NOT NULL,
    CONSTRAINT pk_mastery_analytics PRIMARY KEY (id),
    CONSTRAINT fk_mastery_analytics_user FOREIGN KEY (user_id)
        REFERENCES users (id) ON DELETE RESTRICT,
    CONSTRAINT ck_mastery_analytics_counts CHECK (mastered_skills >= 0 AND in_progress_skills >= 0),
    CONSTRAINT ck_mastery_analytics_skills_array CHECK (jsonb_typeof(skills) = 'array'),
    CONSTRAINT ck_mastery_analytics_expiry CHECK (expires_at > calculated_at)
);
COMMENT ON TABLE mastery_analytics IS 'Skills mastered and in progress for a learner; cached with a TTL.';
COMMENT ON COLUMN mastery_analytics.skills IS 'JSON array of skill objects.';

CREATE TABLE performance_analytics (
    id                   uuid          NOT NULL DEFAULT gen_random_uuid(),
    user_id              uuid          NOT NULL,
    avg_score            numeric(5, 2) NOT NULL,
    trend                text          NOT NULL,
    assessments_taken    integer       NOT NULL,
    pass_rate            numeric(5, 2) NOT NULL,
    performance_by_skill jsonb         NOT NULL,
    recent_scores        jsonb         NOT NULL,
    calculated_at        timestamptz   NOT NULL DEFAULT now(),
    expires_at           timestamptz   NOT NULL,
    CONSTRAINT pk_performance_analytics PRIMARY KEY (id),
    CONSTRAINT fk_performance_analytics_user FOREIGN KEY (user_id)
        REFERENCES users (id) ON DELETE RESTRICT,
    CONSTRAINT ck_performance_analytics_avg_score_range CHECK (avg_score BETWEEN 0 AND 100),
    CONSTRAINT ck_performance_analytics_pass_rate_range CHECK (pass_rate BETWEEN 0 AND 100),
    CONSTRAINT ck_performance_analytics_assessments CHECK (assessments_taken >= 0),
    CONSTRAINT ck_performance_analytics_recent_scores_array CHECK (jsonb_typeof(recent_scores) = 'array'),
    CONSTRAINT ck_performance_analytics_expiry CHECK (expires_at > calculated_at)
);
COMMENT ON TABLE performance_analytics IS 'Assessment results of a learner; cached with a TTL.';
COMMENT ON COLUMN performance_analytics.pass_rate IS 'Share of assessments passed, 0 to 100.';
COMMENT ON COLUMN performance_analytics.recent_scores IS 'JSON array of recent scores.';

CREATE TABLE content_effectiveness_analytics (
    id              uuid        NOT NULL DEFAULT gen_random_uuid(),
    user_id         uuid        NOT NULL,
    most_effective  jsonb       NOT NULL,
    least_effective jsonb       NOT NULL,
    recommendations jsonb       NOT NULL,
    calculated_at   timestamptz NOT NULL DEFAULT now(),
    expires_at      timestamptz NOT NULL,
    CONSTRAINT pk_content_effectiveness_analytics PRIMARY KEY (id),
    CONSTRAINT fk_content_effectiveness_analytics_user FOREIGN KEY (user_id)
        REFERENCES users (id) ON DELETE RESTRICT,
    CONSTRAINT ck_content_effectiveness_analytics_arrays CHECK (
        jsonb_typeof(most_effective) = 'array'
        AND jsonb_typeof(least_effective) = 'array'
        AND jsonb_typeof(recommendations) = 'array'),
    CONSTRAINT ck_content_effectiveness_analytics_expiry CHECK (expires_at > calculated_at)
);
COMMENT ON TABLE content_effectiveness_analytics IS
    'Which content formats work best for a learner; cached with a TTL.';
COMMENT ON COLUMN content_effectiveness_analytics.recommendations IS 'JSON array of strings.';

-- Seed "Analytics Indexes".
CREATE INDEX idx_learner_velocity_user ON learner_velocity_analytics (user_id);
CREATE INDEX idx_learner_velocity_calculated ON learner_velocity_analytics (calculated_at DESC);
CREATE INDEX idx_skill_gap_user ON skill_gap_analytics (user_id);
CREATE INDEX idx_engagement_user ON engagement_analytics (user_id);
CREATE INDEX idx_mastery_user ON mastery_analytics (user_id);
CREATE INDEX idx_performance_user ON performance_analytics (user_id);
CREATE INDEX idx_content_user ON content_effectiveness_analytics (user_id);
