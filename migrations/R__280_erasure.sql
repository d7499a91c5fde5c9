-- A learner's right to be forgotten and of access: erase_user() and export_user() (service
-- path only; db.system().privacy() and the /v1/admin/users/{userId}/... routes call them).
--
-- erase_user(id), in ONE transaction (any failure rolls everything back):
--  1. locks the user's totals row, then the user's row (FOR UPDATE; award_points() locks in
--     this order too, so the two never deadlock): whatever would write a row referencing the user
--     (an award, ingested events, a computed analytic) waits on its foreign key check and
--     then fails, so nothing of the user appears after the erasure;
--  2. deletes the user's rows from every table, found in the catalog: every table (not
--     partition: deleting through the parent reaches every partition) of this schema and of
--     the archive schema (<schema>_archive, when it exists) that has a uuid column user_id,
--     then the users row. This includes the ledger: point_transactions is append-only by
--     design, and erasure is its one documented exception. award_keys (no foreign key) too;
--  3. redacts mentions of the user in other rows, where free text can name anyone:
--     courses.trainer_id (set NULL), the ledger's metadata, learning events' object_id and
--     context, award keys and results, preferences' notification settings, organizations'
--     settings, and every json/jsonb column of the archive schema: the id (any case) is
--     replaced by "[erased]" (in award keys, which are unique, by "[erased-<random>]", one
--     token per erasure, so that keys naming two erased users stay two keys);
--  4. removes the user AT ONCE from the weekly and monthly leaderboards (tables since V044:
--     step 2 deletes the user's rows there and their pending deltas, under the lock that
--     refreshes take, lock_leaderboards(); the boards the user was on get a new refreshed_at)
--     and from the raw aggregate views, by refreshing (CONCURRENTLY, readers are not blocked)
--     the views the user is on, inside the transaction. Reads compute ranks when they read
--     (R__230), so the others' ranks close up at once; the all-time board reads user_points live.
--     Published aggregate cells keep their figures (k >= 10 learners, rounded: no personal
--     data, and recomputing them now would reveal the erased learner's values by
--     differencing); the user's membership token there is replaced by a random
--     "erased-<uuid>" token, so the next refresh counts them as a member who left;
--  5. writes a receipt without personal data (V042) and returns it.
-- An unknown user raises P0002 ("no such user") and changes nothing; so does a second
-- erasure of the same user (receipts hold no id, so it cannot be told from one never stored).
--
-- export_user(id): everything stored about the user as one jsonb document (shape in the
-- README and in openapi.yaml's UserExport). Row objects carry their table's columns in
-- camelCase, without the user id they all share; times in UTC.

SET LOCAL ROLE analytics_owner;
DO $$
BEGIN
    IF current_user <> 'analytics_owner' THEN
        RAISE EXCEPTION 'R__280_erasure must run as analytics_owner inside a transaction (as Flyway runs it), not as %', current_user
            USING HINT = 'SET LOCAL ROLE has no effect outside a transaction: objects would be owned by the wrong role.';
    END IF;
END
$$;
SET LOCAL lock_timeout = '5s';

-- Every table that holds rows of one user by a uuid column user_id, the users table excepted:
-- the schema's and the archive schema's, parents only (partitions are reached through them).
CREATE OR REPLACE FUNCTION erasure_user_tables()
    RETURNS TABLE (schema_name name, table_name name)
    LANGUAGE sql STABLE
    SET search_path = pg_catalog, pg_temp
AS $$
    SELECT n.nspname, c.relname
    FROM pg_class c
    JOIN pg_namespace n ON n.oid = c.relnamespace
    JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'user_id' AND NOT a.attisdropped
    WHERE n.nspname IN ('${flyway:defaultSchema}', '${flyway:defaultSchema}_archive')
      AND c.relkind IN ('r', 'p') AND NOT c.relispartition
      AND a.atttypid = 'uuid'::regtype
    ORDER BY n.nspname, c.relname
$$;
COMMENT ON FUNCTION erasure_user_tables() IS
    'Tables (parents, not partitions) of the schema and its archive schema whose uuid column user_id names the user a row belongs to.';

-- The key a table has in receipts and exports: its name, schema-qualified outside the main schema.
CREATE OR REPLACE FUNCTION erasure_table_key(p_schema name, p_table name) RETURNS text
    LANGUAGE sql IMMUTABLE
AS $$
    SELECT CASE WHEN p_schema = '${flyway:defaultSchema}' THEN p_table::text ELSE p_schema || '.' || p_table END
$$;
COMMENT ON FUNCTION erasure_table_key(name, name) IS 'Name of a table in receipts and exports: qualified outside the main schema.';

-- A published cell's membership with the erased user's token ("id:values", or "org/id:score"
-- platform-wide) replaced by a random one: the next refresh counts them as a member who left.
CREATE OR REPLACE FUNCTION erased_members(p_members text[], p_pattern text) RETURNS text[]
    LANGUAGE sql VOLATILE
AS $$
    SELECT ARRAY(SELECT CASE WHEN m ILIKE p_pattern THEN 'erased-' || gen_random_uuid() ELSE m END
                 FROM unnest(p_members) WITH ORDINALITY AS u(m, i) ORDER BY i)
$$;
COMMENT ON FUNCTION erased_members(text[], text) IS
    'Internal: a membership array with the tokens matching p_pattern (the erased user) replaced by random "erased-<uuid>" tokens.';

CREATE OR REPLACE FUNCTION erase_user(p_user uuid) RETURNS erasure_receipts
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = ${flyway:defaultSchema}, pg_temp
    SET TimeZone = 'UTC'
AS $$
DECLARE
    id_text    text;
    pattern    text;
    anchor     text;
    deleted    jsonb := '{}';
    redacted   jsonb := '{}';
    refreshed  text[] := '{}';
    -- Award keys are unique: "review-of-<id>" of two erased users must not both become
    -- "review-of-[erased]" (the second erasure failed on the primary key), so keys get a token
    -- of this erasure instead (no longer than an id: a key stays within its 255 characters).
    key_token  text := '[erased-' || left(replace(gen_random_uuid()::text, '-', ''), 20) || ']';
    rows_done  bigint;
    on_weekly  boolean;
    on_monthly boolean;
    in_peer    boolean;
    in_demand  boolean;
    t          record;
    receipt    erasure_receipts;
BEGIN
    IF p_user IS NULL THEN
        RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = 'user id is required';
    END IF;
    id_text := p_user::text;
    pattern := '%' || id_text || '%';
    -- The id's longest run of digits and hyphens: the same in any letter case, so a plain LIKE on
    -- it (cheap) finds every row an ILIKE on the id (about 6x dearer on 10M events) could match.
    anchor := '%' || (SELECT m[1] FROM regexp_matches(id_text, '[^a-zA-Z]+', 'g') AS m ORDER BY length(m[1]) DESC LIMIT 1) || '%';
    -- The totals row first, as award_points() takes it (then the users row through its
    -- foreign key check): an award in flight finishes first. In the other order an award that
    -- holds the totals row and checks its ledger row's key waits for us as we wait for it.
    PERFORM 1 FROM user_points WHERE user_id = p_user FOR UPDATE;
    PERFORM 1 FROM users WHERE id = p_user FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION USING ERRCODE = 'P0002', MESSAGE = 'no such user';
    END IF;

    -- No leaderboard refresh interleaves with the deletion of the user's board rows and deltas (R__230).
    PERFORM lock_leaderboards();
    -- Where the user is before anything is deleted (the views are refreshed afterwards).
    on_weekly := EXISTS (SELECT 1 FROM leaderboard_weekly WHERE user_id = p_user);
    on_monthly := EXISTS (SELECT 1 FROM leaderboard_monthly WHERE user_id = p_user);
    in_peer := EXISTS (SELECT 1 FROM peer_comparison_aggregates WHERE array_to_string(members, ',') ILIKE pattern)
            OR EXISTS (SELECT 1 FROM peer_comparison_published WHERE array_to_string(members, ',') ILIKE pattern);
    in_demand := EXISTS (SELECT 1 FROM skill_demand_aggregates WHERE array_to_string(members, ',') ILIKE pattern)
              OR EXISTS (SELECT 1 FROM skill_demand_published WHERE array_to_string(members, ',') ILIKE pattern);

    FOR t IN SELECT * FROM erasure_user_tables() LOOP
        EXECUTE format('DELETE FROM %I.%I WHERE user_id = $1', t.schema_name, t.table_name) USING p_user;
        GET DIAGNOSTICS rows_done = ROW_COUNT;
        deleted := deleted || jsonb_build_object(erasure_table_key(t.schema_name, t.table_name), rows_done);
    END LOOP;

    -- Mentions in rows that are not the user's.
    UPDATE courses SET trainer_id = NULL WHERE trainer_id = p_user;
    GET DIAGNOSTICS rows_done = ROW_COUNT;
    redacted := redacted || jsonb_build_object('courses.trainer_id', rows_done);
    FOR t IN SELECT * FROM (VALUES
            ('${flyway:defaultSchema}'::name, 'point_transactions'::name, 'metadata'::name, 'jsonb'),
            ('${flyway:defaultSchema}', 'learning_events', 'object_id', 'text'),
            ('${flyway:defaultSchema}', 'learning_events', 'context', 'jsonb'),
            ('${flyway:defaultSchema}', 'award_keys', 'idempotency_key', 'text'),
            ('${flyway:defaultSchema}', 'award_keys', 'result', 'jsonb'),
            ('${flyway:defaultSchema}', 'user_preferences', 'notification_preferences', 'jsonb'),
            ('${flyway:defaultSchema}', 'organizations', 'settings', 'jsonb')) AS v(schema_name, table_name, column_name, type_name)
        UNION ALL
        SELECT n.nspname, c.relname, a.attname, format_type(a.atttypid, NULL)
        FROM pg_class c
        JOIN pg_namespace n ON n.oid = c.relnamespace
        JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
        WHERE n.nspname = '${flyway:defaultSchema}_archive' AND c.relkind IN ('r', 'p') AND NOT c.relispartition
          AND a.atttypid IN ('json'::regtype, 'jsonb'::regtype)
    LOOP
        EXECUTE format('UPDATE %I.%I SET %I = regexp_replace(%I::text, $1, $3, ''gi'')::%s WHERE %I::text LIKE $4 AND %I::text ILIKE $2',
                       t.schema_name, t.table_name, t.column_name, t.column_name, t.type_name, t.column_name, t.column_name)
            USING id_text, pattern,
                  CASE WHEN (t.table_name, t.column_name) = ('award_keys', 'idempotency_key') THEN key_token ELSE '[erased]' END,
                  anchor;
        GET DIAGNOSTICS rows_done = ROW_COUNT;
        redacted := redacted || jsonb_build_object(erasure_table_key(t.schema_name, t.table_name) || '.' || t.column_name, rows_done);
    END LOOP;

    DELETE FROM users WHERE id = p_user;
    GET DIAGNOSTICS rows_done = ROW_COUNT;
    deleted := deleted || jsonb_build_object('users', rows_done);

    -- Off every board and aggregate at once: the boards' rows went above (a new refreshed_at
    -- tells readers and caches so), the views are refreshed now, not at the next job.
    UPDATE leaderboard_refreshes SET refreshed_at = now()
    WHERE (board = 'weekly' AND on_weekly) OR (board = 'monthly' AND on_monthly);
    IF on_weekly THEN
        refreshed := refreshed || 'leaderboard_weekly'::text;
    END IF;
    IF on_monthly THEN
        refreshed := refreshed || 'leaderboard_monthly'::text;
    END IF;
    FOR t IN SELECT * FROM (VALUES ('peer_comparison', in_peer), ('skill_demand', in_demand)) AS v(aggregate, appears) WHERE appears LOOP
        PERFORM refresh_aggregate(t.aggregate);
        EXECUTE format('UPDATE %I SET members = erased_members(members, $1) WHERE array_to_string(members, '','') ILIKE $1',
                       t.aggregate || '_published') USING pattern;
        GET DIAGNOSTICS rows_done = ROW_COUNT;
        redacted := redacted || jsonb_build_object(t.aggregate || '_published.members', rows_done);
        refreshed := refreshed || (t.aggregate || '_aggregates');
    END LOOP;

    INSERT INTO erasure_receipts (deleted_rows, redacted_rows, refreshed)
    VALUES (deleted, redacted, refreshed)
    RETURNING * INTO receipt;
    RETURN receipt;
END
$$;
COMMENT ON FUNCTION erase_user(uuid) IS
    'Right to be forgotten: removes every row of the user, redacts mentions of them, takes them off every board and'
    ' aggregate at once and returns a receipt without personal data; P0002 for an unknown user. See the file header.';

-- A row as an export object: top-level keys in camelCase (nested JSON as stored).
CREATE OR REPLACE FUNCTION export_object(p_row jsonb) RETURNS jsonb
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    SELECT coalesce(jsonb_object_agg(lower(left(key, 1)) || substr(replace(initcap(key), '_', ''), 2), value), '{}'::jsonb)
    FROM jsonb_each(p_row)
$$;
COMMENT ON FUNCTION export_object(jsonb) IS 'Renames a row''s top-level keys to camelCase (full_name -> fullName) for exports.';

-- The user's rows of one table as a JSON array of export objects, without the user_id column.
CREATE OR REPLACE FUNCTION export_rows(p_schema name, p_table name, p_user uuid, p_order text) RETURNS jsonb
    LANGUAGE plpgsql STABLE
    SET search_path = ${flyway:defaultSchema}, pg_temp
    SET TimeZone = 'UTC'
AS $$
DECLARE
    result jsonb;
BEGIN
    EXECUTE format('SELECT coalesce(jsonb_agg(export_object(to_jsonb(t) - ''user_id'') ORDER BY %s), ''[]'')'
                   ' FROM %I.%I t WHERE t.user_id = $1', p_order, p_schema, p_table)
        INTO result USING p_user;
    RETURN result;
END
$$;
COMMENT ON FUNCTION export_rows(name, name, uuid, text) IS
    'Internal: one user''s rows of a table as an array of camelCase objects without user_id; p_order is a fixed ORDER BY.';

CREATE OR REPLACE FUNCTION export_user(p_user uuid) RETURNS jsonb
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path = ${flyway:defaultSchema}, pg_temp
    SET TimeZone = 'UTC'
AS $$
DECLARE
    s        name := '${flyway:defaultSchema}';
    profile  jsonb;
    ledger   jsonb;
    archive  jsonb := '{}';
    t        record;
BEGIN
    SELECT export_object(to_jsonb(u) - 'password_hash') INTO profile FROM users u WHERE u.id = p_user;
    IF profile IS NULL THEN
        RAISE EXCEPTION USING ERRCODE = 'P0002', MESSAGE = 'no such user';
    END IF;
    ledger := export_rows(s, 'point_transactions', p_user, 't."timestamp", t.id');
    FOR t IN SELECT * FROM erasure_user_tables() WHERE schema_name <> s LOOP
        IF t.table_name = 'point_transactions' THEN -- archived ledger rows belong to the ledger
            ledger := export_rows(t.schema_name, t.table_name, p_user, 't."timestamp", t.id') || ledger;
        ELSE
            archive := archive || jsonb_build_object(erasure_table_key(t.schema_name, t.table_name),
                                                     export_rows(t.schema_name, t.table_name, p_user, '1'));
        END IF;
    END LOOP;
    RETURN jsonb_build_object(
        'userId', p_user,
        'exportedAt', now(),
        'profile', profile,
        'organization', (SELECT export_object(to_jsonb(o)) FROM organizations o WHERE o.id = (profile ->> 'organizationId')::uuid),
        'roles', export_rows(s, 'user_roles', p_user, 't.role'),
        'enrollments', export_rows(s, 'enrollments', p_user, 't.enrolled_at, t.id'),
        'coursesTrained', (SELECT coalesce(jsonb_agg(jsonb_build_object('id', c.id, 'name', c.name) ORDER BY c.id), '[]')
                           FROM courses c WHERE c.trainer_id = p_user),
        'skills', export_rows(s, 'user_skills', p_user, 't.skill_id'),
        'points', (SELECT export_object(to_jsonb(p) - 'user_id') FROM user_points p WHERE p.user_id = p_user),
        'ledger', ledger,
        'achievements', export_rows(s, 'user_achievements', p_user, 't.earned_at, t.achievement_id'),
        'dailyActivity', export_rows(s, 'daily_activity', p_user, 't.date'),
        'preferences', (SELECT export_object(to_jsonb(p) - 'user_id') FROM user_preferences p WHERE p.user_id = p_user),
        'awardKeys', export_rows(s, 'award_keys', p_user, 't.created_at, t.idempotency_key'),
        'learningEvents', export_rows(s, 'learning_events', p_user, 't.occurred_at, t.event_id'),
        'analytics', jsonb_build_object(
            'velocity', export_rows(s, 'learner_velocity_analytics', p_user, 't.calculated_at, t.id'),
            'skillGaps', export_rows(s, 'skill_gap_analytics', p_user, 't.calculated_at, t.id'),
            'engagement', export_rows(s, 'engagement_analytics', p_user, 't.calculated_at, t.id'),
            'mastery', export_rows(s, 'mastery_analytics', p_user, 't.calculated_at, t.id'),
            'performance', export_rows(s, 'performance_analytics', p_user, 't.calculated_at, t.id'),
            'contentEffectiveness', export_rows(s, 'content_effectiveness_analytics', p_user, 't.calculated_at, t.id')),
        'predictions', export_rows(s, 'predictive_analytics_cache', p_user, 't.analytics_type'),
        'archive', archive);
END
$$;
COMMENT ON FUNCTION export_user(uuid) IS
    'Right of access: everything stored about one user as one JSON document (sections in the file header and README);'
    ' P0002 for an unknown user.';

REVOKE EXECUTE ON FUNCTION erasure_user_tables(), erasure_table_key(name, name), erased_members(text[], text), erase_user(uuid), export_object(jsonb),
    export_rows(name, name, uuid, text), export_user(uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION erase_user(uuid), export_user(uuid) TO analytics_service;
