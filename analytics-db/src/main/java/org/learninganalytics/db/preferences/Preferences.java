package org.learninganalytics.db.preferences;

import static org.learninganalytics.db.generated.Tables.USER_PREFERENCES;

import org.learninganalytics.db.internal.Transactions;
import org.learninganalytics.db.tenancy.Principal;

/** The caller's own preferences. Runs as the caller under row-level security. Thread-safe. */
public final class Preferences {

    private final Transactions transactions;
    private final Principal principal;

    public Preferences(Transactions transactions, Principal principal) {
        this.transactions = transactions;
        this.principal = principal;
    }

    /** The caller's preferences, or the defaults when they never set any. */
    public UserPreferences mine() {
        return transactions.asUser(principal, ctx -> ctx
                .select(USER_PREFERENCES.LEADERBOARD_PRIVACY)
                .from(USER_PREFERENCES)
                .where(USER_PREFERENCES.USER_ID.eq(principal.userId()))
                .fetchOptional(USER_PREFERENCES.LEADERBOARD_PRIVACY)
                .map(privacy -> new UserPreferences(principal.userId(), LeaderboardPrivacy.fromSqlName(privacy)))
                .orElse(new UserPreferences(principal.userId(), LeaderboardPrivacy.PUBLIC)));
    }

    /** Sets how the caller appears on leaderboards; takes effect on the next leaderboard read. */
    public UserPreferences setLeaderboardPrivacy(LeaderboardPrivacy privacy) {
        return transactions.asUser(principal, ctx -> {
            ctx.insertInto(USER_PREFERENCES, USER_PREFERENCES.USER_ID, USER_PREFERENCES.LEADERBOARD_PRIVACY)
                    .values(principal.userId(), privacy.sqlName())
                    .onConflict(USER_PREFERENCES.USER_ID)
                    .doUpdate()
                    .set(USER_PREFERENCES.LEADERBOARD_PRIVACY, privacy.sqlName())
                    .where(USER_PREFERENCES.LEADERBOARD_PRIVACY.ne(privacy.sqlName()))
                    .execute();
            return new UserPreferences(principal.userId(), privacy);
        });
    }
}
