package org.learninganalytics.db.gamification;

/**
 * How total points map to levels (the one row of level_curve).
 *
 * @param basePoints points per step of the curve; positive
 */
public record LevelCurve(Kind kind, int basePoints) {

    /** The default: progressive, 100 points (levels at 100, 400, 900, 1,600, ... points). */
    public static final LevelCurve DEFAULT = new LevelCurve(Kind.PROGRESSIVE, 100);

    public enum Kind {
        /** Level L needs {@code basePoints * (L - 1)} points: every level costs the same. */
        LINEAR,
        /** Level L needs {@code basePoints * (L - 1)^2} points: each level costs more than the last. */
        PROGRESSIVE
    }
}
