package org.learninganalytics.db.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.learninganalytics.db.AnalyticsDb;
import org.learninganalytics.db.gamification.Award;
import org.learninganalytics.db.testing.FreshDatabase;
import org.learninganalytics.db.testing.Sql;
import org.learninganalytics.db.testing.TestDatabase;

/**
 * Erasure beside other work: racing an award of the same user (the interleaving is fixed step by step on two
 * connections, each SQL without the library's retries, so a deadlock fails the test), and after another erasure.
 */
@FreshDatabase
class ErasureEdgeCasesPgTest {

    private static final UUID ORG = UUID.randomUUID();

    private static TestDatabase database;
    private static AnalyticsDb db;
    private static Connection admin;

    @BeforeAll
    static void arrange(TestDatabase testDatabase) throws SQLException {
        database = testDatabase;
        db = database.analyticsDb();
        admin = database.connect();
        sql(admin, "INSERT INTO analytics.organizations (id, name) VALUES (?, 'Races')", ORG);
    }

    @AfterAll
    static void close() throws SQLException {
        admin.close();
    }

    /**
     * award_points() locks the user's totals row, then writes its ledger row, whose foreign key
     * check locks the users row. erase_user() took the users row first, then the totals row: an
     * erasure starting between the award's two locks deadlocked with it (one of them failed
     * with 40P01 after deadlock_timeout). Now the erasure waits for the award and erases its row too.
     */
    @Test
    void an_erasure_starting_while_an_award_is_in_flight_waits_for_it_and_erases_its_row() throws Exception {
        UUID learner = UUID.randomUUID();
        sql(admin, "INSERT INTO analytics.users (id, email, organization_id) VALUES (?, ?, ?)", learner, learner + "@test.example", ORG);
        db.system().gamification().awards().award(Award.of(learner, "lesson_completed", "races:" + learner + ":1"));

        ExecutorService eraser = Executors.newSingleThreadExecutor();
        try (Connection award = database.connect(); Connection service = database.connect()) {
            award.setAutoCommit(false);
            // The award's first lock, as award_points() takes it.
            sql(award, "SELECT 1 FROM analytics.user_points WHERE user_id = ? FOR UPDATE", learner);
            sql(service, "SET ROLE analytics_service");
            int pid = (int) count(service, "SELECT pg_backend_pid()");
            Future<String> erasure = eraser.submit(() -> {
                try (PreparedStatement erase = service.prepareStatement("SELECT (analytics.erase_user(?)).deleted_rows::text")) {
                    erase.setObject(1, learner);
                    try (ResultSet rows = erase.executeQuery()) {
                        rows.next();
                        return rows.getString(1);
                    }
                }
            });
            awaitWaitingOnALock(pid);
            // The award's ledger row (its foreign key check locks the users row), then its commit.
            sql(award, "INSERT INTO analytics.point_transactions (user_id, points, activity_type) VALUES (?, 5, 'lesson_completed')", learner);
            award.commit();

            String deleted = erasure.get(30, TimeUnit.SECONDS);
            assertThat(deleted).contains("\"point_transactions\": 2").contains("\"users\": 1");
        } finally {
            eraser.shutdownNow();
        }
        assertThat(count("SELECT count(*) FROM analytics.point_transactions WHERE user_id = ?", learner)).isZero();
        assertThat(count("SELECT count(*) FROM analytics.users WHERE id = ?", learner)).isZero();
    }

    /**
     * Another learner's award keys naming two erased users ("review-of-<id>") were both redacted
     * to "review-of-[erased]": the key is the primary key, so the second erasure failed, and
     * kept failing, on a unique violation. Each erasure now writes a token of its own.
     */
    @Test
    void award_keys_naming_two_erased_users_do_not_block_the_second_erasure() throws SQLException {
        UUID reviewer = user();
        UUID first = user();
        UUID second = user();
        for (UUID reviewed : List.of(first, second)) {
            sql(admin, "INSERT INTO analytics.award_keys (idempotency_key, user_id, request_hash) VALUES (?, ?, 'hash')",
                    "review-of-" + reviewed, reviewer);
        }

        db.system().privacy().erase(first);
        db.system().privacy().erase(second);

        assertThat(count("SELECT count(*) FROM analytics.users WHERE id IN (?, ?)", first, second)).isZero();
        assertThat(count("SELECT count(*) FROM analytics.award_keys WHERE user_id = ? AND idempotency_key LIKE 'review-of-[erased-%]'"
                + " AND idempotency_key NOT ILIKE ? AND idempotency_key NOT ILIKE ?", reviewer, "%" + first + "%", "%" + second + "%"))
                .isEqualTo(2);
    }

    private static UUID user() throws SQLException {
        UUID id = UUID.randomUUID();
        sql(admin, "INSERT INTO analytics.users (id, email, organization_id) VALUES (?, ?, ?)", id, id + "@test.example", ORG);
        return id;
    }

    /** Waits until the backend {@code pid} waits for a lock (the erasure has taken what it can). */
    private static void awaitWaitingOnALock(int pid) throws Exception {
        Instant until = Instant.now().plus(Duration.ofSeconds(30));
        while (Instant.now().isBefore(until)) {
            if (count("SELECT count(*) FROM pg_stat_activity WHERE pid = ? AND wait_event_type = 'Lock'", pid) == 1) return;
            Thread.sleep(20);
        }
        throw new AssertionError("the erasure never waited for a lock");
    }

    private static void sql(Connection connection, String statement, Object... arguments) throws SQLException {
        Sql.execute(connection, statement, arguments);
    }

    private static long count(String statement, Object... arguments) throws SQLException {
        return Sql.count(admin, statement, arguments);
    }

    private static long count(Connection connection, String statement, Object... arguments) throws SQLException {
        return Sql.count(connection, statement, arguments);
    }
}
