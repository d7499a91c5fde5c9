package org.learninganalytics.db.tenancy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.learninganalytics.db.testing.FreshDatabase;
import org.learninganalytics.db.testing.TestDatabase;

/**
 * The checks Supabase's database linter (splinter) makes, on our schema. Each lists the
 * offending objects, so a failure says what to fix.
 */
@FreshDatabase
class SecurityLintsPgTest {

    private static final String SUBJECT_ROLES = "('analytics_authenticated', 'analytics_platform_admin', 'public')";

    @Test
    void every_table_has_row_level_security_enabled_and_forced_and_a_policy(TestDatabase database) throws SQLException {
        assertThat(rows(database, """
                SELECT c.relname FROM pg_class c
                WHERE c.relnamespace = 'analytics'::regnamespace AND c.relkind IN ('r', 'p')
                  AND c.relname <> 'flyway_schema_history' AND NOT c.relispartition
                  AND (NOT c.relrowsecurity OR NOT c.relforcerowsecurity
                       OR NOT EXISTS (SELECT 1 FROM pg_policy p WHERE p.polrelid = c.oid))
                """)).isEmpty();
    }

    /** Partitions have no policies of their own: only their parent, whose policies apply, may be granted. */
    @Test
    void no_role_but_the_owner_may_use_a_partition_directly(TestDatabase database) throws SQLException {
        try (var connection = database.connect(); var sql = connection.createStatement()) {
            sql.execute("SELECT analytics.create_learning_event_partitions((now() + interval '1 year')::date, 1)"); // as a job would, later
        }
        assertThat(rows(database, """
                SELECT c.relname || ' ' || a.privilege_type || ' to ' || a.grantee::regrole
                FROM pg_class c, aclexplode(c.relacl) a
                WHERE c.relnamespace = 'analytics'::regnamespace AND c.relispartition
                  AND a.grantee <> c.relowner
                """)).isEmpty();
        assertThat(rows(database, """
                SELECT c.relname FROM pg_class c
                WHERE c.relnamespace = 'analytics'::regnamespace AND c.relispartition
                  AND c.relowner <> 'analytics_owner'::regrole
                """)).as("partitions made later by the job belong to the owner too").isEmpty();
    }

    @Test
    void flyway_history_is_out_of_reach_of_every_request_role(TestDatabase database) throws SQLException {
        assertThat(rows(database, """
                SELECT r FROM unnest(array['analytics_authenticated', 'analytics_platform_admin', 'analytics_service', 'analytics_app']) r
                WHERE has_table_privilege(r, 'analytics.flyway_schema_history', 'SELECT, INSERT, UPDATE, DELETE')
                """)).isEmpty();
    }

    @Test
    void the_monitor_role_reads_the_flyway_history_and_nothing_else(TestDatabase database) throws SQLException {
        assertThat(rows(database, """
                SELECT c.relname FROM pg_class c
                WHERE c.relnamespace = 'analytics'::regnamespace AND c.relkind IN ('r', 'p', 'v', 'm', 'S')
                  AND has_table_privilege('analytics_monitor', c.oid, 'SELECT, INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER')
                  AND NOT (c.relname = 'flyway_schema_history' AND NOT has_table_privilege('analytics_monitor', c.oid,
                          'INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER'))
                UNION ALL
                SELECT p.proname FROM pg_proc p
                WHERE p.pronamespace = 'analytics'::regnamespace AND has_function_privilege('analytics_monitor', p.oid, 'EXECUTE')
                """)).isEmpty();
        assertThat(rows(database, """
                SELECT rolname FROM pg_roles WHERE rolname = 'analytics_monitor' AND NOT rolcanlogin AND NOT rolinherit
                  AND has_table_privilege('analytics_monitor', 'analytics.flyway_schema_history', 'SELECT')
                """)).containsExactly("analytics_monitor");
    }

    @Test
    void no_write_policy_for_users_is_always_true(TestDatabase database) throws SQLException {
        assertThat(rows(database, """
                SELECT tablename || '.' || policyname FROM pg_policies
                WHERE schemaname = 'analytics' AND cmd IN ('INSERT', 'UPDATE', 'DELETE', 'ALL')
                  AND roles && array%s::name[]
                  AND ((cmd <> 'INSERT' AND coalesce(qual, 'true') = 'true')
                       OR (cmd <> 'DELETE' AND coalesce(with_check, qual, 'true') = 'true'))
                """.formatted(SUBJECT_ROLES.replace('(', '[').replace(')', ']')))).isEmpty();
    }

    @Test
    void every_security_definer_function_pins_its_search_path(TestDatabase database) throws SQLException {
        assertThat(rows(database, """
                SELECT p.oid::regprocedure::text FROM pg_proc p
                WHERE p.pronamespace = 'analytics'::regnamespace AND p.prosecdef
                  AND NOT coalesce(p.proconfig::text[] && array(SELECT c FROM unnest(p.proconfig) c WHERE c LIKE 'search_path=%'), false)
                """)).isEmpty();
        assertThat(rows(database, "SELECT 1 FROM pg_proc WHERE pronamespace = 'analytics'::regnamespace AND prosecdef"))
                .as("the helpers this lint is about exist").isNotEmpty();
    }

    @Test
    void every_view_is_security_invoker(TestDatabase database) throws SQLException {
        assertThat(rows(database, """
                SELECT c.relname FROM pg_class c
                WHERE c.relnamespace = 'analytics'::regnamespace AND c.relkind = 'v'
                  AND NOT coalesce(c.reloptions @> array['security_invoker=true'], false)
                """)).isEmpty();
    }

    @Test
    void no_materialized_view_is_selectable_by_users(TestDatabase database) throws SQLException {
        assertThat(rows(database, """
                SELECT c.relname || ' by ' || r FROM pg_class c,
                     unnest(array['analytics_authenticated', 'analytics_platform_admin', 'analytics_app']) r
                WHERE c.relnamespace = 'analytics'::regnamespace AND c.relkind = 'm'
                  AND has_table_privilege(r, c.oid, 'SELECT')
                """)).isEmpty();
    }

    @Test
    void the_login_role_is_not_superuser_cannot_bypass_rls_and_owns_nothing(TestDatabase database) throws SQLException {
        assertThat(rows(database, """
                SELECT rolname FROM pg_roles
                WHERE rolname = 'analytics_app' AND rolcanlogin AND NOT rolsuper AND NOT rolbypassrls AND NOT rolinherit
                  AND NOT rolcreaterole AND NOT rolcreatedb
                """)).containsExactly("analytics_app");
        assertThat(rows(database, """
                SELECT 'class ' || relname FROM pg_class WHERE relowner = 'analytics_app'::regrole
                UNION ALL SELECT 'function ' || proname FROM pg_proc WHERE proowner = 'analytics_app'::regrole
                UNION ALL SELECT 'schema ' || nspname FROM pg_namespace WHERE nspowner = 'analytics_app'::regrole
                """)).isEmpty();
        assertThat(rows(database, """
                SELECT rolname FROM pg_roles
                WHERE rolname LIKE 'analytics\\_%' AND rolname <> 'analytics_owner' AND (rolsuper OR rolbypassrls)
                """)).as("no role of ours bypasses row-level security").isEmpty();
    }

    @Test
    void nothing_in_the_schema_is_granted_to_public(TestDatabase database) throws SQLException {
        assertThat(rows(database, """
                SELECT 'schema' WHERE has_schema_privilege('public', 'analytics', 'USAGE')
                UNION ALL
                SELECT 'table ' || c.relname FROM pg_class c
                  WHERE c.relnamespace = 'analytics'::regnamespace AND c.relkind IN ('r', 'p', 'v', 'm')
                    AND EXISTS (SELECT 1 FROM aclexplode(c.relacl) a WHERE a.grantee = 0)
                UNION ALL
                SELECT 'function ' || p.proname FROM pg_proc p
                  WHERE p.pronamespace = 'analytics'::regnamespace
                    AND (p.proacl IS NULL OR EXISTS (SELECT 1 FROM aclexplode(p.proacl) a WHERE a.grantee = 0))
                """)).isEmpty();
    }

    @Test
    void every_object_of_the_schema_is_owned_by_the_owner_role_never_a_superuser(TestDatabase database) throws SQLException {
        assertThat(rows(database, """
                SELECT 'relation ' || c.relname || ' owned by ' || c.relowner::regrole FROM pg_class c
                  WHERE c.relnamespace = 'analytics'::regnamespace AND c.relname NOT LIKE 'flyway_schema_history%'
                    AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f') AND c.relowner <> 'analytics_owner'::regrole
                UNION ALL
                SELECT 'function ' || p.oid::regprocedure || ' owned by ' || p.proowner::regrole FROM pg_proc p
                  WHERE p.pronamespace = 'analytics'::regnamespace AND p.proowner <> 'analytics_owner'::regrole
                UNION ALL
                SELECT 'type ' || t.typname || ' owned by ' || t.typowner::regrole FROM pg_type t
                  WHERE t.typnamespace = 'analytics'::regnamespace AND t.typowner <> 'analytics_owner'::regrole
                    AND t.typname NOT LIKE '%flyway_schema_history'
                UNION ALL
                SELECT 'the owner role is a superuser or bypasses RLS' FROM pg_roles
                  WHERE rolname = 'analytics_owner' AND (rolsuper OR rolbypassrls)
                """)).isEmpty();
    }

    @Test
    void the_identity_function_pins_its_search_path(TestDatabase database) throws SQLException {
        assertThat(rows(database, """
                SELECT array_to_string(proconfig, ',') FROM pg_proc
                WHERE pronamespace = 'analytics'::regnamespace AND proname = 'current_user_id'
                """)).singleElement().asString().contains("search_path=pg_catalog, pg_temp");
    }

    /**
     * Applied one statement at a time outside a transaction (psql in autocommit), SET LOCAL
     * ROLE does nothing and the objects would belong to the superuser running it, bypassing
     * row-level security. Every migration that runs as the owner checks it right after.
     */
    @Test
    void migrations_that_run_as_the_owner_refuse_to_run_as_anyone_else(TestDatabase database) throws Exception {
        // Shipped before the guard existed; never edited (V###). The ownership lint above covers them.
        Set<String> shippedBeforeTheGuard = Set.of("V007__create_award_rules.sql", "V008__create_leaderboards.sql",
                "V009__index_hidden_leaderboard_users.sql", "V010__add_daily_cap_to_activity_rules.sql");
        Path migrations = Path.of(System.getProperty("analytics.migrations.dir"));
        List<Path> asOwner = new ArrayList<>();
        try (var files = Files.list(migrations)) {
            for (Path file : files.sorted().toList()) {
                String text = Files.readString(file);
                if (text.contains("SET LOCAL ROLE analytics_owner;") && !shippedBeforeTheGuard.contains(file.getFileName().toString())) {
                    asOwner.add(file);
                }
            }
        }
        assertThat(asOwner).hasSizeGreaterThan(6);
        for (Path file : asOwner) {
            String text = Files.readString(file);
            int set = text.indexOf("SET LOCAL ROLE analytics_owner;");
            int guardStart = text.indexOf("DO $$", set);
            int guardEnd = text.indexOf("$$;", text.indexOf("END", guardStart)) + 2;
            assertThat(text.substring(set + "SET LOCAL ROLE analytics_owner;".length(), guardStart)).as(file + ": guard right after the role switch").isBlank();
            try (Connection autocommit = database.connect(); Statement sql = autocommit.createStatement()) {
                sql.execute("SET LOCAL ROLE analytics_owner"); // a warning and no effect, as in psql
                assertThatThrownBy(() -> sql.execute(text.substring(guardStart, guardEnd)))
                        .as(file.getFileName().toString()).isInstanceOf(SQLException.class)
                        .hasMessageContaining("must run as analytics_owner inside a transaction");
            }
        }
    }

    @Test
    void the_identity_function_treats_an_empty_or_missing_setting_as_nobody(TestDatabase database) throws SQLException {
        try (Connection connection = database.connectAsApp(); Statement sql = connection.createStatement()) {
            connection.setAutoCommit(false);
            sql.execute("SET LOCAL ROLE analytics_authenticated");
            assertThat(value(sql, "SELECT analytics.current_user_id()")).as("never set").isNull();
            sql.execute("SELECT set_config('request.jwt.claims', '{\"sub\": \"" + TenancyFixture.LEARNER + "\"}', true)");
            assertThat(value(sql, "SELECT analytics.current_user_id()")).isEqualTo(TenancyFixture.LEARNER.toString());
            connection.commit();
            // After the transaction the setting survives as '' on this connection: still nobody, no error.
            assertThat(value(sql, "SELECT current_setting('request.jwt.claims', true)")).isEmpty();
            sql.execute("SET LOCAL ROLE analytics_authenticated");
            assertThat(value(sql, "SELECT analytics.current_user_id()")).isNull();
            sql.execute("SELECT set_config('request.jwt.claims', '{}', true)");
            assertThat(value(sql, "SELECT analytics.current_user_id()")).as("claims without sub").isNull();
            connection.rollback();
        }
    }

    private static List<String> rows(TestDatabase database, String query) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection connection = database.connect(); Statement sql = connection.createStatement(); ResultSet rs = sql.executeQuery(query)) {
            while (rs.next()) rows.add(rs.getString(1));
        }
        return rows;
    }

    private static String value(Statement sql, String query) throws SQLException {
        try (ResultSet rs = sql.executeQuery(query)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
