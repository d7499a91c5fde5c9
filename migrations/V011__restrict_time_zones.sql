-- V011: a learner's time zone can no longer forge days.
--
-- Fix of this project's own V007 (found by an outside review): user_preferences.time_zone
-- took any zone PostgreSQL parses, including POSIX offsets to the second up to +-167 hours
-- ('UTC-01:50:02', 'UTC+166:09:10'). Setting an offset that made "now" 00:00:01 local time
-- before each call gave a fresh local day every time: the daily login was claimed every
-- second or two, and streaks were built days into the future. Java and PostgreSQL also read
-- 'UTC+05:30' with opposite signs. Now:
--  * only IANA region names are accepted, such as Europe/Berlin, America/Argentina/Salta or
--    Etc/GMT+5, and UTC: the shape is is_region_time_zone() (a CHECK; Java's Preferences
--    uses the same pattern), and the name must be one PostgreSQL knows (the trigger). Their
--    offsets lie between -12 and +14 hours, so a local day is always the UTC date +-1;
--  * the time zone changes at most once per 7 days (time_zone_changed_at, kept by the
--    trigger; users cannot write that column). Choosing a zone for the first time, away
--    from the default UTC, is always allowed;
--  * a name is accepted in the zone files' own spelling only: PostgreSQL also finds
--    'EUROPE/BERLIN', 'Posix/Europe/Berlin' and 'Right/UTC' (27 s off), which Java cannot read;
--  * existing values are mapped to that spelling when it is a region name
--    ('europe/berlin' -> 'Europe/Berlin'), else to UTC.
-- The daily-login cap of two per 24 hours, whatever the zones, is in V013.

SET LOCAL ROLE analytics_owner;
DO $$
BEGIN
    IF current_user <> 'analytics_owner' THEN
        RAISE EXCEPTION 'V011 must run as analytics_owner inside a transaction (as Flyway runs it), not as %', current_user
            USING HINT = 'SET LOCAL ROLE has no effect outside a transaction: objects would be owned by the wrong role.';
    END IF;
END
$$;
-- The UPDATE and ALTERs below lock user_preferences, which every award reads: wait briefly, or fail and retry later.
SET LOCAL lock_timeout = '5s';

CREATE FUNCTION is_region_time_zone(zone text) RETURNS boolean
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    SELECT zone ~ '^(UTC|[A-Z][A-Za-z]+(/[A-Z][A-Za-z0-9_+-]*){1,2})$'
$$;
COMMENT ON FUNCTION is_region_time_zone(text) IS
    'Whether a time zone name has the shape of an IANA region name (Area/Location, or UTC); no POSIX offsets.';

-- PostgreSQL finds zone files case-insensitively ('EUROPE/BERLIN') and also under posix/
-- and right/; it reports the file's own spelling. Only that spelling is accepted, so every
-- stored name is one Java reads too. (pg_timezone_names would say the same, but reads every
-- zone file: ~100 ms.)
CREATE FUNCTION canonical_time_zone(zone text) RETURNS text
    LANGUAGE plpgsql STABLE
    SET TimeZone = 'UTC' -- restored when the function returns
AS $$
BEGIN
    PERFORM pg_catalog.set_config('TimeZone', zone, true);
    RETURN pg_catalog.current_setting('TimeZone');
EXCEPTION WHEN invalid_parameter_value THEN
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION canonical_time_zone(text) IS
    'The spelling of a time zone as PostgreSQL''s zone files have it, or NULL for a zone it does not know.';

ALTER TABLE user_preferences ADD COLUMN time_zone_changed_at timestamptz;
COMMENT ON COLUMN user_preferences.time_zone_changed_at IS
    'When the learner last changed time_zone (kept by a trigger); the next change is allowed 7 days later.';

UPDATE user_preferences p
SET time_zone = CASE WHEN is_region_time_zone(canonical_time_zone(p.time_zone)) THEN canonical_time_zone(p.time_zone) ELSE 'UTC' END
WHERE p.time_zone IS DISTINCT FROM canonical_time_zone(p.time_zone) OR NOT is_region_time_zone(p.time_zone);

ALTER TABLE user_preferences ADD CONSTRAINT ck_user_preferences_time_zone_region CHECK (is_region_time_zone(time_zone));

CREATE OR REPLACE FUNCTION check_time_zone() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path = ${flyway:defaultSchema}, pg_temp
AS $$
BEGIN
    IF NOT is_region_time_zone(NEW.time_zone) THEN
        RAISE EXCEPTION USING ERRCODE = '22023',
            MESSAGE = format('time zone "%s" is not an IANA region name such as Europe/Berlin', NEW.time_zone);
    END IF;
    IF canonical_time_zone(NEW.time_zone) IS DISTINCT FROM NEW.time_zone THEN
        RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = format('unknown time zone "%s"', NEW.time_zone)
            || coalesce(format(' (did you mean %s?)', canonical_time_zone(NEW.time_zone)), '');
    END IF;
    IF TG_OP = 'INSERT' THEN
        NEW.time_zone_changed_at := CASE WHEN NEW.time_zone <> 'UTC' THEN now() END;
    ELSIF NEW.time_zone IS DISTINCT FROM OLD.time_zone THEN
        IF OLD.time_zone_changed_at > now() - interval '7 days' THEN
            RAISE EXCEPTION USING ERRCODE = 'LA005',
                MESSAGE = format('the time zone was changed less than 7 days ago; it can change again from %s',
                                 to_char((OLD.time_zone_changed_at + interval '7 days') AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'));
        END IF;
        NEW.time_zone_changed_at := now();
    ELSE
        NEW.time_zone_changed_at := OLD.time_zone_changed_at;
    END IF;
    RETURN NEW;
END
$$;
COMMENT ON FUNCTION check_time_zone() IS
    'Trigger function: only IANA region names PostgreSQL knows; at most one change of time zone per 7 days.';

-- On every update, not only "OF time_zone": time_zone_changed_at must not be writable.
DROP TRIGGER trg_user_preferences_time_zone ON user_preferences;
CREATE TRIGGER trg_user_preferences_time_zone
    BEFORE INSERT OR UPDATE ON user_preferences
    FOR EACH ROW EXECUTE FUNCTION check_time_zone();

-- Users write their preferences column by column; the change time is the trigger's.
REVOKE INSERT, UPDATE ON user_preferences FROM analytics_authenticated, analytics_platform_admin;
GRANT INSERT (user_id, leaderboard_privacy, predictive_analytics_enabled, notification_preferences, time_zone),
      UPDATE (leaderboard_privacy, predictive_analytics_enabled, notification_preferences, time_zone)
    ON user_preferences TO analytics_authenticated, analytics_platform_admin;
REVOKE EXECUTE ON FUNCTION is_region_time_zone(text), canonical_time_zone(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION is_region_time_zone(text), canonical_time_zone(text)
    TO analytics_authenticated, analytics_platform_admin, analytics_service;
