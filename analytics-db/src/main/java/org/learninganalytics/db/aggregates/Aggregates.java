package org.learninganalytics.db.aggregates;

import static org.learninganalytics.db.AnalyticsDb.SCHEMA;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import org.jooq.exception.DataAccessException;
import org.learninganalytics.db.internal.Cursors;
import org.learninganalytics.db.internal.SqlErrors;
import org.learninganalytics.db.internal.Transactions;
import org.learninganalytics.db.tenancy.Principal;

/**
 * Peer comparison and skill demand for the caller, always within the caller's own
 * organization (taken from the database, never from an argument) plus platform-wide skill
 * demand. Only published figures of at least 10 learners are ever returned; see the README
 * for the differencing defence. Each call is one transaction as the caller. Thread-safe.
 */
public final class Aggregates {

    private static final String PEER = "SELECT * FROM " + SCHEMA + ".peer_comparison_for_me()";
    private static final String DEMAND = "SELECT * FROM " + SCHEMA + ".skill_demand_page(?::integer, ?::text, ?::date, ?::text)";
    private static final String REFRESHED_AT = "SELECT " + SCHEMA + ".aggregate_refreshed_at(?)";

    private final Transactions transactions;
    private final Principal principal;

    Aggregates(Transactions transactions, Principal principal) {
        this.transactions = transactions;
        this.principal = principal;
    }

    /**
     * The caller against the learners of their organization at their competency level: the
     * caller's own figures and the published peer figures, when there are any.
     */
    public PeerComparison peerComparison() {
        return transactions.asUserQuery(principal, PEER, (query, first) -> { }, rows -> {
            if (!rows.next()) { // no organization: no peers
                return new PeerComparison(PeerComparison.Status.INSUFFICIENT_DATA, null, null, null, null, null,
                        refreshedAt(rows.getStatement().getConnection(), "peer_comparison"));
            }
            CompetencyLevel level = CompetencyLevel.fromSqlName(rows.getString("competency_level"));
            boolean published = rows.getBoolean("published");
            PeerFigures peers = published ? new PeerFigures(rows.getInt("learners_at_least"), (Integer) rows.getObject("learners_at_most"),
                    rows.getBigDecimal("avg_velocity"), rows.getBigDecimal("median_velocity"), rows.getBigDecimal("avg_score"),
                    instant(rows, "values_as_of")) : null;
            PeerComparison.Status status = level == null ? PeerComparison.Status.INSUFFICIENT_DATA
                    : published ? PeerComparison.Status.COMPARED : PeerComparison.Status.TOO_FEW_PEERS;
            return new PeerComparison(status, level, rows.getBigDecimal("my_mean_mastery"), rows.getBigDecimal("my_velocity"),
                    rows.getBigDecimal("my_avg_score"), peers, instant(rows, "refreshed_at"));
        }, Transactions.ErrorTranslator.NONE);
    }

    /**
     * Skill demand of the caller's organization with the platform-wide figures, per skill and
     * UTC month, newest month first.
     *
     * @param skillId only this skill, or null for all
     * @param limit   1 to 500 rows
     * @param cursor  from a previous page, or null for the first
     * @throws InvalidAggregateRequestException for a limit out of range or a malformed cursor
     */
    public SkillDemandPage skillDemand(String skillId, int limit, String cursor) {
        Object[] after = cursor == null ? null : decode(cursor);
        return transactions.asUserQuery(principal, DEMAND, (query, first) -> {
            query.setInt(first, limit);
            query.setString(first + 1, skillId);
            query.setObject(first + 2, after == null ? null : after[0], Types.DATE);
            query.setString(first + 3, after == null ? null : (String) after[1]);
        }, rows -> {
            List<SkillDemand> items = new ArrayList<>();
            Instant refreshedAt = null;
            while (rows.next()) {
                LocalDate month = rows.getObject("month", LocalDate.class);
                items.add(new SkillDemand(rows.getString("skill_id"), rows.getString("skill_name"), YearMonth.from(month),
                        figures(rows, "organization_"), figures(rows, "platform_")));
                refreshedAt = instant(rows, "refreshed_at");
            }
            if (refreshedAt == null) refreshedAt = refreshedAt(rows.getStatement().getConnection(), "skill_demand");
            String next = items.size() == limit ? encode(items.get(items.size() - 1)) : null;
            return new SkillDemandPage(items, refreshedAt, next);
        }, Aggregates::refusal);
    }

    private static SkillDemandFigures figures(ResultSet rows, String prefix) throws SQLException {
        Object learners = rows.getObject(prefix + "learners");
        if (learners == null) return null;
        BigDecimal growth = rows.getBigDecimal(prefix + "growth");
        return new SkillDemandFigures(((Number) learners).intValue(), rows.getBigDecimal(prefix + "mean_mastery"), growth);
    }

    private static Instant instant(ResultSet rows, String column) throws SQLException {
        OffsetDateTime value = rows.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    private static Instant refreshedAt(Connection connection, String aggregate) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement(REFRESHED_AT)) {
            query.setString(1, aggregate);
            try (ResultSet row = query.executeQuery()) {
                return row.next() ? instant(row, 1) : null;
            }
        }
    }

    private static Instant instant(ResultSet rows, int column) throws SQLException {
        OffsetDateTime value = rows.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    /** Opaque to clients: the last row's month and skill id (Base64, as skill ids may hold any character). */
    static String encode(SkillDemand last) {
        return Cursors.encode(last.month().atDay(1), Base64.getUrlEncoder().withoutPadding()
                .encodeToString(last.skillId().getBytes(StandardCharsets.UTF_8)));
    }

    static Object[] decode(String cursor) {
        try {
            String[] parts = Cursors.decode(cursor, 2);
            return new Object[] {Date.valueOf(LocalDate.parse(parts[0])),
                    new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)};
        } catch (RuntimeException e) {
            throw new InvalidAggregateRequestException("malformed cursor", e);
        }
    }

    private static InvalidAggregateRequestException refusal(DataAccessException e) {
        if (!"22023".equals(e.sqlState())) return null;
        String message = SqlErrors.serverMessage(e);
        return new InvalidAggregateRequestException(message != null ? message : "invalid skill demand request", e);
    }
}
