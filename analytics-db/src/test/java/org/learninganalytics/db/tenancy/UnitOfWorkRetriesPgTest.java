package org.learninganalytics.db.tenancy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.learninganalytics.db.AnalyticsDbException;
import org.learninganalytics.db.internal.Transactions;
import org.learninganalytics.db.testing.FreshDatabase;
import org.learninganalytics.db.testing.TestDatabase;

import com.zaxxer.hikari.HikariDataSource;

/** Serialization failures and deadlocks retry the whole unit of work, a bounded number of times; nothing else does. */
@FreshDatabase
class UnitOfWorkRetriesPgTest {

    private static HikariDataSource pool;
    private static Transactions transactions;

    @BeforeAll
    static void connect(TestDatabase database) {
        pool = new HikariDataSource();
        pool.setJdbcUrl(database.jdbcUrl());
        pool.setUsername(TestDatabase.APP_USER);
        pool.setPassword(System.getenv(TestDatabase.APP_PASSWORD_VARIABLE));
        pool.setMaximumPoolSize(1); // every unit gets the same connection: what one leaves behind, the next sees
        var dsl = DSL.using(pool, SQLDialect.POSTGRES);
        transactions = new Transactions(dsl, dsl, java.time.Duration.ofSeconds(5), java.time.Duration.ofSeconds(2));
    }

    @AfterAll
    static void close() {
        pool.close();
    }

    @Test
    void a_serialization_failure_reruns_the_unit_and_its_set_up() {
        AtomicInteger attempts = new AtomicInteger();
        UUID user = UUID.randomUUID();

        Object seen = transactions.asUser(new Principal(user, null, Set.of(Role.LEARNER)), ctx -> {
            if (attempts.incrementAndGet() == 1) fail(ctx, "40001");
            return ctx.fetchValue("SELECT analytics.current_user_id()");
        });

        assertThat(attempts).hasValue(2);
        assertThat(seen).isEqualTo(user);
    }

    @Test
    void a_deadlock_is_retried_too() {
        AtomicInteger attempts = new AtomicInteger();

        String role = transactions.asService(ctx -> {
            if (attempts.incrementAndGet() < 3) fail(ctx, "40P01");
            return ctx.fetchValue("SELECT current_user").toString();
        });

        assertThat(attempts).hasValue(3);
        assertThat(role).isEqualTo("analytics_service");
    }

    @Test
    void retries_are_bounded() {
        AtomicInteger attempts = new AtomicInteger();

        assertThatThrownBy(() -> transactions.asService(ctx -> {
            attempts.incrementAndGet();
            fail(ctx, "40001");
            return null;
        })).isInstanceOf(AnalyticsDbException.class)
                .hasFieldOrPropertyWithValue("kind", AnalyticsDbException.Kind.CONFLICT);

        assertThat(attempts).hasValue(4);
    }

    @Test
    void other_errors_are_not_retried() {
        AtomicInteger attempts = new AtomicInteger();

        assertThatThrownBy(() -> transactions.asService(ctx -> {
            attempts.incrementAndGet();
            fail(ctx, "23505");
            return null;
        })).as("translated at the unit's boundary").isInstanceOf(AnalyticsDbException.class)
                .hasFieldOrPropertyWithValue("kind", AnalyticsDbException.Kind.INVALID_INPUT);

        assertThat(attempts).hasValue(1);
    }

    @Test
    void single_query_units_roll_back_retry_and_hand_back_a_clean_connection() throws SQLException {
        AtomicInteger attempts = new AtomicInteger();

        long probes = transactions.asServiceQuery("SELECT count(*) FROM analytics.activity_rules WHERE activity_type = ?",
                (query, first) -> query.setString(first, "retry_probe"), rows -> {
                    rows.next();
                    if (attempts.incrementAndGet() == 1) {
                        try (Statement sql = rows.getStatement().getConnection().createStatement()) {
                            sql.execute("INSERT INTO analytics.activity_rules (activity_type, points) VALUES ('retry_probe', 1)");
                            sql.execute("DO $$ BEGIN RAISE EXCEPTION 'simulated' USING ERRCODE = '40001'; END $$");
                        }
                    }
                    return rows.getLong(1);
                }, Transactions.ErrorTranslator.NONE);

        assertThat(attempts).hasValue(2);
        assertThat(probes).as("the first attempt's insert was rolled back").isZero();
        try (Connection connection = pool.getConnection(); Statement sql = connection.createStatement();
             ResultSet identity = sql.executeQuery("SELECT current_user, current_setting('request.jwt.claims', true)")) {
            identity.next();
            assertThat(connection.getAutoCommit()).isTrue();
            assertThat(identity.getString(1)).isEqualTo(TestDatabase.APP_USER);
            assertThat(identity.getString(2)).isNullOrEmpty();
        }
    }

    @Test
    void a_nested_transaction_is_a_savepoint_of_the_unit() {
        String rule = "INSERT INTO analytics.activity_rules (activity_type, points) VALUES (?, 1)";
        String count = "SELECT count(*) FROM analytics.activity_rules WHERE activity_type LIKE 'nested_%'";

        transactions.asService(ctx -> {
            ctx.execute(rule, "nested_outer");
            assertThatThrownBy(() -> ctx.transaction(nested -> {
                nested.dsl().execute(rule, "nested_inner");
                fail(nested.dsl(), "23505");
            })).isInstanceOf(DataAccessException.class);
            ctx.transaction(nested -> nested.dsl().execute(rule, "nested_kept"));
            return null;
        });
        assertThat(transactions.<Object>asService(ctx -> ctx.fetchValue(count))).as("outer and the committed savepoint").isEqualTo(2L);

        assertThatThrownBy(() -> transactions.asService(ctx -> {
            ctx.transaction(nested -> nested.dsl().execute(rule, "nested_undone"));
            fail(ctx, "23505");
            return null;
        })).isInstanceOf(AnalyticsDbException.class);
        assertThat(transactions.<Object>asService(ctx -> ctx.fetchValue(count))).as("a failed unit undoes its savepoints too").isEqualTo(2L);
    }

    private static void fail(DSLContext ctx, String sqlState) {
        ctx.execute("DO $$ BEGIN RAISE EXCEPTION 'simulated' USING ERRCODE = '" + sqlState + "'; END $$");
    }
}
