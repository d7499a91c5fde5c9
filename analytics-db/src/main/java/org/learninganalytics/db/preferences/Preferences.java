package org.learninganalytics.db.preferences;

import static org.learninganalytics.db.generated.Tables.USER_PREFERENCES;

import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.regex.Pattern;

import org.jooq.JSONB;
import org.jooq.TableField;
import org.jooq.exception.DataAccessException;
import org.learninganalytics.db.AnalyticsDbException;
import org.learninganalytics.db.generated.tables.records.UserPreferencesRecord;
import org.learninganalytics.db.internal.SqlErrors;
import org.learninganalytics.db.internal.Transactions;
import org.learninganalytics.db.tenancy.Principal;

/** The caller's own preferences. Runs as the caller under row-level security. Thread-safe. */
public final class Preferences {

    /**
     * An IANA region name (Area/Location, up to two levels below the area) or UTC: the same
     * pattern as the database's is_region_time_zone() (migration V011). No POSIX offsets such
     * as {@code UTC+05:30}, which Java and PostgreSQL read with opposite signs.
     */
    static final Pattern REGION_TIME_ZONE = Pattern.compile("^(UTC|[A-Z][A-Za-z]+(/[A-Z][A-Za-z0-9_+-]*){1,2})$");

    /** Text longer than this is refused before it is sent; the database's own bound (4 kB as jsonb text) decides the rest. */
    private static final int MAX_JSON_TEXT = 16 * 1024;

    private final Transactions transactions;
    private final Principal principal;

    Preferences(Transactions transactions, Principal principal) {
        this.transactions = transactions;
        this.principal = principal;
    }

    /** The caller's preferences, or the defaults when they never set any. */
    public UserPreferences mine() {
        return transactions.asUser(principal, ctx -> ctx
                .select(USER_PREFERENCES.LEADERBOARD_PRIVACY, USER_PREFERENCES.TIME_ZONE, USER_PREFERENCES.NOTIFICATION_PREFERENCES)
                .from(USER_PREFERENCES)
                .where(USER_PREFERENCES.USER_ID.eq(principal.userId()))
                .fetchOptional(r -> new UserPreferences(principal.userId(), LeaderboardPrivacy.fromSqlName(r.value1()),
                        zone(r.value2()), r.value3() == null ? null : r.value3().data()))
                .orElse(new UserPreferences(principal.userId(), LeaderboardPrivacy.PUBLIC, ZoneOffset.UTC, null)));
    }

    /** A stored zone; the database keeps only names Java reads too (V011), unless a DBA wrote around it. */
    private static ZoneId zone(String name) {
        try {
            return ZoneId.of(name);
        } catch (java.time.DateTimeException e) {
            throw new AnalyticsDbException("the stored time zone \"" + name + "\" is not one Java knows", e);
        }
    }

    /** Sets how the caller appears on leaderboards; takes effect on the next leaderboard read. */
    public UserPreferences setLeaderboardPrivacy(LeaderboardPrivacy privacy) {
        setOwn(USER_PREFERENCES.LEADERBOARD_PRIVACY, privacy.sqlName());
        return mine();
    }

    /**
     * Sets the zone in which the caller's days count for caps and streaks, from the next
     * activity on; past days and streaks stay as they were counted. The zone may change once
     * per 7 days (choosing one for the first time is always allowed), so that nobody gains
     * days by hopping between zones.
     *
     * @param zoneName an IANA region name such as {@code Europe/Berlin}, or {@code UTC}
     * @throws InvalidPreferenceException {@code INVALID} for anything else (offsets such as
     *         {@code UTC+05:30}, unknown names); {@code TIME_ZONE_CHANGED_RECENTLY} within 7
     *         days of the last change. Nothing is changed.
     */
    public UserPreferences setTimeZone(String zoneName) {
        if (zoneName == null || !REGION_TIME_ZONE.matcher(zoneName).matches() || !ZoneId.getAvailableZoneIds().contains(zoneName)) {
            throw new InvalidPreferenceException(InvalidPreferenceException.Reason.INVALID,
                    "unknown time zone: " + zoneName + " (expected an IANA region name such as Europe/Berlin, or UTC)", null);
        }
        setOwn(USER_PREFERENCES.TIME_ZONE, zoneName);
        return mine();
    }

    /**
     * Sets the caller's notification preferences: a JSON object of at most 4 kB and 4 levels
     * of nesting, or null to clear them.
     *
     * @throws InvalidPreferenceException {@code INVALID} for anything else; nothing is changed
     */
    public UserPreferences setNotificationPreferences(String json) {
        if (json != null && json.length() > MAX_JSON_TEXT) {
            throw new InvalidPreferenceException(InvalidPreferenceException.Reason.INVALID, NOTIFICATIONS_BOUND, null);
        }
        JSONB value = json == null ? null : JSONB.valueOf(json);
        setOwn(USER_PREFERENCES.NOTIFICATION_PREFERENCES, value);
        return mine();
    }

    /** Creates the caller's row with this one value, or changes it when it differs. */
    private <V> void setOwn(TableField<UserPreferencesRecord, V> column, V value) {
        transactions.asUser(principal, ctx -> ctx
                .insertInto(USER_PREFERENCES, USER_PREFERENCES.USER_ID, column)
                .values(principal.userId(), value)
                .onConflict(USER_PREFERENCES.USER_ID)
                .doUpdate()
                .set(column, value)
                .where(column.isDistinctFrom(value))
                .execute(), Preferences::refusal);
    }

    private static final String NOTIFICATIONS_BOUND = "notification preferences must be a JSON object of at most 4096 bytes and 4 levels";

    private static AnalyticsDbException refusal(DataAccessException e) {
        String state = String.valueOf(e.sqlState());
        if (state.equals("LA005")) {
            return new InvalidPreferenceException(InvalidPreferenceException.Reason.TIME_ZONE_CHANGED_RECENTLY, SqlErrors.serverMessage(e), e);
        }
        if (state.equals("23514") && "ck_user_preferences_notification_bounded".equals(SqlErrors.constraint(e))) {
            return new InvalidPreferenceException(InvalidPreferenceException.Reason.INVALID, NOTIFICATIONS_BOUND, e);
        }
        if (state.equals("22P02")) {
            return new InvalidPreferenceException(InvalidPreferenceException.Reason.INVALID, "not valid JSON", e);
        }
        if (state.startsWith("22") || state.startsWith("23")) {
            return new InvalidPreferenceException(InvalidPreferenceException.Reason.INVALID, SqlErrors.serverMessage(e), e);
        }
        return null;
    }
}
