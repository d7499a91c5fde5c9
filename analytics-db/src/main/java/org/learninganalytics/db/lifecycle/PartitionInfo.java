package org.learninganalytics.db.lifecycle;

import java.time.Instant;

/**
 * One partition of a partitioned table, for operators.
 *
 * @param schema       schema of the partitioned table
 * @param parent       the partitioned table
 * @param partition    the partition
 * @param isDefault    whether it is the DEFAULT partition (then {@code from} and {@code to} are null)
 * @param from         start of its range, inclusive (UTC month start)
 * @param to           end of its range, exclusive
 * @param rowsEstimate rows as estimated by the last ANALYZE (0 before the first)
 */
public record PartitionInfo(String schema, String parent, String partition, boolean isDefault, Instant from, Instant to,
                            long rowsEstimate) {
}
