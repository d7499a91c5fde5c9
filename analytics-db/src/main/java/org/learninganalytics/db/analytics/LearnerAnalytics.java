package org.learninganalytics.db.analytics;

import java.util.List;
import java.util.UUID;

/** All six analytics of a learner, in {@link AnalyticType} order. */
public record LearnerAnalytics(UUID userId, List<LearnerAnalytic> analytics) {

    public LearnerAnalytics {
        analytics = List.copyOf(analytics);
    }

    /** The result of one type. */
    public LearnerAnalytic get(AnalyticType type) {
        return analytics.stream().filter(a -> a.type() == type).findFirst()
                .orElseThrow(() -> new IllegalStateException("no " + type + " result"));
    }
}
