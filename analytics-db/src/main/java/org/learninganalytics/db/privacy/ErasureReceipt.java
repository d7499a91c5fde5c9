package org.learninganalytics.db.privacy;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What an erasure did, as stored in {@code erasure_receipts}: no user id, e-mail or name.
 *
 * @param receiptId    random id of the receipt (keep it with the erasure request)
 * @param erasedAt     when the erasure committed
 * @param deletedRows  table (schema-qualified outside the main schema) -> rows of the user deleted
 * @param redactedRows table.column -> other rows in which a mention of the user was removed
 * @param refreshed    leaderboard and aggregate views refreshed at once because the user was on them
 */
public record ErasureReceipt(UUID receiptId, Instant erasedAt, Map<String, Long> deletedRows, Map<String, Long> redactedRows,
                             List<String> refreshed) {

    public ErasureReceipt {
        deletedRows = Map.copyOf(deletedRows);
        redactedRows = Map.copyOf(redactedRows);
        refreshed = List.copyOf(refreshed);
    }
}
