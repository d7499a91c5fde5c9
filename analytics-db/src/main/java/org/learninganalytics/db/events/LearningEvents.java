package org.learninganalytics.db.events;

import static org.learninganalytics.db.generated.Tables.LEARNING_EVENTS;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.jooq.Condition;
import org.jooq.impl.DSL;
import org.learninganalytics.db.generated.tables.records.LearningEventsRecord;
import org.learninganalytics.db.ingestion.LearningEvent;
import org.learninganalytics.db.ingestion.LearningObjectType;
import org.learninganalytics.db.ingestion.LearningVerb;
import org.learninganalytics.db.internal.Cursors;
import org.learninganalytics.db.internal.Transactions;
import org.learninganalytics.db.internal.Visibility;
import org.learninganalytics.db.tenancy.Principal;

/**
 * Learning events read as the caller, under row-level security as the points ledger: their
 * own, their trainees', their organization's (org admin). Thread-safe.
 */
public final class LearningEvents {

    /** The largest page, as of every list of the API. */
    public static final int MAX_PAGE = 500;

    private final Transactions transactions;
    private final Principal principal;

    LearningEvents(Transactions transactions, Principal principal) {
        this.transactions = transactions;
        this.principal = principal;
    }

    /**
     * The user's events with {@code from <= occurredAt < to}, newest first, {@code limit}
     * events after {@code cursor} (from a previous page of the same query), or the newest when
     * it is null. Keyset pagination on (occurredAt, eventId): stable while new events arrive.
     *
     * @param from  inclusive; null for no lower bound (events are kept 90 days)
     * @param to    exclusive; null for no upper bound
     * @param limit 1 to {@value #MAX_PAGE}
     * @return empty when the user does not exist or the caller may not see them (the two are
     *         not told apart); a visible user without (further) events has an empty page
     * @throws InvalidLearningEventsRequestException for a limit out of range, {@code from} after
     *         {@code to}, or a malformed cursor
     */
    public Optional<LearningEventPage> list(UUID userId, Instant from, Instant to, int limit, String cursor) {
        if (limit < 1 || limit > MAX_PAGE) throw new InvalidLearningEventsRequestException("limit must be between 1 and " + MAX_PAGE, null);
        if (from != null && to != null && from.isAfter(to)) throw new InvalidLearningEventsRequestException("from is after to", null);
        Cursors.TimeAndId after = cursor == null ? null : decode(cursor);
        Condition range = DSL.noCondition();
        if (from != null) range = range.and(LEARNING_EVENTS.OCCURRED_AT.ge(from));
        if (to != null) range = range.and(LEARNING_EVENTS.OCCURRED_AT.lt(to));
        if (after != null) {
            // The first condition bounds the index range scan; the row comparison breaks ties.
            range = range.and(LEARNING_EVENTS.OCCURRED_AT.le(after.at()))
                    .and(DSL.row(LEARNING_EVENTS.OCCURRED_AT, LEARNING_EVENTS.EVENT_ID).lt(after.at(), after.id()));
        }
        Condition where = range;
        return transactions.asUser(principal, ctx -> {
            // idx_learning_events_user_time (user_id, occurred_at) of each partition, read backwards.
            List<LearningEvent> events = ctx.selectFrom(LEARNING_EVENTS)
                    .where(LEARNING_EVENTS.USER_ID.eq(userId)).and(where)
                    .orderBy(LEARNING_EVENTS.OCCURRED_AT.desc(), LEARNING_EVENTS.EVENT_ID.desc())
                    .limit(limit + 1)
                    .fetch(LearningEvents::event);
            if (events.isEmpty()) {
                return Visibility.canSee(ctx, userId) ? Optional.of(new LearningEventPage(List.of(), null)) : Optional.empty();
            }
            if (events.size() <= limit) return Optional.of(new LearningEventPage(events, null));
            LearningEvent last = events.get(limit - 1);
            return Optional.of(new LearningEventPage(events.subList(0, limit), new Cursors.TimeAndId(last.occurredAt(), last.eventId()).encode()));
        });
    }

    private static LearningEvent event(LearningEventsRecord r) {
        return new LearningEvent(r.getEventId(), r.getUserId(), LearningVerb.fromSqlName(r.getVerb()), r.getObjectId(),
                LearningObjectType.fromSqlName(r.getObjectType()), r.getCourseId(), r.getSkillId(), r.getScoreScaled(), r.getSuccess(),
                r.getCompletion(), r.getDurationSeconds(), r.getProgressPercent(), r.getOccurredAt(),
                r.getContext() == null ? null : r.getContext().data());
    }

    private static Cursors.TimeAndId decode(String cursor) {
        try {
            return Cursors.TimeAndId.decode(cursor);
        } catch (IllegalArgumentException e) {
            throw new InvalidLearningEventsRequestException("malformed cursor", e);
        }
    }
}
