package org.learninganalytics.db.gamification;

import static org.learninganalytics.db.generated.Tables.ACHIEVEMENTS;

import java.util.List;

import org.jooq.Field;
import org.jooq.Record;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;

/** Reads achievements rows, criteria included, the same way for the service path and for users. */
final class AchievementRows {

    /** The columns {@link #achievement} reads, in its order. */
    static final List<Field<?>> FIELDS = List.of(ACHIEVEMENTS.ID, ACHIEVEMENTS.NAME, ACHIEVEMENTS.DESCRIPTION, ACHIEVEMENTS.ICON,
            ACHIEVEMENTS.TIER, criterion("totalPoints"), criterion("streakDays"), criterion("coursesCompleted"),
            criterion("skillsMastered"), DSL.field("{0} ->> 'activityType'", SQLDataType.CLOB, ACHIEVEMENTS.CRITERIA),
            criterion("activityCount"));

    private AchievementRows() {
    }

    /** The achievement of a row that starts with {@link #FIELDS}. */
    static Achievement achievement(Record r) {
        return new Achievement(r.get(0, String.class), r.get(1, String.class), r.get(2, String.class), r.get(3, String.class),
                r.get(4, String.class), new AchievementCriteria(r.get(5, Integer.class), r.get(6, Integer.class), r.get(7, Integer.class),
                r.get(8, Integer.class), r.get(9, String.class), r.get(10, Integer.class)));
    }

    private static Field<Integer> criterion(String key) {
        return DSL.field("({0} ->> {1})::integer", SQLDataType.INTEGER, ACHIEVEMENTS.CRITERIA, DSL.inline(key));
    }
}
