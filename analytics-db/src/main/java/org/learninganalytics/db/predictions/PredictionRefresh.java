package org.learninganalytics.db.predictions;

import java.util.UUID;

import org.learninganalytics.db.internal.Transactions;

/** Computing predictions on the service path (jobs), always anew. Thread-safe. */
public final class PredictionRefresh {

    private final Transactions transactions;

    PredictionRefresh(Transactions transactions) {
        this.transactions = transactions;
    }

    /**
     * Computes and stores the learner's prediction of this type, replacing the cached one.
     *
     * @throws PredictionDisabledException when the learner switched it off: nothing is computed or stored
     * @throws org.learninganalytics.db.AnalyticsDbException {@code NOT_VISIBLE} for an unknown user
     */
    public Prediction refresh(UUID userId, PredictionType type) {
        return transactions.asService(ctx -> PredictionCache.compute(ctx, userId, type, true));
    }
}
