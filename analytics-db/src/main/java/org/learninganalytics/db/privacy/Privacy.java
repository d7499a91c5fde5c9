package org.learninganalytics.db.privacy;

import static org.learninganalytics.db.AnalyticsDb.SCHEMA;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import org.jooq.Record;
import org.jooq.Result;
import org.jooq.exception.DataAccessException;
import org.learninganalytics.db.internal.Transactions;

/**
 * A learner's right to be forgotten and right of access (service path): {@link #erase} removes
 * everything stored about a user, {@link #export} returns it as JSON. Both run in SQL
 * ({@code erase_user()}, {@code export_user()} in R__280_erasure.sql), each in one transaction.
 * Thread-safe.
 */
public final class Privacy {

    // The receipt's two maps as rows, from one call of the function (a CTE runs it once).
    private static final String ERASE = "WITH r AS (SELECT * FROM " + SCHEMA + ".erase_user(?))"
            + " SELECT r.id, r.erased_at, r.refreshed, c.kind, c.key, c.value::bigint AS value FROM r"
            + " CROSS JOIN LATERAL (SELECT 'deleted' AS kind, key, value FROM jsonb_each_text(r.deleted_rows)"
            + "                     UNION ALL SELECT 'redacted', key, value FROM jsonb_each_text(r.redacted_rows)) c";
    private static final String EXPORT = "SELECT " + SCHEMA + ".export_user(?)::text";

    private final Transactions transactions;

    Privacy(Transactions transactions) {
        this.transactions = transactions;
    }

    /**
     * Erases a user in one transaction: their rows in every table, partition and archive,
     * mentions of them in others' rows, their places on the leaderboards and in the
     * aggregates (at once, not at the next refresh). On any failure nothing changes.
     *
     * @return the receipt, which holds no personal data
     * @throws UserNotFoundException when no such user is stored (also when already erased)
     */
    public ErasureReceipt erase(UUID userId) {
        return transactions.asService(ctx -> {
            Result<Record> rows = ctx.fetch(ERASE, userId);
            Map<String, Long> deleted = new TreeMap<>();
            Map<String, Long> redacted = new TreeMap<>();
            for (Record row : rows) {
                ("deleted".equals(row.get("kind", String.class)) ? deleted : redacted).put(row.get("key", String.class),
                        row.get("value", Long.class));
            }
            Record first = rows.get(0); // the users row is always among the deleted
            Instant erasedAt = first.get("erased_at", OffsetDateTime.class).toInstant();
            List<String> refreshed = Arrays.asList(first.get("refreshed", String[].class));
            return new ErasureReceipt(first.get("id", UUID.class), erasedAt, deleted, redacted, refreshed);
        }, Privacy::notFound);
    }

    /**
     * Everything stored about a user as one JSON document (UTF-8 text): profile, organization,
     * roles, enrollments, courses trained, skills, points and streak, ledger (archived rows
     * included), achievements, daily activity, preferences, award keys, learning events, the
     * six analytics' history, predictions and any other archived rows. Shape in the README.
     *
     * @throws UserNotFoundException when no such user is stored
     */
    public String export(UUID userId) {
        return transactions.asService(ctx -> ctx.fetchValue(EXPORT, userId).toString(), Privacy::notFound);
    }

    private static UserNotFoundException notFound(DataAccessException e) {
        return "P0002".equals(e.sqlState()) ? new UserNotFoundException("no such user", e) : null;
    }
}
