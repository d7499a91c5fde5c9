package org.learninganalytics.http.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * How the HTTP tests speak to the server: the JDK client, with every exchange handed to
 * {@link ContractRecorder}, which checks it against the OpenAPI document. Tests that use
 * this client therefore also test the contract.
 */
public final class ApiClient {

    public static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final URI base;

    public ApiClient(URI base) {
        this.base = base;
    }

    public ApiClient(int port) {
        this(URI.create("http://localhost:" + port));
    }

    public Call get(String pathAndQuery) {
        return new Call("GET", pathAndQuery);
    }

    public Call post(String pathAndQuery) {
        return new Call("POST", pathAndQuery);
    }

    public Call put(String pathAndQuery) {
        return new Call("PUT", pathAndQuery);
    }

    public Call patch(String pathAndQuery) {
        return new Call("PATCH", pathAndQuery);
    }

    public Call delete(String pathAndQuery) {
        return new Call("DELETE", pathAndQuery);
    }

    public Call method(String method, String pathAndQuery) {
        return new Call(method, pathAndQuery);
    }

    /** One request being built. */
    public final class Call {
        private final String method;
        private final String pathAndQuery;
        private final Map<String, String> headers = new LinkedHashMap<>();
        private String body;
        private boolean checkContract = true;

        private Call(String method, String pathAndQuery) {
            this.method = method;
            this.pathAndQuery = pathAndQuery;
        }

        public Call bearer(String token) {
            if (token != null) headers.put("Authorization", "Bearer " + token);
            return this;
        }

        public Call header(String name, String value) {
            headers.put(name, value);
            return this;
        }

        /** A JSON body: a String is sent as it is, anything else is serialized. */
        public Call json(Object value) {
            return body("application/json", value);
        }

        public Call body(String contentType, Object value) {
            headers.put("Content-Type", contentType);
            try {
                this.body = value instanceof String s ? s : JSON.writeValueAsString(value);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return this;
        }

        /** For deliberately malformed requests (a bad URI, huge headers) that no contract describes. */
        public Call withoutContractCheck() {
            this.checkContract = false;
            return this;
        }

        public ApiResponse send() {
            HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(pathAndQuery)).timeout(Duration.ofSeconds(30));
            headers.forEach(request::header);
            request.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
            HttpResponse<String> response;
            try {
                response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            ApiResponse result = new ApiResponse(response.statusCode(), response.headers().map(), response.body());
            if (checkContract) {
                ContractRecorder.record(new RecordedExchange(method, pathAndQuery, Map.copyOf(headers), body,
                        result.status(), result.headers(), result.body()));
            }
            return result;
        }
    }

    /** A response, with its body parsed on demand. */
    public record ApiResponse(int status, Map<String, List<String>> headers, String body) {

        public Optional<String> header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .flatMap(e -> e.getValue().stream()).findFirst();
        }

        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON (" + status + "): " + body, e);
            }
        }

        @Override
        public String toString() {
            return status + " " + body;
        }
    }
}
