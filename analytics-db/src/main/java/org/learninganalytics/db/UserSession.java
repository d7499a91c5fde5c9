package org.learninganalytics.db;

import org.learninganalytics.db.analytics.Analytics;
import org.learninganalytics.db.analytics.AnalyticsTtls;
import org.learninganalytics.db.aggregates.Aggregates;
import org.learninganalytics.db.events.LearningEvents;
import org.learninganalytics.db.gamification.Achievements;
import org.learninganalytics.db.gamification.Points;
import org.learninganalytics.db.internal.Services;
import org.learninganalytics.db.internal.Transactions;
import org.learninganalytics.db.leaderboard.Leaderboards;
import org.learninganalytics.db.predictions.Predictions;
import org.learninganalytics.db.preferences.Preferences;
import org.learninganalytics.db.tenancy.Identities;
import org.learninganalytics.db.tenancy.Principal;
import org.learninganalytics.db.tenancy.UserProfile;

/**
 * Everything a user may do, from {@link AnalyticsDb#as(Principal)}. Each call is one
 * transaction that runs as the caller under row-level security. Cheap to create; thread-safe.
 */
public final class UserSession {

    private final Principal principal;
    private final Identities identities;
    private final Preferences preferences;
    private final Points points;
    private final Achievements achievements;
    private final Leaderboards leaderboards;
    private final Analytics analytics;
    private final LearningEvents learningEvents;
    private final Aggregates aggregates;
    private final Predictions predictions;

    UserSession(Transactions transactions, Identities identities, Principal principal, AnalyticsTtls analyticsTtls) {
        this.principal = principal;
        this.identities = identities;
        this.preferences = Services.create(Preferences.class, transactions, principal);
        this.points = Services.create(Points.class, transactions, principal);
        this.achievements = Services.create(Achievements.class, transactions, principal);
        this.leaderboards = Services.create(Leaderboards.class, transactions, principal);
        this.analytics = Services.create(Analytics.class, transactions, principal, analyticsTtls);
        this.learningEvents = Services.create(LearningEvents.class, transactions, principal);
        this.aggregates = Services.create(Aggregates.class, transactions, principal);
        this.predictions = Services.create(Predictions.class, transactions, principal);
    }

    public Principal principal() {
        return principal;
    }

    /**
     * The caller as the database has them: name, e-mail, avatar, organization and roles.
     *
     * @throws AnalyticsDbException {@link AnalyticsDbException.Kind#NOT_VISIBLE} when the caller is not (or no longer) a user
     */
    public UserProfile profile() {
        return identities.profile(principal);
    }

    /** Points and self-reported activity. */
    public Points points() {
        return points;
    }

    /** The achievement catalogue and what users the caller may see have earned. */
    public Achievements achievements() {
        return achievements;
    }

    /** Weekly, monthly and all-time boards of the caller's organization. */
    public Leaderboards leaderboards() {
        return leaderboards;
    }

    /** The six learner analytics (velocity, skill gaps, engagement, mastery, performance, content effectiveness), cached with a TTL. */
    public Analytics analytics() {
        return analytics;
    }

    /** Learning events of the users the caller may see (their own, trainees', organization's). */
    public LearningEvents learningEvents() {
        return learningEvents;
    }

    /** Peer comparison ("me versus my peers") and skill demand of the caller's organization, k-anonymous. */
    public Aggregates aggregates() {
        return aggregates;
    }

    /** Drop-off risk, forecast and recommendations of the users the caller may see, as each learner allows. */
    public Predictions predictions() {
        return predictions;
    }

    /** The caller's own preferences. */
    public Preferences preferences() {
        return preferences;
    }
}
