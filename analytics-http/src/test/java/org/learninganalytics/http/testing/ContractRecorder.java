package org.learninganalytics.http.testing;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

import org.learninganalytics.http.testing.OpenApiContract.Operation;
import org.learninganalytics.http.testing.OpenApiContract.Verdict;

/**
 * Checks every exchange of the HTTP tests against {@code openapi.yaml} as it happens (see
 * {@link OpenApiContract} for what "keeps to the contract" means) and remembers which
 * operation each one exercised, for {@code ContractCoverageTest}, which runs after every other
 * test class of the module. An off-contract exchange throws an {@link AssertionError} with a
 * readable report, so the test that sent it fails at the line that sent it.
 * <p>
 * The record lives as long as the test JVM: one surefire run of the module.
 */
public final class ContractRecorder {

    /** One checked exchange, with the operation it matched (none for a 404/405 outside the document). */
    public record Checked(RecordedExchange exchange, Optional<Operation> operation) {
    }

    private static final List<Checked> CHECKED = new CopyOnWriteArrayList<>();

    private ContractRecorder() {
    }

    /** Checks {@code exchange} and records it; throws when it is off-contract. */
    public static void record(RecordedExchange exchange) {
        Verdict verdict = OpenApiContract.document().check(exchange);
        CHECKED.add(new Checked(exchange, verdict.operation()));
        if (!verdict.keepsToContract()) throw new AssertionError(report(exchange, verdict));
    }

    /** Checks {@code exchange} without recording it (for testing the check itself); throws when it is off-contract. */
    static Verdict verify(RecordedExchange exchange) {
        Verdict verdict = OpenApiContract.document().check(exchange);
        if (!verdict.keepsToContract()) throw new AssertionError(report(exchange, verdict));
        return verdict;
    }

    public static List<RecordedExchange> exchanges() {
        return CHECKED.stream().map(Checked::exchange).toList();
    }

    public static List<Checked> checked() {
        return List.copyOf(CHECKED);
    }

    /** For each documented operation exercised so far: how many answers of each status it got. */
    public static Map<Operation, Map<Integer, Long>> statusesByOperation() {
        return CHECKED.stream().filter(c -> c.operation().isPresent())
                .collect(Collectors.groupingBy(c -> c.operation().get(), TreeMap::new,
                        Collectors.groupingBy(c -> c.exchange().status(), TreeMap::new, Collectors.counting())));
    }

    /** What a test prints when its exchange is off-contract. */
    static String report(RecordedExchange exchange, Verdict verdict) {
        StringBuilder out = new StringBuilder();
        out.append("Off-contract exchange (openapi.yaml): ").append(exchange.method()).append(' ').append(exchange.pathAndQuery())
                .append(" -> ").append(exchange.status());
        verdict.operation().ifPresent(operation -> out.append("  [operation ").append(operation).append(']'));
        out.append('\n');
        verdict.violations().forEach(line -> out.append(line).append('\n'));
        out.append("request headers: ").append(redacted(exchange.requestHeaders())).append('\n');
        if (exchange.requestBody() != null) out.append("request body: ").append(shortened(exchange.requestBody())).append('\n');
        out.append("response headers: ").append(exchange.responseHeaders()).append('\n');
        out.append("response body: ").append(shortened(exchange.responseBody())).append('\n');
        out.append("Fix the server, or the document (analytics-http/src/main/resources/openapi/openapi.yaml) if the contract should change.");
        return out.toString();
    }

    private static Map<String, String> redacted(Map<String, String> headers) {
        return headers.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey,
                e -> e.getKey().equalsIgnoreCase("Authorization") ? "Bearer <token>" : e.getValue(), (a, b) -> a, TreeMap::new));
    }

    private static String shortened(String body) {
        if (body == null || body.isEmpty()) return "(none)";
        return body.length() <= 2000 ? body : body.substring(0, 2000) + "... (" + body.length() + " characters)";
    }
}
