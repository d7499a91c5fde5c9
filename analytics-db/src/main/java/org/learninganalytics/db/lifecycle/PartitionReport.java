package org.learninganalytics.db.lifecycle;

import java.time.YearMonth;
import java.util.List;

/**
 * One partition upkeep run.
 *
 * @param partitionsMade   monthly partitions created by this run (0 when all existed)
 * @param coveredThrough   the last UTC month every partitioned table now has a partition for
 * @param nonEmptyDefaults DEFAULT partitions that hold rows, with their counts
 */
public record PartitionReport(int partitionsMade, YearMonth coveredThrough, List<StrayRows> nonEmptyDefaults) {

    public PartitionReport {
        nonEmptyDefaults = List.copyOf(nonEmptyDefaults);
    }

    /** True when no DEFAULT partition holds a row. */
    public boolean defaultsEmpty() {
        return nonEmptyDefaults.isEmpty();
    }
}
