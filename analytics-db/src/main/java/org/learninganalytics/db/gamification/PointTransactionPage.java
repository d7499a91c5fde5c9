package org.learninganalytics.db.gamification;

import java.util.List;

/**
 * A page of a user's ledger, newest first.
 *
 * @param nextCursor pass to {@link Points#transactions} for the following entries; null after the last page
 */
public record PointTransactionPage(List<PointTransaction> entries, String nextCursor) {

    public PointTransactionPage {
        entries = List.copyOf(entries);
    }
}
