package org.learninganalytics.db.gamification;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.learninganalytics.db.AnalyticsDb;
import org.learninganalytics.db.testing.MigrationsAsOf;
import org.learninganalytics.db.testing.PostgresServer;
import org.learninganalytics.db.testing.PostgresServers;

/**
 * V036 on a database that already holds a ledger: migrated to V035, filled, then migrated to
 * the latest version. Every row, sum and privilege survives; rows land in their months.
 */
class LedgerConversionPgTest {

    private static final String LEDGER_STATE = """
            SELECT count(*) || ' ' || sum(points) || ' '
                   || md5(string_agg(id || user_id::text || points || activity_type || coalesce(metadata::text, '-')
                                     || extract(epoch FROM "timestamp"), ',' ORDER BY id))
            FROM analytics.point_transactions""";
    private static final String PRIVILEGES = """
            SELECT (SELECT string_agg(a.grantee::regrole || ':' || a.privilege_type, ',' ORDER BY a.grantee::regrole::text, a.privilege_type)
                    FROM aclexplode(c.relacl) a)
                   || ' rls=' || c.relrowsecurity || ' force=' || c.relforcerowsecurity
                   || ' policies=' || (SELECT string_agg(polname || ':' || polcmd::text || ':' || coalesce(pg_get_expr(polqual, polrelid), ''), ','
                                                         ORDER BY polname) FROM pg_policy WHERE polrelid = c.oid)
                   || ' checks=' || (SELECT string_agg(conname || ':' || convalidated, ',' ORDER BY conname)
                                     FROM pg_constraint WHERE conrelid = c.oid AND contype IN ('c', 'f'))
                   || ' comment=' || col_description(c.oid, 4)
            FROM pg_class c WHERE c.oid = 'analytics.point_transactions'::regclass""";

    private static PostgresServer server;
    private static String name;

    @BeforeAll
    static void migrateToV035AndFill() throws SQLException {
        server = PostgresServers.get();
        name = "analytics_conversion_" + UUID.randomUUID().toString().substring(0, 8);
        try (Connection admin = server.connectAdmin(); Statement sql = admin.createStatement()) {
            sql.execute("CREATE DATABASE " + name);
        }
        flyway().locations("filesystem:" + MigrationsAsOf.folder(35)).load().migrate();
        execute("""
                INSERT INTO analytics.organizations (id, name) VALUES ('00000000-0000-0000-0000-0000000000a1', 'Conversion Org');
                INSERT INTO analytics.users (id, email, organization_id)
                SELECT ('00000000-0000-0000-0000-' || lpad(n::text, 12, '0'))::uuid, 'user' || n || '@org.test',
                       '00000000-0000-0000-0000-0000000000a1'
                FROM generate_series(1, 50) n;
                -- 20 months back to this one, one row of them with metadata; and a correction far back.
                INSERT INTO analytics.point_transactions (user_id, points, activity_type, metadata, "timestamp")
                SELECT ('00000000-0000-0000-0000-' || lpad((1 + n % 50)::text, 12, '0'))::uuid, 1 + n % 7, 'lesson_completed',
                       CASE WHEN n % 100 = 0 THEN jsonb_build_object('n', n) END,
                       now() - make_interval(hours => n * 7)
                FROM generate_series(1, 2000) n;
                INSERT INTO analytics.point_transactions (user_id, points, activity_type, "timestamp")
                VALUES ('00000000-0000-0000-0000-000000000001', -3, 'correction', '2019-07-04T12:00:00Z');
                """);
    }

    @AfterAll
    static void drop() throws SQLException {
        try (Connection admin = server.connectAdmin(); Statement sql = admin.createStatement()) {
            sql.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        }
    }

    @Test
    void converting_keeps_every_row_and_privilege_and_puts_each_row_in_its_month() throws SQLException {
        String rowsBefore = single(LEDGER_STATE);
        String privilegesBefore = single(PRIVILEGES);
        assertThat(single("SELECT relkind FROM pg_class WHERE oid = 'analytics.point_transactions'::regclass")).isEqualTo("r");

        try (AnalyticsDb db = AnalyticsDb.builder().jdbcUrl(server.urlFor(name), server.user(), server.password())
                .maximumPoolSize(2).build()) {
            db.migrate();
        }

        assertThat(single("SELECT relkind FROM pg_class WHERE oid = 'analytics.point_transactions'::regclass")).isEqualTo("p");
        assertThat(single(LEDGER_STATE)).isEqualTo(rowsBefore);
        assertThat(single(PRIVILEGES)).isEqualTo(privilegesBefore);
        assertThat(single("""
                SELECT count(*) FROM analytics.point_transactions
                WHERE tableoid::regclass::text <> 'analytics.point_transactions_' || to_char("timestamp" AT TIME ZONE 'UTC', 'YYYY_MM')"""))
                .as("every row in the partition of its UTC month, none in DEFAULT").isEqualTo("0");
        assertThat(single("SELECT to_regclass('analytics.point_transactions_2019_07') IS NOT NULL")).isEqualTo("t");
        assertThat(single("SELECT to_regclass('analytics.point_transactions_2019_08') IS NULL"))
                .as("months without rows before last month are not made").isEqualTo("t");
        assertThat(single("""
                SELECT count(*) FROM generate_series(-1, 3) m
                WHERE to_regclass('analytics.point_transactions_'
                                  || to_char(date_trunc('month', now() AT TIME ZONE 'UTC') + make_interval(months => m), 'YYYY_MM')) IS NULL"""))
                .as("last month to three ahead exist").isEqualTo("0");
        assertThat(single("SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conname = 'pk_point_transactions'"))
                .isEqualTo("PRIMARY KEY (id, \"timestamp\")");
        assertThat(single("SELECT count(*) FROM pg_class WHERE relname LIKE 'point_transactions_partitioned%'"))
                .as("no building name left").isEqualTo("0");
        assertThat(single("SELECT count(*) FROM analytics.replay_user_points(NULL, false) WHERE replayed_total <> 0"))
                .as("the replay reads the converted ledger (no user_points yet: every user with points differs)").isEqualTo("50");
    }

    private static org.flywaydb.core.api.configuration.FluentConfiguration flyway() {
        return Flyway.configure(AnalyticsDb.class.getClassLoader())
                .dataSource(server.urlFor(name), server.user(), server.password())
                .locations(AnalyticsDb.MIGRATIONS_LOCATION)
                .schemas(AnalyticsDb.SCHEMA).defaultSchema(AnalyticsDb.SCHEMA).createSchemas(true);
    }

    private static void execute(String sql) throws SQLException {
        try (Connection connection = server.connect(server.urlFor(name)); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static String single(String query) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection connection = server.connect(server.urlFor(name)); Statement sql = connection.createStatement();
             ResultSet rs = sql.executeQuery(query)) {
            while (rs.next()) rows.add(rs.getString(1));
        }
        assertThat(rows).hasSize(1);
        return rows.get(0);
    }
}
