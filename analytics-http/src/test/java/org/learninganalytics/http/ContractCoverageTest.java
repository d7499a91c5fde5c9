package org.learninganalytics.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.learninganalytics.http.docs.ApiDocs;
import org.learninganalytics.http.internal.Access;
import org.learninganalytics.http.testing.ContractRecorder;
import org.learninganalytics.http.testing.NoDatabaseServer;
import org.learninganalytics.http.testing.OpenApiContract;
import org.learninganalytics.http.testing.OpenApiContract.Operation;

/**
 * openapi.yaml and the server cover each other:
 * <ul>
 *   <li>every route in the app's routing table is an operation of the document, with the same
 *       access (public, user token, service token), and every operation of the document is a
 *       route (the Swagger UI assets under /docs/ are static files, not routes);</li>
 *   <li>every operation of the document was exercised with success (a 2xx or 304) by the HTTP
 *       tests of this run, through {@code ApiClient}, whose every exchange {@link ContractRecorder}
 *       already checked against the document.</li>
 * </ul>
 * <b>Ordering.</b> The second check sums up what the other test classes recorded, so it must
 * run after all of them, in the same JVM. {@code junit-platform.properties} makes Jupiter order
 * test classes by {@code @Order} and this class has the highest; surefire runs the module's
 * classes in one JVM and one launcher request (its defaults, which this module keeps), so the
 * order is over every class of the run. A {@code LauncherSessionListener} could check at the
 * very end as well, but a failure there is not a test failure with a report, and it would also
 * run (and fail) after a targeted {@code -Dtest=SomeTest}. A targeted run that does not select
 * this class skips the check; one that selects only this class fails, saying why.
 */
@Order(Integer.MAX_VALUE)
class ContractCoverageTest {

    @Test
    void the_document_and_the_routing_table_agree() {
        Map<Operation, Access> documented = OpenApiContract.document().operations();
        Map<Operation, Access> served = new TreeMap<>();
        try (NoDatabaseServer server = NoDatabaseServer.start()) {
            server.routes().stream().filter(route -> !route.path().startsWith(ApiDocs.ASSETS))
                    .forEach(route -> served.put(new Operation(route.method(), route.path()), route.access()));
        }

        Set<Operation> undocumented = new TreeSet<>(served.keySet());
        undocumented.removeAll(documented.keySet());
        Set<Operation> notServed = new TreeSet<>(documented.keySet());
        notServed.removeAll(served.keySet());
        List<String> otherAccess = served.entrySet().stream()
                .filter(route -> documented.containsKey(route.getKey()) && documented.get(route.getKey()) != route.getValue())
                .map(route -> route.getKey() + ": the app says " + route.getValue() + ", openapi.yaml says " + documented.get(route.getKey()))
                .toList();

        System.out.printf("%nopenapi.yaml: %d operations; the app serves %d routes (besides the static files under %s)%n",
                documented.size(), served.size(), ApiDocs.ASSETS);
        System.out.println("  routes the app serves that openapi.yaml lacks: " + describe(undocumented));
        System.out.println("  operations of openapi.yaml the app does not serve: " + describe(notServed));
        System.out.println("  routes whose access differs: " + (otherAccess.isEmpty() ? "none" : otherAccess));
        assertThat(undocumented).as("routes the app serves that openapi.yaml lacks (document them)").isEmpty();
        assertThat(notServed).as("operations of openapi.yaml the app does not serve").isEmpty();
        assertThat(otherAccess).as("routes whose Access differs from the operation's security").isEmpty();
    }

    @Test
    void every_documented_operation_was_exercised_by_the_http_tests() {
        Map<Operation, Map<Integer, Long>> statuses = ContractRecorder.statusesByOperation();
        int exchanges = ContractRecorder.checked().size();
        List<String> lines = new ArrayList<>();
        List<Operation> neverSucceeded = new ArrayList<>();
        for (Operation operation : new TreeSet<>(OpenApiContract.document().operations().keySet())) {
            Map<Integer, Long> seen = statuses.getOrDefault(operation, Map.of());
            boolean succeeded = seen.keySet().stream().anyMatch(status -> status < 300 || status == 304);
            if (!succeeded) neverSucceeded.add(operation);
            lines.add("  %s %-7s %-45s %s".formatted(succeeded ? "ok  " : "MISS", operation.method(), operation.path(),
                    seen.isEmpty() ? "never called" : seen.entrySet().stream().map(e -> e.getKey() + "x" + e.getValue())
                            .collect(Collectors.joining(" "))));
        }
        int documented = lines.size();
        System.out.printf("%nContract coverage: %d of %d operations of openapi.yaml exercised with success, %d exchanges checked against it%n",
                documented - neverSucceeded.size(), documented, exchanges);
        lines.forEach(System.out::println);

        assertThat(exchanges).as("""
                no HTTP test sent anything through ApiClient in this JVM before this check: it sums up the whole \
                module's HTTP tests, so run them all (scripts/mvn -B -pl analytics-http verify), not this class alone""")
                .isPositive();
        assertThat(neverSucceeded).as("operations of openapi.yaml that no HTTP test called with success (a 2xx or 304)").isEmpty();
    }

    private static String describe(Set<Operation> operations) {
        return operations.isEmpty() ? "none" : operations.toString();
    }
}
