package org.learninganalytics.db.gamification;

import static org.learninganalytics.db.generated.Tables.ACHIEVEMENTS;
import static org.learninganalytics.db.generated.Tables.USER_ACHIEVEMENTS;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.learninganalytics.db.internal.Transactions;
import org.learninganalytics.db.internal.Visibility;
import org.learninganalytics.db.tenancy.Principal;

/**
 * Achievements read as the caller: the catalogue (reference data every user reads) and what
 * the users the caller may see have earned. Thread-safe.
 */
public final class Achievements {

    private final Transactions transactions;
    private final Principal principal;

    Achievements(Transactions transactions, Principal principal) {
        this.transactions = transactions;
        this.principal = principal;
    }

    /** Every achievement, by id, with its criteria (learners may see what earns a badge). */
    public List<Achievement> catalogue() {
        return transactions.asUser(principal, ctx -> ctx.select(AchievementRows.FIELDS).from(ACHIEVEMENTS).orderBy(ACHIEVEMENTS.ID)
                .fetch(AchievementRows::achievement));
    }

    /**
     * What the user has earned, newest first; empty when the user does not exist or the caller
     * may not see them (the two are not told apart), an empty list when they earned nothing yet.
     */
    public Optional<List<EarnedAchievement>> earned(UUID userId) {
        return transactions.asUser(principal, ctx -> {
            List<EarnedAchievement> earned = ctx
                    .select(ACHIEVEMENTS.ID, ACHIEVEMENTS.NAME, ACHIEVEMENTS.DESCRIPTION, ACHIEVEMENTS.ICON, ACHIEVEMENTS.TIER,
                            USER_ACHIEVEMENTS.EARNED_AT)
                    .from(USER_ACHIEVEMENTS)
                    .join(ACHIEVEMENTS).on(ACHIEVEMENTS.ID.eq(USER_ACHIEVEMENTS.ACHIEVEMENT_ID))
                    .where(USER_ACHIEVEMENTS.USER_ID.eq(userId))
                    .orderBy(USER_ACHIEVEMENTS.EARNED_AT.desc(), ACHIEVEMENTS.ID)
                    .fetch(r -> new EarnedAchievement(r.value1(), r.value2(), r.value3(), r.value4(), r.value5(), r.value6()));
            return earned.isEmpty() && !Visibility.canSee(ctx, userId) ? Optional.empty() : Optional.of(earned);
        });
    }
}
