package org.learninganalytics.db.analytics;

import static org.learninganalytics.db.AnalyticsDb.SCHEMA;
import static org.learninganalytics.db.generated.Tables.LEARNER_ANALYTICS_ROWS;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.jooq.Record;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.DSL;
import org.learninganalytics.db.internal.SqlErrors;
import org.learninganalytics.db.internal.Transactions;
import org.learninganalytics.db.internal.Visibility;
import org.learninganalytics.db.tenancy.Principal;

/**
 * The six learner analytics of ANALYTICS.md, read as the caller under row-level security
 * through a TTL cache: a read returns the newest unexpired result; when there is none, the
 * database computes one (once, however many readers ask at the same time), appends it to
 * the history and returns it. Only for users the caller may see: themselves, their trainees,
 * their organization as org admin. Thread-safe.
 */
public final class Analytics {

    /** The most history rows one read returns (newest first). */
    public static final int MAX_HISTORY = 500;
    /** The longest history range one read may ask for (the events behind the results are kept 90 days). */
    public static final Duration MAX_HISTORY_RANGE = Duration.ofDays(366);

    // One round trip with the caller's identity set-up (Transactions.asUserQuery).
    private static final String CACHED = "SELECT a.analytic, a.id, a.result_status, a.calculated_at, a.expires_at, a.window_start,"
            + " a.window_end, a.result::text AS result, ARRAY(SELECT jsonb_array_elements_text(a.result -> 'missing')) AS missing"
            + " FROM " + SCHEMA + ".learner_analytics(?::uuid, ?::text[], ?::text[]::interval[]) a";

    private final Transactions transactions;
    private final Principal principal;
    private final AnalyticsTtls ttls;

    Analytics(Transactions transactions, Principal principal, AnalyticsTtls ttls) {
        this.transactions = transactions;
        this.principal = principal;
        this.ttls = ttls;
    }

    /** The learner's pace against their courses' expected length. Empty when the user is not visible (or does not exist). */
    public Optional<LearnerAnalytic> velocity(UUID userId) {
        return get(AnalyticType.VELOCITY, userId);
    }

    public Optional<LearnerAnalytic> skillGaps(UUID userId) {
        return get(AnalyticType.SKILL_GAPS, userId);
    }

    public Optional<LearnerAnalytic> engagement(UUID userId) {
        return get(AnalyticType.ENGAGEMENT, userId);
    }

    public Optional<LearnerAnalytic> mastery(UUID userId) {
        return get(AnalyticType.MASTERY, userId);
    }

    public Optional<LearnerAnalytic> performance(UUID userId) {
        return get(AnalyticType.PERFORMANCE, userId);
    }

    public Optional<LearnerAnalytic> contentEffectiveness(UUID userId) {
        return get(AnalyticType.CONTENT_EFFECTIVENESS, userId);
    }

    /**
     * One analytic of a user: the newest unexpired result, else a new one computed now.
     *
     * @return empty when the user does not exist or the caller may not see them (not told apart)
     */
    public Optional<LearnerAnalytic> get(AnalyticType type, UUID userId) {
        return read(userId, List.of(type)).map(all -> all.get(type));
    }

    /** All six analytics of a user in one round trip; those expired are computed first. Empty when not visible. */
    public Optional<LearnerAnalytics> all(UUID userId) {
        return read(userId, List.of(AnalyticType.values())).map(all -> new LearnerAnalytics(userId, new ArrayList<>(all.values())));
    }

    /**
     * The stored results of one analytic with {@code from <= calculatedAt < to}, newest first, at
     * most {@value #MAX_HISTORY}. Never computes.
     *
     * @return empty when the user is not visible; a visible user without results has an empty list
     * @throws InvalidAnalyticsRequestException when {@code to} is not after {@code from} or the range exceeds a year
     */
    public Optional<List<LearnerAnalytic>> history(AnalyticType type, UUID userId, Instant from, Instant to) {
        if (from == null || to == null || !to.isAfter(from)) {
            throw new InvalidAnalyticsRequestException("the history range must end after it starts", null);
        }
        if (Duration.between(from, to).compareTo(MAX_HISTORY_RANGE) > 0) {
            throw new InvalidAnalyticsRequestException("the history range may span at most 366 days", null);
        }
        return transactions.asUser(principal, ctx -> {
            List<LearnerAnalytic> rows = ctx
                    .select(LEARNER_ANALYTICS_ROWS.ID, LEARNER_ANALYTICS_ROWS.RESULT_STATUS, LEARNER_ANALYTICS_ROWS.CALCULATED_AT,
                            LEARNER_ANALYTICS_ROWS.EXPIRES_AT, LEARNER_ANALYTICS_ROWS.WINDOW_START, LEARNER_ANALYTICS_ROWS.WINDOW_END,
                            LEARNER_ANALYTICS_ROWS.RESULT,
                            DSL.field("ARRAY(SELECT jsonb_array_elements_text({0} -> 'missing'))", String[].class,
                                    LEARNER_ANALYTICS_ROWS.RESULT))
                    .from(LEARNER_ANALYTICS_ROWS)
                    .where(LEARNER_ANALYTICS_ROWS.USER_ID.eq(userId))
                    .and(LEARNER_ANALYTICS_ROWS.ANALYTIC.eq(type.sqlName()))
                    .and(LEARNER_ANALYTICS_ROWS.CALCULATED_AT.ge(from))
                    .and(LEARNER_ANALYTICS_ROWS.CALCULATED_AT.lt(to))
                    .orderBy(LEARNER_ANALYTICS_ROWS.CALCULATED_AT.desc(), LEARNER_ANALYTICS_ROWS.ID.desc())
                    .limit(MAX_HISTORY)
                    .fetch(r -> historyRow(type, userId, r));
            if (rows.isEmpty() && !Visibility.canSee(ctx, userId)) return Optional.<List<LearnerAnalytic>>empty();
            return Optional.of(rows);
        }, Analytics::refusal);
    }

    private static LearnerAnalytic historyRow(AnalyticType type, UUID userId, Record r) {
        String[] missing = r.get(7, String[].class);
        return new LearnerAnalytic(type, userId, r.get(LEARNER_ANALYTICS_ROWS.ID), status(r.get(LEARNER_ANALYTICS_ROWS.RESULT_STATUS)),
                missing == null ? List.of() : Arrays.asList(missing), r.get(LEARNER_ANALYTICS_ROWS.CALCULATED_AT),
                r.get(LEARNER_ANALYTICS_ROWS.EXPIRES_AT), r.get(LEARNER_ANALYTICS_ROWS.WINDOW_START), r.get(LEARNER_ANALYTICS_ROWS.WINDOW_END),
                r.get(LEARNER_ANALYTICS_ROWS.RESULT).data());
    }

    private Optional<Map<AnalyticType, LearnerAnalytic>> read(UUID userId, List<AnalyticType> types) {
        String[] names = types.stream().map(AnalyticType::sqlName).toArray(String[]::new);
        String[] intervals = types.stream().map(ttls::sqlInterval).toArray(String[]::new);
        return transactions.asUserQuery(principal, CACHED, (query, first) -> {
            query.setObject(first, userId);
            query.setArray(first + 1, query.getConnection().createArrayOf("text", names));
            query.setArray(first + 2, query.getConnection().createArrayOf("text", intervals));
        }, rows -> {
            Map<AnalyticType, LearnerAnalytic> found = new EnumMap<>(AnalyticType.class);
            while (rows.next()) {
                LearnerAnalytic analytic = row(userId, rows);
                found.put(analytic.type(), analytic);
            }
            if (found.isEmpty()) return Optional.empty(); // not visible (a visible user always gets every type)
            if (found.size() != types.size()) throw new IllegalStateException("the cached read returned " + found.keySet() + " for " + types);
            return Optional.of(found);
        }, Analytics::refusal);
    }

    private static LearnerAnalytic row(UUID userId, ResultSet rows) throws SQLException {
        Array missing = rows.getArray("missing");
        return new LearnerAnalytic(AnalyticType.fromSqlName(rows.getString("analytic")), userId, rows.getObject("id", UUID.class),
                status(rows.getString("result_status")), missing == null ? List.of() : Arrays.asList((String[]) missing.getArray()),
                instant(rows, "calculated_at"), instant(rows, "expires_at"), instant(rows, "window_start"), instant(rows, "window_end"),
                rows.getString("result"));
    }

    private static Instant instant(ResultSet rows, String column) throws SQLException {
        OffsetDateTime value = rows.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    static LearnerAnalytic.Status status(String sqlName) {
        return "ok".equals(sqlName) ? LearnerAnalytic.Status.OK : LearnerAnalytic.Status.INSUFFICIENT_DATA;
    }

    static InvalidAnalyticsRequestException refusal(DataAccessException e) {
        if (!"22023".equals(e.sqlState())) return null;
        String message = SqlErrors.serverMessage(e);
        return new InvalidAnalyticsRequestException(message != null ? message : "invalid analytics request", e);
    }
}
