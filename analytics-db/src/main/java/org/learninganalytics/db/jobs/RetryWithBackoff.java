package org.learninganalytics.db.jobs;

import java.time.Duration;
import java.time.Instant;

import com.github.kagkarlsson.scheduler.task.ExecutionComplete;
import com.github.kagkarlsson.scheduler.task.ExecutionOperations;
import com.github.kagkarlsson.scheduler.task.FailureHandler;
import com.github.kagkarlsson.scheduler.task.schedule.Schedule;

/**
 * A failed scheduled execution is tried again after the back-off, doubled after each further
 * failure (db-scheduler counts them in {@code consecutive_failures}), but never later than the
 * job's next regular time: a job that keeps failing still runs on its schedule. The retry is a
 * new execution in the table, so the thread is free for other jobs meanwhile.
 */
final class RetryWithBackoff implements FailureHandler<Void> {

    /** The doubling stops here (2^20 times the back-off); the next regular time caps it anyway. */
    private static final int MAX_DOUBLINGS = 20;

    private final Schedule schedule;
    private final Duration backoff;

    RetryWithBackoff(Schedule schedule, Duration backoff) {
        this.schedule = schedule;
        this.backoff = backoff;
    }

    @Override
    public void onFailure(ExecutionComplete complete, ExecutionOperations<Void> operations) {
        operations.reschedule(complete, retryAt(complete));
    }

    Instant retryAt(ExecutionComplete complete) {
        int earlierFailures = Math.min(MAX_DOUBLINGS, Math.max(0, complete.getExecution().consecutiveFailures));
        Instant retry = complete.getTimeDone().plus(backoff.multipliedBy(1L << earlierFailures));
        Instant regular = schedule.getNextExecutionTime(complete);
        return retry.isBefore(regular) ? retry : regular;
    }
}
