package org.learninganalytics.db.predictions;

import org.learninganalytics.db.AnalyticsDbException;

/**
 * The learner switched this prediction off: nobody (learner, trainer, admin, service) may read
 * or compute it until they switch it on again. Kind {@code NOT_VISIBLE}.
 */
public final class PredictionDisabledException extends AnalyticsDbException {

    public PredictionDisabledException(PredictionType type) {
        super(Kind.NOT_VISIBLE, "the learner has switched off the " + type.sqlName() + " prediction", null);
    }
}
