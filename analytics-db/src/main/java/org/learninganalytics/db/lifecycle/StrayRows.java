package org.learninganalytics.db.lifecycle;

/**
 * A DEFAULT partition that holds rows: times no monthly partition covers (far past or
 * future). It should stay empty; an operator looks at why such rows arrived.
 *
 * @param parent    the partitioned table
 * @param partition its DEFAULT partition
 * @param rows      exact row count
 */
public record StrayRows(String parent, String partition, long rows) {
}
