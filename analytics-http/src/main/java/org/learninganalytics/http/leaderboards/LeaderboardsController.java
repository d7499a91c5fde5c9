package org.learninganalytics.http.leaderboards;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

import org.learninganalytics.db.leaderboard.Board;
import org.learninganalytics.db.leaderboard.LeaderboardEntry;
import org.learninganalytics.db.leaderboard.LeaderboardPage;
import org.learninganalytics.http.internal.ApiException;
import org.learninganalytics.http.internal.Callers;
import org.learninganalytics.http.internal.HttpDates;
import org.learninganalytics.http.internal.Json;
import org.learninganalytics.http.internal.Params;
import org.learninganalytics.http.internal.ProblemType;

import io.javalin.http.Context;

/**
 * The three leaderboards of the caller's organization, with keyset cursors and conditional
 * GET: the ETag is a hash of the page as this caller sees it (privacy applies at read time,
 * so a page can change between refreshes), Last-Modified is when the board was refreshed.
 */
public final class LeaderboardsController {

    private final Callers callers;

    public LeaderboardsController(Callers callers) {
        this.callers = callers;
    }

    /** One line; {@code userId} is null for anonymous users. */
    record EntryJson(long rank, UUID userId, String displayName, long points, boolean me) {
        static EntryJson of(LeaderboardEntry e) {
            return new EntryJson(e.rank(), e.userId(), e.displayName(), e.points(), e.me());
        }
    }

    record PageJson(String board, Instant refreshedAt, List<EntryJson> entries, String nextCursor) {
        static PageJson of(String board, LeaderboardPage page) {
            return new PageJson(board, page.refreshedAt(), page.entries().stream().map(EntryJson::of).toList(), page.nextCursor());
        }
    }

    public void page(Context ctx) {
        String name = ctx.pathParam("board");
        Board board = board(name);
        LeaderboardPage page = callers.user(ctx).leaderboards().page(board, Params.limit(ctx), Params.cursor(ctx));
        respond(ctx, PageJson.of(name, page));
    }

    public void aroundMe(Context ctx) {
        String name = ctx.pathParam("board");
        Board board = board(name);
        int neighbours = Params.intQuery(ctx, "neighbours", 5, 0, 50);
        LeaderboardPage page = callers.user(ctx).leaderboards().aroundMe(board, neighbours);
        respond(ctx, PageJson.of(name, page));
    }

    static Board board(String name) {
        return switch (name) {
            case "weekly" -> Board.WEEKLY;
            case "monthly" -> Board.MONTHLY;
            case "all-time" -> Board.ALL_TIME;
            default -> throw new ApiException(ProblemType.NOT_FOUND, "No leaderboard '" + name.replaceAll("[^A-Za-z0-9_-]", "?")
                    + "'; there are weekly, monthly and all-time.");
        };
    }

    private static void respond(Context ctx, PageJson page) {
        String body = Json.write(page);
        String etag = "\"" + hash(body) + "\"";
        ctx.header("ETag", etag);
        ctx.header("Cache-Control", "private, no-cache");
        if (page.refreshedAt() != null) {
            ctx.header("Last-Modified", HttpDates.format(page.refreshedAt()));
        }
        if (notModified(ctx, etag, page.refreshedAt())) {
            ctx.status(304);
            return;
        }
        ctx.contentType("application/json").result(body);
    }

    /** RFC 9110 13.2.2: If-None-Match decides when present; If-Modified-Since only otherwise. */
    private static boolean notModified(Context ctx, String etag, Instant refreshedAt) {
        String ifNoneMatch = ctx.header("If-None-Match");
        if (ifNoneMatch != null) {
            for (String candidate : ifNoneMatch.split(",")) {
                String tag = candidate.trim();
                if (tag.startsWith("W/")) tag = tag.substring(2);
                if (tag.equals(etag) || tag.equals("*")) return true;
            }
            return false;
        }
        String ifModifiedSince = ctx.header("If-Modified-Since");
        if (ifModifiedSince == null || refreshedAt == null) return false;
        try {
            Instant since = ZonedDateTime.parse(ifModifiedSince, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            return !refreshedAt.truncatedTo(ChronoUnit.SECONDS).isAfter(since);
        } catch (DateTimeParseException e) {
            return false; // an invalid date is ignored (RFC 9110)
        }
    }

    private static String hash(String body) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(body.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
