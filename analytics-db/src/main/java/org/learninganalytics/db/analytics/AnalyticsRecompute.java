package org.learninganalytics.db.analytics;

import static org.learninganalytics.db.AnalyticsDb.SCHEMA;
import static org.learninganalytics.db.generated.Tables.LEARNING_EVENTS;
import static org.learninganalytics.db.generated.Tables.USERS;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

import org.jooq.impl.DSL;
import org.learninganalytics.db.internal.Transactions;

/**
 * Bulk recompute of the six analytics on the service path (a job: the lifecycle schedules it).
 * Set-based: each batch of up to {@value #BATCH} learners is one statement per analytic in the
 * database ({@code store_learner_analytics}), in its own transaction, so a large organization
 * does not hold one long transaction. Every learner gets a new row per analytic, fresh or not
 * (history is kept). Thread-safe.
 */
public final class AnalyticsRecompute {

    /** Learners per transaction. */
    public static final int BATCH = 2_000;

    private static final String STORE = SCHEMA + ".store_learner_analytics({0}::text[], {1}::uuid[], now(), {2}::text[]::interval[])";

    private final Transactions transactions;
    private final AnalyticsTtls ttls;

    AnalyticsRecompute(Transactions transactions, AnalyticsTtls ttls) {
        this.transactions = transactions;
        this.ttls = ttls;
    }

    /** All users of an organization (none when it does not exist). */
    public RecomputeResult organization(UUID organizationId) {
        Objects.requireNonNull(organizationId, "organizationId");
        long started = System.nanoTime();
        List<UUID> users = transactions.asService(ctx -> ctx.select(USERS.ID).from(USERS)
                .where(USERS.ORGANIZATION_ID.eq(organizationId)).orderBy(USERS.ID).fetch(USERS.ID));
        return recompute(users, started);
    }

    /** The learners with events stored (arrived) at or after {@code since}. */
    public RecomputeResult withEventsSince(Instant since) {
        Objects.requireNonNull(since, "since");
        long started = System.nanoTime();
        List<UUID> users = transactions.asService(ctx -> ctx.selectDistinct(LEARNING_EVENTS.USER_ID).from(LEARNING_EVENTS)
                .where(LEARNING_EVENTS.STORED_AT.ge(since)).orderBy(LEARNING_EVENTS.USER_ID).fetch(LEARNING_EVENTS.USER_ID));
        return recompute(users, started);
    }

    /** The given users (unknown ids are skipped). */
    public RecomputeResult users(List<UUID> userIds) {
        long started = System.nanoTime();
        return recompute(userIds.stream().filter(Objects::nonNull).distinct().sorted().toList(), started);
    }

    private RecomputeResult recompute(List<UUID> users, long started) {
        String[] types = Arrays.stream(AnalyticType.values()).map(AnalyticType::sqlName).toArray(String[]::new);
        String[] intervals = Arrays.stream(AnalyticType.values()).map(ttls::sqlInterval).toArray(String[]::new);
        long rows = 0;
        for (int from = 0; from < users.size(); from += BATCH) {
            UUID[] batch = users.subList(from, Math.min(users.size(), from + BATCH)).toArray(UUID[]::new);
            rows += transactions.asService(ctx -> ctx.fetchValue(DSL.field(STORE, Integer.class, DSL.val(types), DSL.val(batch),
                    DSL.val(intervals))), Analytics::refusal);
        }
        return new RecomputeResult((int) (rows / AnalyticType.values().length), rows, Duration.ofNanos(System.nanoTime() - started));
    }
}
