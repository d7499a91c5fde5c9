package org.learninganalytics.db.preferences;

import static org.learninganalytics.db.generated.Tables.USER_PREFERENCES;

import java.time.ZoneId;
import java.time.ZoneOffset;

import org.jooq.exception.DataAccessException;
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
                .select(USER_PREFERENCES.LEADERBOARD_PRIVACY, USER_PREFERENCES.TIME_ZONE)
                .from(USER_PREFERENCES)
                .where(USER_PREFERENCES.USER_ID.eq(principal.userId()))
                .fetchOptional(r -> new UserPreferences(principal.userId(), LeaderboardPrivacy.fromSqlName(r.value1()), ZoneId.of(r.value2())))
                .orElse(new UserPreferences(principal.userId(), LeaderboardPrivacy.PUBLIC, ZoneOffset.UTC)));
    }

    /** Sets how the caller appears on leaderboards; takes effect on the next leaderboard read. */
    public UserPreferences setLeaderboardPrivacy(LeaderboardPrivacy privacy) {
        transactions.asUser(principal, ctx -> ctx
                .insertInto(USER_PREFERENCES, USER_PREFERENCES.USER_ID, USER_PREFERENCES.LEADERBOARD_PRIVACY)
                .values(principal.userId(), privacy.sqlName())
                .onConflict(USER_PREFERENCES.USER_ID)
                .doUpdate()
                .set(USER_PREFERENCES.LEADERBOARD_PRIVACY, privacy.sqlName())
                .where(USER_PREFERENCES.LEADERBOARD_PRIVACY.ne(privacy.sqlName()))
                .execute());
        return mine();
    }

    /**
     * Sets the zone in which the caller's days count for streaks, from the next activity on;
     * past days and streaks stay as they were counted.
     *
     * @param zoneName an IANA zone name such as {@code Europe/Berlin}
     * @throws InvalidPreferenceException when Java or PostgreSQL does not know the zone
     */
    public UserPreferences setTimeZone(String zoneName) {
        String name;
        try {
            ZoneId zone = ZoneId.of(zoneName);
            name = zone.normalized().getId().equals("Z") ? "UTC" : zone.getId();
        } catch (java.time.DateTimeException | NullPointerException e) {
            throw new InvalidPreferenceException("unknown time zone: " + zoneName, e);
        }
        try {
            transactions.asUser(principal, ctx -> ctx
                    .insertInto(USER_PREFERENCES, USER_PREFERENCES.USER_ID, USER_PREFERENCES.TIME_ZONE)
                    .values(principal.userId(), name)
                    .onConflict(USER_PREFERENCES.USER_ID)
                    .doUpdate()
                    .set(USER_PREFERENCES.TIME_ZONE, name)
                    .where(USER_PREFERENCES.TIME_ZONE.ne(name))
                    .execute());
        } catch (DataAccessException e) {
            if ("22023".equals(e.sqlState())) {
                throw new InvalidPreferenceException("unknown time zone: " + name, e);
            }
            throw e;
        }
        return mine();
    }
}
