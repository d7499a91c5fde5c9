-- V005: predictive-analytics cache and per-user preferences.
-- The cache keeps one row per (user, analytics_type); the seed's retention is 48 hours.

CREATE TABLE predictive_analytics_cache (
    id               uuid          NOT NULL DEFAULT gen_random_uuid(),
    user_id          uuid          NOT NULL,
    analytics_type   text          NOT NULL,
    data             jsonb         NOT NULL,
    confidence_score numeric(5, 2),
    calculated_at    timestamptz   NOT NULL DEFAULT now(),
    expires_at       timestamptz   NOT NULL,
    CONSTRAINT pk_predictive_analytics_cache PRIMARY KEY (id),
    CONSTRAINT uq_predictive_analytics_cache_user_type UNIQUE (user_id, analytics_type),
    CONSTRAINT fk_predictive_analytics_cache_user FOREIGN KEY (user_id)
        REFERENCES users (id) ON DELETE RESTRICT,
    CONSTRAINT ck_predictive_analytics_cache_type
        CHECK (analytics_type IN ('drop_off_risk', 'forecast', 'recommendations')),
    CONSTRAINT ck_predictive_analytics_cache_confidence_range CHECK (confidence_score BETWEEN 0 AND 100),
    CONSTRAINT ck_predictive_analytics_cache_expiry CHECK (expires_at > calculated_at)
);
COMMENT ON TABLE predictive_analytics_cache IS
    'Latest prediction per user and type (drop-off risk, forecast, recommendations), with a TTL.';
COMMENT ON COLUMN predictive_analytics_cache.confidence_score IS 'Model confidence, 0 to 100.';

CREATE TABLE user_preferences (
    user_id                      uuid        NOT NULL,
    leaderboard_privacy          text        NOT NULL DEFAULT 'public',
    predictive_analytics_enabled jsonb       NOT NULL
        DEFAULT '{"dropOffRisk": true, "forecasting": true, "recommendations": true}',
    notification_preferences     jsonb,
    updated_at                   timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT pk_user_preferences PRIMARY KEY (user_id),
    CONSTRAINT fk_user_preferences_user FOREIGN KEY (user_id)
        REFERENCES users (id) ON DELETE RESTRICT,
    CONSTRAINT ck_user_preferences_leaderboard_privacy
        CHECK (leaderboard_privacy IN ('public', 'anonymous', 'hidden')),
    CONSTRAINT ck_user_preferences_predictive_object
        CHECK (jsonb_typeof(predictive_analytics_enabled) = 'object')
);
COMMENT ON TABLE user_preferences IS 'Per-user choices: leaderboard privacy, opt-ins to predictions, notifications.';
COMMENT ON COLUMN user_preferences.leaderboard_privacy IS
    'public: name shown; anonymous: shown under a pseudonym; hidden: left off leaderboards.';

CREATE TRIGGER trg_user_preferences_updated_at
    BEFORE UPDATE ON user_preferences
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();
