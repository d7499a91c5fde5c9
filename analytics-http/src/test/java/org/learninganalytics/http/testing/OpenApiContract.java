package org.learninganalytics.http.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import org.learninganalytics.http.docs.ApiDocs;
import org.learninganalytics.http.internal.Access;
import org.learninganalytics.http.internal.ProblemType;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.OpenApiInteractionValidator.SpecSource;
import com.atlassian.oai.validator.interaction.ApiOperationResolver;
import com.atlassian.oai.validator.model.ApiOperationMatch;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.MessageResolver;
import com.atlassian.oai.validator.report.ValidationReport;
import com.atlassian.oai.validator.schema.SchemaValidator;
import com.atlassian.oai.validator.util.OpenApiLoader;
import com.fasterxml.jackson.databind.JsonNode;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.parser.core.models.ParseOptions;

/**
 * The contract of {@code openapi.yaml}, as the tests check it. One exchange (a request and the
 * server's response) keeps to the contract when:
 * <ul>
 *   <li>its operation (method and path template) is in the document, and the response's status,
 *       headers (e.g. the required {@code X-Request-Id}), content type and body are what the
 *       document says for it. Response bodies are checked closed: a field the document does not
 *       name is an error (the validator's default), so nothing leaves the server undocumented;</li>
 *   <li>a request the document forbids (a missing required header or field, an unknown field, a
 *       parameter out of range, no token) was <em>refused</em> with a 4xx: accepting it would
 *       mean the document and the server disagree. Tests send such requests on purpose, to check
 *       the refusal;</li>
 *   <li>a problem body's {@code status} is the HTTP status, its {@code type} one whose status it
 *       is, and its {@code instance} the response's {@code X-Request-Id};</li>
 *   <li>a request for an operation that is not in the document got 404 or 405 as a problem.</li>
 * </ul>
 * Thread-safe.
 */
public final class OpenApiContract {

    private static final class Holder {
        static final OpenApiContract DOCUMENT = load();
    }

    private final OpenAPI api;
    private final OpenApiInteractionValidator validator;
    private final ApiOperationResolver resolver;
    private final SchemaValidator schemas;
    private final Schema<?> problemSchema;

    private OpenApiContract(OpenAPI api) {
        this.api = api;
        this.validator = OpenApiInteractionValidator.createFor(api).build();
        this.resolver = new ApiOperationResolver(api, null, false);
        this.schemas = new SchemaValidator(api, new MessageResolver());
        this.problemSchema = api.getComponents().getSchemas().get("Problem");
    }

    /** The contract of the server's {@code openapi.yaml} (its classpath resource), loaded once. */
    public static OpenApiContract document() {
        return Holder.DOCUMENT;
    }

    private static OpenApiContract load() {
        String yaml;
        try (InputStream in = OpenApiContract.class.getClassLoader().getResourceAsStream(ApiDocs.DOCUMENT)) {
            if (in == null) throw new IllegalStateException(ApiDocs.DOCUMENT + " is not on the test classpath");
            yaml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // As the validator's own defaults: resolve every $ref, keep 3.1 schemas without "type" as they are.
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        options.setResolveFully(true);
        options.setResolveCombinators(false);
        options.setExplicitObjectSchema(false);
        return new OpenApiContract(new OpenApiLoader().loadApi(SpecSource.inline(yaml), List.of(), options));
    }

    /** One operation of the document: {@code GET /v1/leaderboards/{board}}. */
    public record Operation(String method, String path) implements Comparable<Operation> {
        @Override
        public String toString() {
            return method + " " + path;
        }

        @Override
        public int compareTo(Operation other) {
            int byPath = path.compareTo(other.path);
            return byPath != 0 ? byPath : method.compareTo(other.method);
        }
    }

    /** Every operation of the document, with the access its {@code security} gives it. */
    public Map<Operation, Access> operations() {
        Map<Operation, Access> operations = new LinkedHashMap<>();
        api.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, operation) ->
                operations.put(new Operation(method.name(), path), access(operation.getSecurity()))));
        return operations;
    }

    private static Access access(List<SecurityRequirement> security) {
        if (security == null || security.isEmpty()) return Access.PUBLIC;
        var schemes = security.stream().flatMap(requirement -> requirement.keySet().stream()).collect(Collectors.toSet());
        if (schemes.equals(java.util.Set.of("userToken"))) return Access.USER;
        if (schemes.equals(java.util.Set.of("serviceToken"))) return Access.SERVICE;
        throw new IllegalStateException("security " + security + " is neither userToken nor serviceToken alone");
    }

    /** The outcome of checking one exchange: the operation it matched (if any) and what is off-contract (empty when nothing). */
    public record Verdict(Optional<Operation> operation, List<String> violations) {
        public boolean keepsToContract() {
            return violations.isEmpty();
        }
    }

    public Verdict check(RecordedExchange exchange) {
        String path = pathOf(exchange.pathAndQuery());
        Request.Method method = Request.Method.valueOf(exchange.method().toUpperCase(Locale.ROOT));
        Request request = request(exchange, path, method);
        SimpleResponse response = response(exchange);
        List<String> violations = new ArrayList<>();

        ApiOperationMatch match = resolver.findApiOperation(path, method);
        if (!match.isPathFound() || !match.isOperationAllowed()) {
            int expected = match.isPathFound() ? 405 : 404;
            if (exchange.status() != 404 && exchange.status() != 405) {
                violations.add("%s %s is not an operation of openapi.yaml, yet the server answered %d (expected %d)"
                        .formatted(exchange.method(), path, exchange.status(), expected));
            } else {
                checkUndocumentedProblem(exchange, violations);
            }
            return new Verdict(Optional.empty(), violations);
        }
        Operation operation = new Operation(match.getApiOperation().getMethod().name(), match.getApiOperation().getApiPath().original());

        ValidationReport requestReport = validator.validateRequest(request);
        if (requestReport.hasErrors() && (exchange.status() < 400 || exchange.status() >= 500)) {
            violations.add("the server answered %d to a request that openapi.yaml does not allow (it should have refused it with a 4xx problem):"
                    .formatted(exchange.status()));
            violations.addAll(lines(requestReport));
        }
        ValidationReport responseReport = validator.validateResponse(path, method, response);
        if (responseReport.hasErrors()) {
            violations.add("the response is not what openapi.yaml says for " + operation + ":");
            violations.addAll(lines(responseReport));
        }
        if (isProblem(exchange)) checkProblemFields(exchange, violations);
        else if (exchange.status() >= 400 && exchange.responseBody() != null && !exchange.responseBody().isEmpty()) {
            violations.add("an error response must be application/problem+json, not " + header(exchange.responseHeaders(), "Content-Type").orElse("(none)"));
        }
        return new Verdict(Optional.of(operation), violations);
    }

    /** 404 and 405 for paths or methods the document does not have: still a problem, as for every error. */
    private void checkUndocumentedProblem(RecordedExchange exchange, List<String> violations) {
        if (!isProblem(exchange)) {
            violations.add("a %d must be application/problem+json, not %s".formatted(exchange.status(),
                    header(exchange.responseHeaders(), "Content-Type").orElse("(none)")));
            return;
        }
        ValidationReport report = schemas.validate(exchange.responseBody(), problemSchema, "response.body");
        if (report.hasErrors()) {
            violations.add("the problem body is not a Problem of openapi.yaml:");
            violations.addAll(lines(report));
        }
        checkProblemFields(exchange, violations);
    }

    private static void checkProblemFields(RecordedExchange exchange, List<String> violations) {
        JsonNode problem;
        try {
            problem = ApiClient.JSON.readTree(exchange.responseBody());
        } catch (IOException e) {
            violations.add("the problem body is not JSON");
            return;
        }
        if (problem == null || !problem.isObject()) return; // the schema check says what is wrong
        if (problem.path("status").asInt() != exchange.status()) {
            violations.add("the problem's status %s is not the response's %d".formatted(problem.path("status"), exchange.status()));
        }
        String type = problem.path("type").asText();
        Arrays.stream(ProblemType.values()).filter(t -> t.uri().toString().equals(type)).findFirst().ifPresent(t -> {
            if (t.status() != exchange.status()) {
                violations.add("the problem type %s is for status %d, not %d".formatted(type, t.status(), exchange.status()));
            }
        });
        Optional<String> requestId = header(exchange.responseHeaders(), "X-Request-Id");
        if (requestId.isEmpty()) {
            violations.add("the response has no X-Request-Id");
        } else if (!requestId.get().equals(problem.path("instance").asText())) {
            violations.add("the problem's instance %s is not the response's X-Request-Id %s".formatted(problem.path("instance"), requestId.get()));
        }
    }

    private static boolean isProblem(RecordedExchange exchange) {
        return header(exchange.responseHeaders(), "Content-Type").map(t -> t.toLowerCase(Locale.ROOT).startsWith("application/problem+json"))
                .orElse(false);
    }

    private static Request request(RecordedExchange exchange, String path, Request.Method method) {
        SimpleRequest.Builder request = new SimpleRequest.Builder(method, path);
        exchange.requestHeaders().forEach(request::withHeader);
        queryOf(exchange.pathAndQuery()).forEach(request::withQueryParam);
        if (exchange.requestBody() != null) request.withBody(exchange.requestBody());
        return request.build();
    }

    private static SimpleResponse response(RecordedExchange exchange) {
        SimpleResponse.Builder response = new SimpleResponse.Builder(exchange.status());
        exchange.responseHeaders().forEach((name, values) -> {
            if (!name.startsWith(":")) response.withHeader(name, values);
        });
        if (exchange.responseBody() != null && !exchange.responseBody().isEmpty()) response.withBody(exchange.responseBody());
        return response.build();
    }

    static String pathOf(String pathAndQuery) {
        int query = pathAndQuery.indexOf('?');
        return query < 0 ? pathAndQuery : pathAndQuery.substring(0, query);
    }

    static Map<String, List<String>> queryOf(String pathAndQuery) {
        Map<String, List<String>> parameters = new LinkedHashMap<>();
        int start = pathAndQuery.indexOf('?');
        if (start < 0) return parameters;
        for (String pair : pathAndQuery.substring(start + 1).split("&")) {
            if (pair.isEmpty()) continue;
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            parameters.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        }
        return parameters;
    }

    static Optional<String> header(Map<String, List<String>> headers, String name) {
        return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                .flatMap(e -> e.getValue().stream()).findFirst();
    }

    /** The errors of a report, one per line, with the nested messages of anyOf/oneOf indented under theirs. */
    private static List<String> lines(ValidationReport report) {
        List<String> lines = new ArrayList<>();
        for (ValidationReport.Message message : report.getMessages()) {
            if (message.getLevel() != ValidationReport.Level.ERROR) continue;
            add(lines, message, "  - ");
        }
        return lines;
    }

    private static void add(List<String> lines, ValidationReport.Message message, String indent) {
        String where = message.getContext().flatMap(c -> c.getPointers()).map(p -> " at " + p.getInstance()).orElse("");
        lines.add(indent + message.getKey() + where + ": " + message.getMessage());
        for (ValidationReport.Message nested : message.getNestedMessages()) add(lines, nested, "    " + indent);
    }
}
