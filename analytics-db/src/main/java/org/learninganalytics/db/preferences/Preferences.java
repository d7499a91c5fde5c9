package org.learninganalytics.db.preferences;

import static org.learninganalytics.db.generated.Tables.USER_PREFERENCES;

import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.JSONB;
import org.jooq.TableField;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.DSL;
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

    /** user_preferences.predictive_analytics_enabled's column default (V005), as PostgreSQL prints it: every prediction on. */
    public static final String DEFAULT_PREDICTIVE_ANALYTICS = "{\"dropOffRisk\": true, \"forecasting\": true, \"recommendations\": true}";

    /**
     * The column default, as a region id: its id is "UTC", as a stored zone's, and so a name
     * {@link #setTimeZone} takes back (ZoneOffset.UTC's id "Z" is no region name).
     */
    private static final ZoneId DEFAULT_TIME_ZONE = ZoneId.of("UTC");

    /** Text longer than this is refused before it is sent; the database's own bounds (4 kB and 1 kB as jsonb text) decide the rest. */
    private static final int MAX_JSON_TEXT = 16 * 1024;

    private static final String NOTIFICATIONS_BOUND = "notification preferences must be a JSON object of at most 4096 bytes and 4 levels";
    private static final String PREDICTIVE_BOUND = "predictive analytics switches must be a JSON object of at most 1024 bytes and 2 levels";

    private final Transactions transactions;
    private final Principal principal;

    Preferences(Transactions transactions, Principal principal) {
        this.transactions = transactions;
        this.principal = principal;
    }

    /** The caller's preferences, or the defaults when they never set any. */
    public UserPreferences mine() {
        return transactions.asUser(principal, this::read);
    }

    private UserPreferences read(DSLContext ctx) {
        return ctx.select(USER_PREFERENCES.LEADERBOARD_PRIVACY, USER_PREFERENCES.TIME_ZONE, USER_PREFERENCES.PREDICTIVE_ANALYTICS_ENABLED,
                        USER_PREFERENCES.NOTIFICATION_PREFERENCES)
                .from(USER_PREFERENCES)
                .where(USER_PREFERENCES.USER_ID.eq(principal.userId()))
                .fetchOptional(r -> new UserPreferences(principal.userId(), LeaderboardPrivacy.fromSqlName(r.value1()),
                        zone(r.value2()), r.value3().data(), r.value4() == null ? null : r.value4().data()))
                .orElse(new UserPreferences(principal.userId(), LeaderboardPrivacy.PUBLIC, DEFAULT_TIME_ZONE, DEFAULT_PREDICTIVE_ANALYTICS, null));
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
        return update(PreferenceChanges.none().withLeaderboardPrivacy(java.util.Objects.requireNonNull(privacy, "privacy")));
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
        checkTimeZone(zoneName);
        return update(PreferenceChanges.none().withTimeZone(zoneName));
    }

    /**
     * Sets the caller's notification preferences: a JSON object of at most 4 kB and 4 levels
     * of nesting, or null to clear them.
     *
     * @throws InvalidPreferenceException {@code INVALID} for anything else; nothing is changed
     */
    public UserPreferences setNotificationPreferences(String json) {
        return update(PreferenceChanges.none().withNotificationPreferences(json));
    }

    /**
     * Applies all of {@code changes} in one transaction, or none of them: every value is
     * checked first (here, then by the database's constraints and the time zone's 7-day rule),
     * and one bad value changes nothing. Fields left null stay as they are.
     *
     * @return the caller's preferences after the change
     * @throws InvalidPreferenceException {@code INVALID} for a value out of bounds (see
     *         {@link PreferenceChanges}); {@code TIME_ZONE_CHANGED_RECENTLY} for a new time
     *         zone within 7 days of the last change. Nothing is changed.
     */
    public UserPreferences update(PreferenceChanges changes) {
        if (changes.timeZone() != null) checkTimeZone(changes.timeZone());
        checkLength(changes.predictiveAnalyticsEnabled(), PREDICTIVE_BOUND);
        checkLength(changes.notificationPreferences(), NOTIFICATIONS_BOUND);
        Upsert upsert = new Upsert();
        if (changes.leaderboardPrivacy() != null) upsert.set(USER_PREFERENCES.LEADERBOARD_PRIVACY, changes.leaderboardPrivacy().sqlName());
        if (changes.timeZone() != null) upsert.set(USER_PREFERENCES.TIME_ZONE, changes.timeZone());
        if (changes.predictiveAnalyticsEnabled() != null) {
            upsert.set(USER_PREFERENCES.PREDICTIVE_ANALYTICS_ENABLED, JSONB.valueOf(changes.predictiveAnalyticsEnabled()));
        }
        if (changes.changesNotificationPreferences()) {
            upsert.set(USER_PREFERENCES.NOTIFICATION_PREFERENCES,
                    changes.notificationPreferences() == null ? null : JSONB.valueOf(changes.notificationPreferences()));
        }
        if (upsert.values.isEmpty()) return mine();
        return transactions.asUser(principal, ctx -> {
            // Creates the caller's row with these values, or changes those that differ (an unchanged row is not rewritten).
            ctx.insertInto(USER_PREFERENCES)
                    .set(USER_PREFERENCES.USER_ID, principal.userId()).set(upsert.values)
                    .onConflict(USER_PREFERENCES.USER_ID)
                    .doUpdate()
                    .set(upsert.values)
                    .where(DSL.or(upsert.differs))
                    .execute();
            return read(ctx);
        }, e -> refusal(e, changes));
    }

    /** Columns to write and, for the update, whether any of them differs from the stored value. */
    private static final class Upsert {
        final Map<Field<?>, Object> values = new LinkedHashMap<>();
        final List<Condition> differs = new ArrayList<>();

        <V> void set(TableField<UserPreferencesRecord, V> column, V value) {
            values.put(column, value);
            differs.add(column.isDistinctFrom(value));
        }
    }

    private static void checkTimeZone(String zoneName) {
        if (zoneName == null || !REGION_TIME_ZONE.matcher(zoneName).matches() || !ZoneId.getAvailableZoneIds().contains(zoneName)) {
            throw new InvalidPreferenceException(InvalidPreferenceException.Reason.INVALID,
                    "unknown time zone: " + zoneName + " (expected an IANA region name such as Europe/Berlin, or UTC)", null);
        }
    }

    private static void checkLength(String json, String bound) {
        if (json != null && json.length() > MAX_JSON_TEXT) { // not worth sending: the database allows far less
            throw new InvalidPreferenceException(InvalidPreferenceException.Reason.INVALID, bound, null);
        }
    }

    private static AnalyticsDbException refusal(DataAccessException e, PreferenceChanges changes) {
        String state = String.valueOf(e.sqlState());
        if (state.equals("LA005")) {
            return new InvalidPreferenceException(InvalidPreferenceException.Reason.TIME_ZONE_CHANGED_RECENTLY, SqlErrors.serverMessage(e), e);
        }
        String constraint = SqlErrors.constraint(e);
        if (state.equals("23514") && "ck_user_preferences_notification_bounded".equals(constraint)) {
            return new InvalidPreferenceException(InvalidPreferenceException.Reason.INVALID, NOTIFICATIONS_BOUND, e);
        }
        if (state.equals("23514") && constraint != null && constraint.startsWith("ck_user_preferences_predictive_")) {
            return new InvalidPreferenceException(InvalidPreferenceException.Reason.INVALID, PREDICTIVE_BOUND, e);
        }
        if (state.equals("22P02")) { // PostgreSQL's message does not say which parameter it could not read
            boolean both = changes.predictiveAnalyticsEnabled() != null && changes.notificationPreferences() != null;
            String which = both ? "predictive analytics switches or notification preferences"
                    : changes.predictiveAnalyticsEnabled() != null ? "predictive analytics switches" : "notification preferences";
            return new InvalidPreferenceException(InvalidPreferenceException.Reason.INVALID, which + ": not valid JSON", e);
        }
        if (state.startsWith("22") || state.startsWith("23")) {
            return new InvalidPreferenceException(InvalidPreferenceException.Reason.INVALID, SqlErrors.serverMessage(e), e);
        }
        return null;
    }
}
