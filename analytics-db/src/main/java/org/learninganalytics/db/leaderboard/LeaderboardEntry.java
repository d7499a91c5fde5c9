package org.learninganalytics.db.leaderboard;

import java.util.UUID;

/**
 * One line of a leaderboard. Tied users share a rank.
 *
 * @param userId      null for users who chose to be anonymous
 * @param displayName the user's name, or a stable pseudonym for anonymous users
 * @param me          whether this is the caller
 */
public record LeaderboardEntry(long rank, UUID userId, String displayName, long points, boolean me) {
}
