package org.learninganalytics.db.ingestion;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.InsertValuesStepN;
import org.jooq.Record;
import org.jooq.Table;
import org.jooq.TableField;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.DSL;
import org.learninganalytics.db.internal.SqlErrors;

/**
 * One idempotent bulk upsert: {@code INSERT ... ON CONFLICT (key) DO UPDATE ... WHERE
 * (columns) IS DISTINCT FROM (incoming)}, in chunks, so that a replayed batch rewrites no
 * row (no dead tuples, no trigger, no updated_at change). Runs inside the caller's
 * transaction. When PostgreSQL rejects a chunk, the items of that chunk are retried one by
 * one under savepoints to name the offending one.
 */
final class BulkUpsert<T, R extends Record> {

    /** Below PostgreSQL's 65,535 bind parameters per statement for every table here. */
    private static final int CHUNK_ROWS = 1_000;

    /** PostgreSQL's own marker of a freshly inserted row in RETURNING of an upsert. */
    private static final Field<Boolean> INSERTED = DSL.field(DSL.sql("(xmax = 0)"), Boolean.class);

    private final String entity;
    private final Table<R> table;
    private final List<TableField<R, ?>> keyColumns;
    private final List<TableField<R, ?>> valueColumns;
    private final Function<T, Object[]> values;
    private final Function<T, String> key;
    private final Map<String, String> reasonsByConstraint;

    BulkUpsert(String entity, Table<R> table, List<TableField<R, ?>> keyColumns, List<TableField<R, ?>> valueColumns,
               Function<T, Object[]> values, Function<T, String> key, Map<String, String> reasonsByConstraint) {
        this.entity = entity;
        this.table = table;
        this.keyColumns = keyColumns;
        this.valueColumns = valueColumns;
        this.values = values;
        this.key = key;
        this.reasonsByConstraint = reasonsByConstraint;
    }

    String entity() {
        return entity;
    }

    String keyOf(T item) {
        return key.apply(item);
    }

    /** Fails on the first item whose key appears twice in the batch (ON CONFLICT cannot touch a row twice). */
    void rejectDuplicateKeys(List<T> items) {
        rejectDuplicates(items, key, "key");
    }

    /** Fails on the first item whose {@code what} equals an earlier item's. */
    void rejectDuplicates(List<T> items, Function<T, String> value, String what) {
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < items.size(); i++) {
            Integer first = seen.putIfAbsent(value.apply(items.get(i)), i);
            if (first != null) {
                throw new IngestionRejectedException(entity, i, key.apply(items.get(i)), "same " + what + " as item #" + first + " of this batch");
            }
        }
    }

    /** Upserts all items; returns the outcome and the keys of rows inserted or updated. */
    Outcome run(DSLContext ctx, List<T> items) {
        rejectDuplicateKeys(items);
        Set<List<Object>> inserted = new HashSet<>();
        Set<List<Object>> updated = new HashSet<>();
        for (int from = 0; from < items.size(); from += CHUNK_ROWS) {
            List<T> chunk = items.subList(from, Math.min(items.size(), from + CHUNK_ROWS));
            int offset = from;
            try {
                // A nested transaction is a savepoint: a failed chunk leaves the outer one usable.
                ctx.transaction(nested -> collect(upsert(nested.dsl(), chunk), inserted, updated));
            } catch (DataAccessException e) {
                throw locate(ctx, chunk, offset, e);
            }
        }
        return new Outcome(inserted, updated, items.size() - inserted.size() - updated.size());
    }

    private List<Record> upsert(DSLContext ctx, List<T> chunk) {
        List<Field<?>> columns = new ArrayList<>(keyColumns);
        columns.addAll(valueColumns);
        InsertValuesStepN<R> insert = ctx.insertInto(table, columns);
        for (T item : chunk) {
            insert = insert.values(values.apply(item));
        }
        Map<Field<?>, Field<?>> assignments = new HashMap<>();
        List<Field<?>> incoming = new ArrayList<>();
        for (TableField<R, ?> column : valueColumns) {
            assignments.put(column, DSL.excluded(column));
            incoming.add(DSL.excluded(column));
        }
        List<Field<?>> returned = new ArrayList<>();
        returned.add(INSERTED);
        returned.addAll(keyColumns);
        return new ArrayList<>(insert
                .onConflict(keyColumns)
                .doUpdate()
                .set(assignments)
                .where(DSL.row(valueColumns).isDistinctFrom(DSL.row(incoming)))
                .returningResult(returned)
                .fetch());
    }

    private void collect(List<Record> rows, Set<List<Object>> inserted, Set<List<Object>> updated) {
        for (Record row : rows) {
            List<Object> rowKey = new ArrayList<>();
            for (int i = 1; i < row.size(); i++) rowKey.add(row.get(i));
            (Boolean.TRUE.equals(row.get(0)) ? inserted : updated).add(rowKey);
        }
    }

    private RuntimeException locate(DSLContext ctx, List<T> chunk, int offset, DataAccessException chunkFailure) {
        if (!isBadData(chunkFailure)) {
            return chunkFailure;
        }
        for (int i = 0; i < chunk.size(); i++) {
            T item = chunk.get(i);
            try {
                ctx.transaction(nested -> upsert(nested.dsl(), List.of(item)));
            } catch (DataAccessException e) {
                if (isBadData(e)) {
                    return new IngestionRejectedException(entity, offset + i, key.apply(item), reason(e), e);
                }
                return e;
            }
        }
        return new IngestionRejectedException(entity, offset, key.apply(chunk.get(0)), reason(chunkFailure), chunkFailure);
    }

    /** Integrity (23xxx) and data (22xxx) errors are the caller's bad input; anything else is ours. */
    private static boolean isBadData(DataAccessException e) {
        String state = e.sqlState();
        return state != null && (state.startsWith("23") || state.startsWith("22"));
    }

    private String reason(DataAccessException e) {
        String constraint = SqlErrors.constraint(e);
        if (constraint != null) {
            return reasonsByConstraint.getOrDefault(constraint, "violates " + constraint);
        }
        return switch (String.valueOf(e.sqlState())) {
            case "22P02" -> "a value has an invalid format (e.g. malformed JSON)";
            case "22003" -> "a number is out of range for its column";
            case "23502" -> "a required value is missing";
            default -> "invalid value (SQLSTATE " + e.sqlState() + ")";
        };
    }

    record Outcome(Set<List<Object>> inserted, Set<List<Object>> updated, int unchanged) {
        UpsertResult result() {
            return new UpsertResult(inserted.size(), updated.size(), unchanged);
        }
    }

}
