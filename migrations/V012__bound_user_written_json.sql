-- V012: JSON that users write is a bounded object.
--
-- Found by an outside review: award_own_activity() stored 46 MB of metadata in one call
-- (7 s) and took arrays and scalars; notification_preferences took 580 kB. Every JSON value
-- a user can write is now an object of at most 4 kB (as text) and 4 levels of nesting,
-- checked by is_bounded_json_object() in CHECK constraints:
--   point_transactions.metadata                (self-reported and service awards alike: the
--                                               ledger's metadata annotates, it stores no documents)
--   user_preferences.notification_preferences
--   user_preferences.predictive_analytics_enabled (1 kB, 2 levels: a set of switches)
-- Idempotency keys are bounded too (255 characters; award_points() says so first): a key
-- is echoed in error messages and indexed.
-- The ledger's and the keys' constraints are added NOT VALID: new rows are checked at once, without
-- scanning millions of old ones under an exclusive lock. A DBA may check the old rows later
-- without blocking writes (SHARE UPDATE EXCLUSIVE):
--   ALTER TABLE analytics.point_transactions VALIDATE CONSTRAINT ck_point_transactions_metadata_bounded;

SET LOCAL ROLE analytics_owner;
DO $$
BEGIN
    IF current_user <> 'analytics_owner' THEN
        RAISE EXCEPTION 'V012 must run as analytics_owner inside a transaction (as Flyway runs it), not as %', current_user
            USING HINT = 'SET LOCAL ROLE has no effect outside a transaction: objects would be owned by the wrong role.';
    END IF;
END
$$;
SET LOCAL lock_timeout = '5s';

CREATE FUNCTION is_bounded_json_object(doc jsonb, max_bytes integer, max_depth integer) RETURNS boolean
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    -- Level 1 holds the object's own values; a value at level max_depth + 1 is too deep.
    SELECT jsonb_typeof(doc) = 'object'
       AND octet_length(doc::text) <= max_bytes
       AND NOT jsonb_path_exists(doc, ('strict $.**{' || (max_depth + 1) || '}')::jsonpath)
$$;
COMMENT ON FUNCTION is_bounded_json_object(jsonb, integer, integer) IS
    'Whether a JSON value is an object of at most max_bytes (as text) and max_depth levels of nesting.';

ALTER TABLE point_transactions ADD CONSTRAINT ck_point_transactions_metadata_bounded
    CHECK (metadata IS NULL OR is_bounded_json_object(metadata, 4096, 4)) NOT VALID;

ALTER TABLE award_keys ADD CONSTRAINT ck_award_keys_key_length
    CHECK (char_length(idempotency_key) <= 255) NOT VALID;

ALTER TABLE user_preferences
    ADD CONSTRAINT ck_user_preferences_notification_bounded
        CHECK (notification_preferences IS NULL OR is_bounded_json_object(notification_preferences, 4096, 4)),
    ADD CONSTRAINT ck_user_preferences_predictive_bounded
        CHECK (is_bounded_json_object(predictive_analytics_enabled, 1024, 2));

REVOKE EXECUTE ON FUNCTION is_bounded_json_object(jsonb, integer, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION is_bounded_json_object(jsonb, integer, integer)
    TO analytics_authenticated, analytics_platform_admin, analytics_service;
