package org.learninganalytics.db.gamification;

import static org.learninganalytics.db.AnalyticsDb.SCHEMA;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.UUID;

import org.jooq.DSLContext;
import org.learninganalytics.db.internal.Transactions;

/**
 * Calls the two award functions with fixed statement texts and reads their award_result
 * column by column. Awards are the hot write path: the driver prepares each text once per
 * connection, and nothing is rendered or parsed per call. (Through the generated routine,
 * jOOQ rendered the call and parsed the composite result from its text form on every award.)
 */
final class AwardCalls {

    private static final String AWARD_POINTS =
            "SELECT r.* FROM " + SCHEMA + ".award_points(?::uuid, ?::text, ?::text, ?::integer, ?::jsonb, ?::timestamptz) r";
    private static final String AWARD_OWN_ACTIVITY =
            "SELECT r.* FROM " + SCHEMA + ".award_own_activity(?::text, ?::text, ?::jsonb) r";

    private AwardCalls() {
    }

    /** award_points() on the service path: one round trip for role and call, one for COMMIT. */
    static AwardResult awardPoints(Transactions transactions, Award award) {
        return transactions.asServiceQuery(AWARD_POINTS, (call, first) -> {
            call.setObject(first, award.userId());
            call.setString(first + 1, award.activityType());
            call.setString(first + 2, award.idempotencyKey());
            call.setObject(first + 3, award.points(), Types.INTEGER);
            call.setString(first + 4, award.metadataJson());
            call.setObject(first + 5, award.occurredAt() == null ? null : OffsetDateTime.ofInstant(award.occurredAt(), ZoneOffset.UTC),
                    Types.TIMESTAMP_WITH_TIMEZONE);
        }, AwardCalls::result, Awards::rejection);
    }

    /** award_own_activity() inside the caller's unit of work. */
    static AwardResult awardOwnActivity(DSLContext ctx, String activityType, String idempotencyKey, String metadataJson) {
        return ctx.connectionResult(connection -> {
            try (PreparedStatement call = connection.prepareStatement(AWARD_OWN_ACTIVITY)) {
                call.setString(1, activityType);
                call.setString(2, idempotencyKey);
                call.setString(3, metadataJson);
                try (ResultSet row = call.executeQuery()) {
                    return result(row);
                }
            }
        });
    }

    private static AwardResult result(ResultSet row) throws SQLException {
        row.next(); // the functions return one row or raise
        return new AwardResult(row.getObject("user_id", UUID.class), row.getString("activity_type"), row.getInt("points"),
                row.getInt("total_points"), row.getInt("level"), row.getInt("previous_level"), row.getInt("current_streak"),
                row.getInt("longest_streak"), Arrays.asList((String[]) row.getArray("new_achievements").getArray()),
                row.getObject("awarded_at", OffsetDateTime.class).toInstant(), row.getBoolean("replayed"));
    }
}
