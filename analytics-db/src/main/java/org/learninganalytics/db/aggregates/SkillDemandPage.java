package org.learninganalytics.db.aggregates;

import java.time.Instant;
import java.util.List;

/**
 * One page of skill demand, newest month first, then by skill id.
 *
 * @param refreshedAt when the skill demand aggregate was last refreshed
 * @param nextCursor  the cursor of the next page, or null at the end
 */
public record SkillDemandPage(List<SkillDemand> items, Instant refreshedAt, String nextCursor) {
    public SkillDemandPage {
        items = List.copyOf(items);
    }
}
