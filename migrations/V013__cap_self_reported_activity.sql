-- V013: sane caps on every self-reportable activity type.
--
-- Found by an outside review: video_watched and forum_post allowed 480 awards a day each
-- (one per 180 s), and daily_login could be taken more than twice a day by moving the
-- learner's day with the time zone (V011 bounds that move; this caps what is left):
--   daily_login     once per local day, and at most 2 in any 24 hours whatever the time
--                   zones (a traveller crossing the date line may see two local days in 24 h)
--   video_watched   at most 20 per local day (100 points)
--   forum_post      at most 10 per local day (100 points)
-- Rows still at their reference values are changed; a DBA's own tuning is left alone.
-- R__100_reference_data.sql holds the same values for new databases.

SET LOCAL ROLE analytics_owner;
DO $$
BEGIN
    IF current_user <> 'analytics_owner' THEN
        RAISE EXCEPTION 'V013 must run as analytics_owner inside a transaction (as Flyway runs it), not as %', current_user
            USING HINT = 'SET LOCAL ROLE has no effect outside a transaction: objects would be owned by the wrong role.';
    END IF;
END
$$;

UPDATE activity_rules SET max_per_window = 2, window_seconds = 86400
WHERE activity_type = 'daily_login' AND max_per_window IS NULL AND max_per_local_day = 1;
UPDATE activity_rules SET max_per_local_day = 20
WHERE activity_type = 'video_watched' AND max_per_local_day IS NULL AND min_spacing_seconds = 180;
UPDATE activity_rules SET max_per_local_day = 10
WHERE activity_type = 'forum_post' AND max_per_local_day IS NULL AND min_spacing_seconds = 180;
