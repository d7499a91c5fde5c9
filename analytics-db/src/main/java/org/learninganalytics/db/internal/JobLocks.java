package org.learninganalytics.db.internal;

/**
 * The advisory lock that keeps one job from running twice at once across all instances: a
 * transaction-level lock (so it also holds through PgBouncer in transaction mode) in the
 * two-integer key space {@link #NAMESPACE}, keyed by the job name's {@code hashCode()} (fixed by
 * the Java language, so every instance computes the same key). Not API.
 */
public final class JobLocks {

    /** The first key of every job lock; other advisory locks of the schema use other namespaces. */
    public static final int NAMESPACE = 0x10b5_0001;

    /** Takes the job's lock if it is free; one parameter: {@link #key}. True when taken. */
    public static final String TRY_LOCK = "SELECT pg_catalog.pg_try_advisory_xact_lock(" + NAMESPACE + ", ?)";

    /**
     * Set first in the lock's transaction: the lock's connection idles in that transaction for as
     * long as the job runs, which a server's idle_in_transaction_session_timeout must not end.
     */
    public static final String NO_IDLE_TIMEOUT = "SET LOCAL idle_in_transaction_session_timeout = 0";

    private JobLocks() {
    }

    /** The second key of the job's lock. */
    public static int key(String job) {
        return job.hashCode();
    }
}
