package org.learninganalytics.db.leaderboard;

import static org.learninganalytics.db.AnalyticsDb.SCHEMA;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.jooq.exception.DataAccessException;
import org.learninganalytics.db.internal.Cursors;
import org.learninganalytics.db.internal.SqlErrors;
import org.learninganalytics.db.internal.Transactions;
import org.learninganalytics.db.tenancy.Principal;

/**
 * Leaderboards of the caller's organization, read as the caller: other tenants never
 * appear, and each user's leaderboard privacy applies at read time. Thread-safe.
 */
public final class Leaderboards {

    // Fixed statement texts: a page is one round trip with the caller's identity set-up (see
    // Transactions.asUserQuery), prepared once per connection by the driver.
    private static final String PAGE = "SELECT * FROM " + SCHEMA + ".leaderboard_page(?::text, ?::integer, ?::bigint, ?::bigint)";
    private static final String AROUND_ME = "SELECT * FROM " + SCHEMA + ".leaderboard_around_me(?::text, ?::integer)";
    private static final String REFRESHED_AT = "SELECT refreshed_at FROM " + SCHEMA + ".leaderboard_refreshes WHERE board = ?";

    private final Transactions transactions;
    private final Principal principal;

    Leaderboards(Transactions transactions, Principal principal) {
        this.transactions = transactions;
        this.principal = principal;
    }

    /** The first {@code limit} entries (1 to 500). */
    public LeaderboardPage top(Board board, int limit) {
        return page(board, limit, null);
    }

    /**
     * The {@code limit} entries after {@code cursor} (from a previous page), or the top when it
     * is null. Keyset pagination: stable while points change, deterministic for ties.
     *
     * @throws InvalidLeaderboardRequestException for a limit out of range or a malformed cursor
     */
    public LeaderboardPage page(Board board, int limit, String cursor) {
        long[] after = cursor == null ? null : decode(cursor);
        return transactions.asUserQuery(principal, PAGE, (page, first) -> {
            page.setString(first, board.sqlName());
            page.setInt(first + 1, limit);
            page.setObject(first + 2, after == null ? null : after[0], Types.BIGINT);
            page.setObject(first + 3, after == null ? null : after[1], Types.BIGINT);
        }, rows -> read(board, rows, limit), Leaderboards::refusal);
    }

    /**
     * The caller with up to {@code neighbours} (0 to 50) entries above and below; no entries
     * when the caller is hidden or has no points on this board.
     */
    public LeaderboardPage aroundMe(Board board, int neighbours) {
        return transactions.asUserQuery(principal, AROUND_ME, (page, first) -> {
            page.setString(first, board.sqlName());
            page.setInt(first + 1, neighbours);
        }, rows -> read(board, rows, -1), Leaderboards::refusal);
    }

    /** A page's rows; {@code limit} full rows earn a cursor to the next page (-1: never). */
    private static LeaderboardPage read(Board board, ResultSet rows, int limit) throws SQLException {
        List<LeaderboardEntry> entries = new ArrayList<>();
        Instant refreshedAt = null;
        long lastPoints = 0;
        long lastTiePosition = 0;
        while (rows.next()) {
            lastPoints = rows.getLong("points");
            lastTiePosition = rows.getLong("tie_position");
            entries.add(new LeaderboardEntry(rows.getLong("rank"), rows.getObject("user_id", UUID.class),
                    rows.getString("display_name"), lastPoints, rows.getBoolean("is_me")));
            OffsetDateTime refreshed = rows.getObject("refreshed_at", OffsetDateTime.class); // null on the live board
            refreshedAt = refreshed == null ? null : refreshed.toInstant();
        }
        if (board == Board.ALL_TIME) {
            refreshedAt = Instant.now(); // live
        } else if (entries.isEmpty()) { // rows carry the refresh time; an empty page asks for it
            refreshedAt = refreshedAt(rows.getStatement().getConnection(), board);
        }
        String next = entries.size() == limit ? encode(lastPoints, lastTiePosition) : null;
        return new LeaderboardPage(board, entries, refreshedAt, next);
    }

    private static Instant refreshedAt(Connection connection, Board board) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement(REFRESHED_AT)) {
            query.setString(1, board.sqlName());
            try (ResultSet row = query.executeQuery()) {
                return row.next() ? row.getObject(1, OffsetDateTime.class).toInstant() : null;
            }
        }
    }

    private static InvalidLeaderboardRequestException refusal(DataAccessException e) {
        if (!"22023".equals(e.sqlState())) return null;
        String message = SqlErrors.serverMessage(e);
        return new InvalidLeaderboardRequestException(message != null ? message : "invalid leaderboard request", e);
    }

    /** Cursors are opaque to clients: points and a position among tied users, never a user id. */
    static String encode(long points, long tiePosition) {
        return Cursors.encode(points, tiePosition);
    }

    static long[] decode(String cursor) {
        try {
            String[] parts = Cursors.decode(cursor, 2);
            return new long[] {Long.parseLong(parts[0]), Long.parseLong(parts[1])};
        } catch (IllegalArgumentException e) {
            throw new InvalidLeaderboardRequestException("malformed cursor", e);
        }
    }
}
