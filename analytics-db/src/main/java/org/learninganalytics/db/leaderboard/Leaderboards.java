package org.learninganalytics.db.leaderboard;

import static org.learninganalytics.db.generated.Tables.LEADERBOARD_AROUND_ME;
import static org.learninganalytics.db.generated.Tables.LEADERBOARD_PAGE;
import static org.learninganalytics.db.generated.Tables.LEADERBOARD_REFRESHES;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

import org.jooq.DSLContext;
import org.jooq.Result;
import org.jooq.exception.DataAccessException;
import org.learninganalytics.db.internal.SqlErrors;
import org.learninganalytics.db.internal.Transactions;
import org.learninganalytics.db.tenancy.Principal;

/**
 * Leaderboards of the caller's organization, read as the caller: other tenants never
 * appear, and each user's leaderboard privacy applies at read time. Thread-safe.
 */
public final class Leaderboards {

    private final Transactions transactions;
    private final Principal principal;

    public Leaderboards(Transactions transactions, Principal principal) {
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
        return transactions.asUser(principal, ctx -> {
            var rows = call(() -> ctx.selectFrom(LEADERBOARD_PAGE.call(board.sqlName(), limit,
                    after == null ? null : after[0], after == null ? null : after[1])).fetch());
            String next = null;
            if (rows.size() == limit) {
                var last = rows.get(rows.size() - 1);
                next = encode(last.getPoints(), last.getTiePosition());
            }
            return new LeaderboardPage(board, rows.map(r -> entry(r.getRank(), r.getUserId(), r.getDisplayName(), r.getPoints(), r.getIsMe())),
                    rows.isEmpty() ? refreshedAt(ctx, board) : refreshedAt(board, rows.get(0).getRefreshedAt()), next);
        });
    }

    /**
     * The caller with up to {@code neighbours} (0 to 50) entries above and below; no entries
     * when the caller is hidden or has no points on this board.
     */
    public LeaderboardPage aroundMe(Board board, int neighbours) {
        return transactions.asUser(principal, ctx -> {
            var rows = call(() -> ctx.selectFrom(LEADERBOARD_AROUND_ME.call(board.sqlName(), neighbours)).fetch());
            return new LeaderboardPage(board, rows.map(r -> entry(r.getRank(), r.getUserId(), r.getDisplayName(), r.getPoints(), r.getIsMe())),
                    rows.isEmpty() ? refreshedAt(ctx, board) : refreshedAt(board, rows.get(0).getRefreshedAt()), null);
        });
    }

    private static LeaderboardEntry entry(Long rank, java.util.UUID userId, String name, Long points, Boolean me) {
        return new LeaderboardEntry(rank, userId, name, points, Boolean.TRUE.equals(me));
    }

    /** The page's rows carry the refresh time (one round trip fewer); the all-time board is live. */
    private static Instant refreshedAt(Board board, Instant fromRows) {
        return board == Board.ALL_TIME ? Instant.now() : fromRows;
    }

    private static Instant refreshedAt(DSLContext ctx, Board board) {
        if (board == Board.ALL_TIME) return Instant.now();
        return ctx.select(LEADERBOARD_REFRESHES.REFRESHED_AT).from(LEADERBOARD_REFRESHES)
                .where(LEADERBOARD_REFRESHES.BOARD.eq(board.sqlName())).fetchOne(LEADERBOARD_REFRESHES.REFRESHED_AT);
    }

    private static <R extends org.jooq.Record> Result<R> call(java.util.function.Supplier<Result<R>> query) {
        try {
            return query.get();
        } catch (DataAccessException e) {
            if ("22023".equals(e.sqlState())) {
                String message = SqlErrors.serverMessage(e);
                throw new InvalidLeaderboardRequestException(message != null ? message : "invalid leaderboard request", e);
            }
            throw e;
        }
    }

    /** Cursors are opaque to clients: points and a position among tied users, never a user id. */
    static String encode(long points, long tiePosition) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString((points + ":" + tiePosition).getBytes(StandardCharsets.UTF_8));
    }

    static long[] decode(String cursor) {
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split(":");
            if (parts.length != 2) throw new IllegalArgumentException();
            return new long[] {Long.parseLong(parts[0]), Long.parseLong(parts[1])};
        } catch (IllegalArgumentException e) {
            throw new InvalidLeaderboardRequestException("malformed cursor", e);
        }
    }
}
