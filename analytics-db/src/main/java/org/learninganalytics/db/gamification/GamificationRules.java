package org.learninganalytics.db.gamification;

import static org.learninganalytics.db.generated.Tables.ACHIEVEMENTS;
import static org.learninganalytics.db.generated.Tables.ACTIVITY_RULES;
import static org.learninganalytics.db.generated.Tables.LEVEL_CURVE;
import static org.learninganalytics.db.generated.Tables.USER_POINTS;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.jooq.Field;
import org.jooq.JSONB;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;
import org.learninganalytics.db.generated.Routines;
import org.learninganalytics.db.internal.SqlErrors;
import org.learninganalytics.db.internal.Transactions;

/**
 * The rules of gamification, on the service path: points and caps per activity type, the
 * level curve, and the achievement catalogue. Each change is one transaction and takes effect
 * with the next award. Invalid input raises {@link InvalidGamificationRuleException} and
 * changes nothing. Thread-safe.
 */
public final class GamificationRules {

    private static final Set<String> TIERS = Set.of("beginner", "intermediate", "advanced", "elite");

    private final Transactions transactions;

    GamificationRules(Transactions transactions) {
        this.transactions = transactions;
    }

    /** Every activity type's rule, by activity type. */
    public List<ActivityRule> activityRules() {
        return transactions.asService(ctx -> ctx.selectFrom(ACTIVITY_RULES).orderBy(ACTIVITY_RULES.ACTIVITY_TYPE).fetch(r -> new ActivityRule(
                r.getActivityType(), r.getPoints(), r.getSelfReportable(), r.getMaxPerWindow(), seconds(r.getWindowSeconds()),
                seconds(r.getMinSpacingSeconds()), r.getMaxPerLocalDay())));
    }

    /** Adds the rule of an activity type, or replaces it. */
    public void putActivityRule(ActivityRule rule) {
        check(rule != null && rule.activityType() != null && !rule.activityType().isBlank(), "an activity rule needs an activity type");
        check(rule.points() > 0, "points must be positive");
        check((rule.maxPerWindow() == null) == (rule.window() == null), "max per window and window go together");
        check(rule.maxPerWindow() == null || rule.maxPerWindow() > 0, "max per window must be positive");
        check(rule.window() == null || wholeSeconds(rule.window()) >= 1, "the window must be whole seconds, at least one");
        check(rule.minSpacing() == null || wholeSeconds(rule.minSpacing()) >= 0, "the minimum spacing must be whole seconds, not negative");
        check(rule.maxPerLocalDay() == null || rule.maxPerLocalDay() > 0, "max per local day must be positive");
        Map<Field<?>, Object> values = new LinkedHashMap<>();
        values.put(ACTIVITY_RULES.POINTS, rule.points());
        values.put(ACTIVITY_RULES.SELF_REPORTABLE, rule.selfReportable());
        values.put(ACTIVITY_RULES.MAX_PER_WINDOW, rule.maxPerWindow());
        values.put(ACTIVITY_RULES.WINDOW_SECONDS, rule.window() == null ? null : (int) rule.window().toSeconds());
        values.put(ACTIVITY_RULES.MIN_SPACING_SECONDS, rule.minSpacing() == null ? null : (int) rule.minSpacing().toSeconds());
        values.put(ACTIVITY_RULES.MAX_PER_LOCAL_DAY, rule.maxPerLocalDay());
        transactions.asService(ctx -> ctx.insertInto(ACTIVITY_RULES)
                .set(ACTIVITY_RULES.ACTIVITY_TYPE, rule.activityType()).set(values)
                .onConflict(ACTIVITY_RULES.ACTIVITY_TYPE).doUpdate().set(values)
                .execute(), GamificationRules::refusal);
    }

    public LevelCurve levelCurve() {
        return transactions.asService(ctx -> ctx.selectFrom(LEVEL_CURVE).fetchOptional(r ->
                new LevelCurve(LevelCurve.Kind.valueOf(r.getKind().toUpperCase(Locale.ROOT)), r.getBasePoints()))
                .orElse(LevelCurve.DEFAULT));
    }

    /**
     * Sets the level curve and, in the same transaction, brings every stored level in line
     * with it (levels depend on total points only). Awards meanwhile wait for their user.
     *
     * @return how many users' levels changed
     */
    public int setLevelCurve(LevelCurve curve) {
        check(curve != null && curve.kind() != null, "a level curve needs a kind");
        check(curve.basePoints() > 0, "base points must be positive");
        return transactions.asService(ctx -> {
            String kind = curve.kind().name().toLowerCase(Locale.ROOT);
            ctx.insertInto(LEVEL_CURVE)
                    .set(LEVEL_CURVE.KIND, kind)
                    .set(LEVEL_CURVE.BASE_POINTS, curve.basePoints())
                    .onConflict(LEVEL_CURVE.ID).doUpdate() // the one row, even if a DBA deleted it
                    .set(LEVEL_CURVE.KIND, kind)
                    .set(LEVEL_CURVE.BASE_POINTS, curve.basePoints())
                    .execute();
            Field<Integer> level = Routines.levelForPoints(USER_POINTS.TOTAL_POINTS.cast(SQLDataType.BIGINT));
            return ctx.update(USER_POINTS).set(USER_POINTS.CURRENT_LEVEL, level).where(USER_POINTS.CURRENT_LEVEL.ne(level)).execute();
        }, GamificationRules::refusal);
    }

    /** The achievement catalogue, by id. */
    public List<Achievement> achievements() {
        return transactions.asService(ctx -> ctx.select(AchievementRows.FIELDS).from(ACHIEVEMENTS).orderBy(ACHIEVEMENTS.ID)
                .fetch(AchievementRows::achievement));
    }

    /**
     * Adds an achievement, or replaces its texts and criteria. Users who earned it keep it;
     * others earn it by the new criteria from their next award on.
     */
    public void putAchievement(Achievement achievement) {
        check(achievement != null && notBlank(achievement.id()) && notBlank(achievement.name()) && notBlank(achievement.description())
                && notBlank(achievement.icon()), "an achievement needs an id, a name, a description and an icon");
        check(TIERS.contains(achievement.tier()), "tier must be one of " + String.join(", ", TIERS.stream().sorted().toList()));
        AchievementCriteria c = achievement.criteria();
        check(c != null && (c.totalPoints() != null || c.streakDays() != null || c.coursesCompleted() != null
                || c.skillsMastered() != null || c.activityType() != null), "an achievement needs at least one criterion");
        check(positiveOrNull(c.totalPoints()) && positiveOrNull(c.streakDays()) && positiveOrNull(c.coursesCompleted())
                && positiveOrNull(c.skillsMastered()) && positiveOrNull(c.activityCount()), "criteria thresholds must be positive");
        check((c.activityType() == null) == (c.activityCount() == null) && (c.activityType() == null || notBlank(c.activityType())),
                "activity type and activity count go together");
        Field<JSONB> criteria = DSL.field("jsonb_strip_nulls(jsonb_build_object('totalPoints', {0}, 'streakDays', {1},"
                        + " 'coursesCompleted', {2}, 'skillsMastered', {3}, 'activityType', {4}, 'activityCount', {5}))", SQLDataType.JSONB,
                DSL.val(c.totalPoints(), SQLDataType.INTEGER), DSL.val(c.streakDays(), SQLDataType.INTEGER),
                DSL.val(c.coursesCompleted(), SQLDataType.INTEGER), DSL.val(c.skillsMastered(), SQLDataType.INTEGER),
                DSL.val(c.activityType(), SQLDataType.CLOB), DSL.val(c.activityCount(), SQLDataType.INTEGER));
        Map<Field<?>, Object> values = new LinkedHashMap<>();
        values.put(ACHIEVEMENTS.NAME, achievement.name());
        values.put(ACHIEVEMENTS.DESCRIPTION, achievement.description());
        values.put(ACHIEVEMENTS.ICON, achievement.icon());
        values.put(ACHIEVEMENTS.TIER, achievement.tier());
        values.put(ACHIEVEMENTS.CRITERIA, criteria);
        transactions.asService(ctx -> ctx.insertInto(ACHIEVEMENTS)
                .set(ACHIEVEMENTS.ID, achievement.id()).set(values)
                .onConflict(ACHIEVEMENTS.ID).doUpdate().set(values)
                .execute(), GamificationRules::refusal);
    }

    /** The database's constraints are the last word: a violation they catch is refused the same way. */
    private static InvalidGamificationRuleException refusal(DataAccessException e) {
        String state = String.valueOf(e.sqlState());
        if (state.startsWith("22") || state.startsWith("23")) {
            String constraint = SqlErrors.constraint(e);
            return new InvalidGamificationRuleException("refused by the database" + (constraint == null ? "" : " (" + constraint + ")"), e);
        }
        return null;
    }

    private static void check(boolean condition, String message) {
        if (!condition) throw new InvalidGamificationRuleException(message);
    }

    private static boolean notBlank(String text) {
        return text != null && !text.isBlank();
    }

    private static boolean positiveOrNull(Integer value) {
        return value == null || value > 0;
    }

    private static long wholeSeconds(Duration duration) {
        return duration.toNanos() % 1_000_000_000L == 0 ? duration.toSeconds() : -1;
    }

    private static Duration seconds(Integer seconds) {
        return seconds == null ? null : Duration.ofSeconds(seconds);
    }
}
