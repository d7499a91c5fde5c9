package org.learninganalytics.db.lifecycle;

import java.time.Instant;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;

/**
 * One retention run: one result per rule of the seed's table, in {@link RetentionRule} order.
 *
 * @param ranAt   when the run started
 * @param results one per rule
 */
public record RetentionReport(Instant ranAt, List<RetentionResult> results) {

    public RetentionReport {
        Objects.requireNonNull(ranAt, "ranAt");
        results = List.copyOf(results);
    }

    /** The result of {@code rule}. */
    public RetentionResult result(RetentionRule rule) {
        return results.stream().filter(r -> r.rule() == rule).findFirst()
                .orElseThrow(() -> new NoSuchElementException("no result for " + rule));
    }
}
