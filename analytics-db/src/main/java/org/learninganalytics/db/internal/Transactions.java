package org.learninganalytics.db.internal;

import java.util.function.Function;

import org.jooq.DSLContext;

/**
 * Runs units of work as single transactions. Every service goes through here so that what a
 * transaction sets up (identity, role) is decided in one place. Thread-safe. Not API.
 */
public final class Transactions {

    private final DSLContext dsl;

    public Transactions(DSLContext dsl) {
        this.dsl = dsl;
    }

    /** Runs {@code work} in one transaction on the service path; inside, use only the given context. */
    public <T> T asService(Function<DSLContext, T> work) {
        return dsl.transactionResult(configuration -> work.apply(configuration.dsl()));
    }
}
