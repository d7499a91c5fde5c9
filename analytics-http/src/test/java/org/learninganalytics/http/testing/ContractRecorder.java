package org.learninganalytics.http.testing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Collects every exchange of the HTTP tests. PLACEHOLDER: the contract check (validate each
 * exchange against openapi.yaml; coverage of every documented operation) is added with the
 * OpenAPI document.
 */
public final class ContractRecorder {

    private static final List<RecordedExchange> EXCHANGES = new CopyOnWriteArrayList<>();

    private ContractRecorder() {
    }

    public static void record(RecordedExchange exchange) {
        EXCHANGES.add(exchange);
    }

    public static List<RecordedExchange> exchanges() {
        return List.copyOf(EXCHANGES);
    }
}
