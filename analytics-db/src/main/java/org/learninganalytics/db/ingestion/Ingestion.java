package org.learninganalytics.db.ingestion;

import org.learninganalytics.db.internal.Transactions;

public final class Ingestion {
    private final Transactions transactions;
    public Ingestion(Transactions transactions) { this.transactions = transactions; }
}
