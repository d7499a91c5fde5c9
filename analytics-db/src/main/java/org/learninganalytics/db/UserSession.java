package org.learninganalytics.db;

import org.learninganalytics.db.gamification.Points;
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
        this.preferences = new Preferences(transactions, principal);
        this.points = new Points(transactions, principal);
        this.leaderboards = new Leaderboards(transactions, principal);
    }

    public Leaderboards leaderboards() {
        return leaderboards;
    }

    public Principal principal() {
        return principal;
    }

    public Preferences preferences() {
        return preferences;
    }

    public Points points() {
        return points;
    }
}
