package org.learninganalytics.http.admin;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.learninganalytics.db.gamification.Achievement;
import org.learninganalytics.db.gamification.AchievementCriteria;
import org.learninganalytics.db.gamification.ActivityRule;
import org.learninganalytics.db.gamification.GamificationRules;
import org.learninganalytics.db.gamification.LedgerReplay;
import org.learninganalytics.db.gamification.LevelCurve;
import org.learninganalytics.db.gamification.PointsDifference;
import org.learninganalytics.db.leaderboard.Board;
import org.learninganalytics.http.internal.ApiException;
import org.learninganalytics.http.internal.Callers;
import org.learninganalytics.http.internal.Items;
import org.learninganalytics.http.internal.Json;
import org.learninganalytics.http.internal.Params;

import io.javalin.http.Context;

/** Service routes that administer the gamification rules and run maintenance, on the system path. */
public final class AdminController {

    private final Callers callers;

    public AdminController(Callers callers) {
        this.callers = callers;
    }

    /** An activity rule; durations in whole seconds. */
    record ActivityRuleJson(String activityType, int points, boolean selfReportable, Integer maxPerWindow, Long windowSeconds,
                            Long minSpacingSeconds, Integer maxPerLocalDay) {
        static ActivityRuleJson of(ActivityRule r) {
            return new ActivityRuleJson(r.activityType(), r.points(), r.selfReportable(), r.maxPerWindow(),
                    r.window() == null ? null : r.window().toSeconds(), r.minSpacing() == null ? null : r.minSpacing().toSeconds(),
                    r.maxPerLocalDay());
        }
    }

    /** The body of PUT /v1/admin/activity-rules/{activityType}: the type is the path's. */
    record ActivityRuleBody(Integer points, Boolean selfReportable, Integer maxPerWindow, Long windowSeconds,
                            Long minSpacingSeconds, Integer maxPerLocalDay) {
    }

    public void activityRules(Context ctx) {
        ctx.json(new Items<>(rules(ctx).activityRules().stream().map(ActivityRuleJson::of).toList()));
    }

    public void putActivityRule(Context ctx) {
        String type = ctx.pathParam("activityType");
        ActivityRuleBody body = Json.read(ctx, ActivityRuleBody.class);
        if (body.points() == null) throw ApiException.invalid("/points", "points is required");
        ActivityRule rule = new ActivityRule(type, body.points(), Boolean.TRUE.equals(body.selfReportable()), body.maxPerWindow(),
                seconds(body.windowSeconds(), "/windowSeconds"), seconds(body.minSpacingSeconds(), "/minSpacingSeconds"),
                body.maxPerLocalDay());
        rules(ctx).putActivityRule(rule);
        ctx.json(ActivityRuleJson.of(rule));
    }

    private static Duration seconds(Long value, String pointer) {
        if (value == null) return null;
        if (value <= 0 || value > 366L * 24 * 3600) throw ApiException.invalid(pointer, "must be from 1 second to a year");
        return Duration.ofSeconds(value);
    }

    /** The body of PUT /v1/admin/achievements/{id}: the id is the path's. */
    record AchievementBody(String name, String description, String icon, String tier, AchievementCriteria criteria) {
    }

    public void achievements(Context ctx) {
        ctx.json(new Items<>(rules(ctx).achievements()));
    }

    public void putAchievement(Context ctx) {
        String id = ctx.pathParam("id");
        AchievementBody body = Json.read(ctx, AchievementBody.class);
        if (body.name() == null || body.name().isBlank()) throw ApiException.invalid("/name", "name is required");
        if (body.criteria() == null) throw ApiException.invalid("/criteria", "criteria is required");
        Achievement achievement = new Achievement(id, body.name(), body.description(), body.icon(), body.tier(), body.criteria());
        rules(ctx).putAchievement(achievement);
        ctx.json(achievement);
    }

    record LevelCurveJson(LevelCurve.Kind kind, int basePoints) {
    }

    record LevelCurveResult(LevelCurve.Kind kind, int basePoints, int usersReleveled) {
    }

    public void levelCurve(Context ctx) {
        LevelCurve curve = rules(ctx).levelCurve();
        ctx.json(new LevelCurveJson(curve.kind(), curve.basePoints()));
    }

    public void putLevelCurve(Context ctx) {
        LevelCurveJson body = Json.read(ctx, LevelCurveJson.class);
        if (body.kind() == null) throw ApiException.invalid("/kind", "kind is required");
        int changed = rules(ctx).setLevelCurve(new LevelCurve(body.kind(), body.basePoints()));
        ctx.json(new LevelCurveResult(body.kind(), body.basePoints(), changed));
    }

    record RefreshJson(String board, long durationMs) {
    }

    public void refreshLeaderboards(Context ctx) {
        String board = ctx.queryParam("board");
        List<String> boards = board == null || board.isEmpty() ? List.of("weekly", "monthly") : List.of(board);
        List<RefreshJson> done = new ArrayList<>();
        for (String name : boards) {
            Board which = switch (name) {
                case "weekly" -> Board.WEEKLY;
                case "monthly" -> Board.MONTHLY;
                default -> throw ApiException.invalid("/query/board", "board must be weekly or monthly (all-time is live)");
            };
            Duration took = callers.system(ctx).leaderboards().refresh(which);
            done.add(new RefreshJson(name, took.toMillis()));
        }
        ctx.json(new Items<>(done));
    }

    record ReplayJson(boolean applied, List<PointsDifference> differences) {
    }

    public void ledgerReplay(Context ctx) {
        UUID userId = Params.uuidQuery(ctx, "userId");
        boolean apply = Params.boolQuery(ctx, "apply", false);
        LedgerReplay replay = callers.system(ctx).gamification().ledgerReplay();
        List<PointsDifference> differences = apply ? replay.apply(userId) : replay.dryRun(userId);
        ctx.json(new ReplayJson(apply, differences));
    }

    private GamificationRules rules(Context ctx) {
        return callers.system(ctx).gamification().rules();
    }

}
