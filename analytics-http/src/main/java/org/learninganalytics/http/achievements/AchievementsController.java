package org.learninganalytics.http.achievements;

import java.time.Instant;
import java.util.List;

import org.learninganalytics.db.gamification.EarnedAchievement;
import org.learninganalytics.http.internal.ApiException;
import org.learninganalytics.http.internal.Callers;
import org.learninganalytics.http.internal.Items;
import org.learninganalytics.http.internal.ProblemType;

import io.javalin.http.Context;

/** The achievement catalogue and the caller's earned achievements. */
public final class AchievementsController {

    private final Callers callers;

    public AchievementsController(Callers callers) {
        this.callers = callers;
    }

    record EarnedJson(String id, String name, String description, String icon, String tier, Instant earnedAt) {
        static EarnedJson of(EarnedAchievement a) {
            return new EarnedJson(a.id(), a.name(), a.description(), a.icon(), a.tier(), a.earnedAt());
        }
    }

    public void catalogue(Context ctx) {
        ctx.json(new Items<>(callers.user(ctx).achievements().catalogue()));
    }

    public void mine(Context ctx) {
        var session = callers.user(ctx);
        List<EarnedAchievement> earned = session.achievements().earned(callers.principal(ctx).userId())
                .orElseThrow(() -> new ApiException(ProblemType.NOT_FOUND, "No such user."));
        ctx.json(new Items<>(earned.stream().map(EarnedJson::of).toList()));
    }
}
