package org.learninganalytics.db.lifecycle;

import java.util.Objects;

/**
 * What one retention rule removed in one run.
 *
 * @param rule              the seed's rule
 * @param rowsRemoved       rows deleted, or held by the partitions dropped (archived, for the ledger)
 * @param partitionsRemoved monthly partitions dropped (archived, for the ledger); 0 for rules that delete rows
 */
public record RetentionResult(RetentionRule rule, long rowsRemoved, int partitionsRemoved) {

    public RetentionResult {
        Objects.requireNonNull(rule, "rule");
    }
}
