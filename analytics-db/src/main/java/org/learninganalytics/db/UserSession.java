package org.learninganalytics.db;

import org.learninganalytics.db.gamification.Points;
import org.learninganalytics.db.internal.Services;
import org.learninganalytics.db.internal.Transactions;
import org.learninganalytics.db.leaderboard.Leaderboards;
import org.learninganalytics.db.preferences.Preferences;
import org.learninganalytics.db.tenancy.Principal;

/**
 * Everything a user may do, from {@link AnalyticsDb#as(Principal)}. Each call is one
 * transaction that runs as the caller under row-level security. Cheap to create; thread-safe.
 */
public final class UserSession {

    private final Principal principal;
    private final Preferences preferences;
    private final Points points;
    private final Leaderboards leaderboards;

    UserSession(Transactions transactions, Principal principal) {
        this.principal = principal;
        this.preferences = Services.create(Preferences.class, transactions, principal);
        this.points = Services.create(Points.class, transactions, principal);
        this.leaderboards = Services.create(Leaderboards.class, transactions, principal);
    }

    public Principal principal() {
        return principal;
    }

    /** Points and self-reported activity. */
    public Points points() {
        return points;
    }

    /** Weekly, monthly and all-time boards of the caller's organization. */
    public Leaderboards leaderboards() {
        return leaderboards;
    }

    /** The caller's own preferences. */
    public Preferences preferences() {
        return preferences;
    }
}
