package org.learninganalytics.db.leaderboard;

import java.time.Instant;
import java.util.List;

/**
 * Entries of the caller's organization's board.
 *
 * @param refreshedAt when the board was last refreshed (or changed by an erasure); for {@link Board#ALL_TIME}, the read time (it is live)
 * @param nextCursor  pass to {@link Leaderboards#page} for the following entries; null after the last page
 */
public record LeaderboardPage(Board board, List<LeaderboardEntry> entries, Instant refreshedAt, String nextCursor) {

    public LeaderboardPage {
        entries = List.copyOf(entries);
    }
}
