package org.learninganalytics.db.predictions;

import static org.learninganalytics.db.generated.Tables.USERS;
import static org.learninganalytics.db.generated.Tables.USER_PREFERENCES;

import java.util.Optional;
import java.util.UUID;

import org.jooq.impl.DSL;
import org.learninganalytics.db.AnalyticsDbException;
import org.learninganalytics.db.internal.Transactions;
import org.learninganalytics.db.tenancy.Principal;

/**
 * Predictions of the users the caller may see (themselves; a trainer's trainees; an org
 * admin's organization), read as the caller under row-level security. A fresh cached
 * prediction is returned as it is; otherwise it is computed on the service path (once, however
 * many read at the same time), stored for 48 hours and returned. Thread-safe.
 */
public final class Predictions {

    private final Transactions transactions;
    private final Principal principal;

    Predictions(Transactions transactions, Principal principal) {
        this.transactions = transactions;
        this.principal = principal;
    }

    /**
     * The learner's prediction of this type.
     *
     * @throws AnalyticsDbException        {@code NOT_VISIBLE} when the caller may not see the user (or there is none)
     * @throws PredictionDisabledException when the learner switched this prediction off (also {@code NOT_VISIBLE})
     */
    public Prediction get(UUID userId, PredictionType type) {
        Optional<Prediction> cached = transactions.asUser(principal, ctx -> {
            if (!ctx.fetchExists(USERS, USERS.ID.eq(userId))) {
                throw new AnalyticsDbException(AnalyticsDbException.Kind.NOT_VISIBLE, "no such user", null);
            }
            if (ctx.fetchExists(USER_PREFERENCES, USER_PREFERENCES.USER_ID.eq(userId),
                    DSL.condition("{0} -> {1} = 'false'::jsonb", USER_PREFERENCES.PREDICTIVE_ANALYTICS_ENABLED, DSL.val(type.switchName())))) {
                throw new PredictionDisabledException(type);
            }
            return PredictionCache.fresh(ctx, userId, type);
        });
        // Visible and switched on: computing is the service's (the caller may not write the cache).
        return cached.orElseGet(() -> transactions.asService(ctx -> PredictionCache.compute(ctx, userId, type, false)));
    }
}
