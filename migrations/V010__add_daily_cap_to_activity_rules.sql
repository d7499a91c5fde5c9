-- V010: a cap per local day, next to the rolling window.
--
-- "Once a day" for a learner means once per day of their own calendar: a daily login bonus
-- taken at 21:00 should be available again after midnight, not only 24 hours later. The
-- rolling window (max_per_window / window_seconds) cannot say that. max_per_local_day
-- counts the user's awards of the type since midnight of the activity's day in their time
-- zone (user_preferences.time_zone), as streaks count days.
--
-- daily_login moves from "1 per 86,400 s" to "1 per local day" where it still has the
-- reference values (a DBA's own tuning is left alone).

SET LOCAL ROLE analytics_owner;

ALTER TABLE activity_rules ADD COLUMN max_per_local_day integer;
ALTER TABLE activity_rules ADD CONSTRAINT ck_activity_rules_per_local_day CHECK (coalesce(max_per_local_day, 1) > 0);
COMMENT ON COLUMN activity_rules.max_per_local_day IS
    'At most this many awards of the type per user and day of the user''s own time zone.';

UPDATE activity_rules SET max_per_local_day = 1, max_per_window = NULL, window_seconds = NULL
WHERE activity_type = 'daily_login' AND max_per_window = 1 AND window_seconds = 86400 AND max_per_local_day IS NULL;
