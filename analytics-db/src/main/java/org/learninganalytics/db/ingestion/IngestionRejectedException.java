package org.learninganalytics.db.ingestion;

import org.learninganalytics.db.AnalyticsDbException;

/**
 * A batch was refused because of one item; nothing of the batch was written.
 * {@link #index()} is the item's position in the batch (0-based), {@link #key()} its key.
 */
public final class IngestionRejectedException extends AnalyticsDbException {

    private final String entity;
    private final int index;
    private final String key;
    private final String reason;

    public IngestionRejectedException(String entity, int index, String key, String reason) {
        this(entity, index, key, reason, null);
    }

    public IngestionRejectedException(String entity, int index, String key, String reason, Throwable cause) {
        super(Kind.INVALID_INPUT, entity + " #" + index + " (" + key + ") rejected: " + reason + "; nothing of this batch was written", cause);
        this.entity = entity;
        this.index = index;
        this.key = key;
        this.reason = reason;
    }

    /** Which kind of item: organization, user, course, enrollment, skill, user skill. */
    public String entity() {
        return entity;
    }

    public int index() {
        return index;
    }

    public String key() {
        return key;
    }

    public String reason() {
        return reason;
    }
}
