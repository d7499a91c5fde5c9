package org.learninganalytics.db.events;

import java.util.List;

import org.learninganalytics.db.ingestion.LearningEvent;

/**
 * A page of a user's learning events, newest first.
 *
 * @param nextCursor pass to {@link LearningEvents#list} for the following events; null after the last page
 */
public record LearningEventPage(List<LearningEvent> events, String nextCursor) {

    public LearningEventPage {
        events = List.copyOf(events);
    }
}
