package org.learninganalytics.http.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.learninganalytics.http.internal.ProblemType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

/**
 * The hand-written openapi.yaml keeps its own rules: every problem type of the server is
 * documented (and only those), every operation says who may call it and answers every error as
 * a problem with a request id, request bodies are closed.
 */
class OpenApiDocumentTest {

    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options", "trace");
    private static JsonNode document;

    @BeforeAll
    static void read() throws Exception {
        try (InputStream in = OpenApiDocumentTest.class.getClassLoader().getResourceAsStream(ApiDocs.DOCUMENT)) {
            document = new YAMLMapper().readTree(in);
        }
    }

    @Test
    void every_problem_type_of_the_server_is_documented_and_only_those() {
        JsonNode schema = document.at("/components/schemas/ProblemType");
        List<String> documented = new ArrayList<>();
        schema.get("enum").forEach(value -> documented.add(value.asText()));
        List<String> served = Arrays.stream(ProblemType.values()).map(type -> type.uri().toString()).toList();

        assertThat(documented).containsExactlyInAnyOrderElementsOf(served);
        for (ProblemType type : ProblemType.values()) {
            assertThat(schema.get("description").asText()).as("the table row of " + type)
                    .contains("| `" + type.uri() + "` | " + type.status() + " |");
        }
        assertThat(document.at("/components/schemas/Problem/properties/type/$ref").asText()).isEqualTo("#/components/schemas/ProblemType");
    }

    @Test
    void every_operation_has_an_id_a_tag_security_and_a_request_id_on_every_response() {
        Set<String> ids = new HashSet<>();
        forEachOperation((name, operation) -> {
            assertThat(ids.add(operation.path("operationId").asText())).as("unique operationId of " + name).isTrue();
            assertThat(operation.path("operationId").asText()).as(name).isNotEmpty();
            assertThat(operation.path("tags")).as(name).hasSize(1);
            assertThat(operation.has("security")).as("security of " + name + " ([] for public routes)").isTrue();
            operation.path("responses").properties().forEach(response -> {
                JsonNode resolved = resolve(response.getValue());
                assertThat(resolved.at("/headers/X-Request-Id/$ref").asText()).as("X-Request-Id of %s %s", name, response.getKey())
                        .isEqualTo("#/components/headers/X-Request-Id");
                int status = Integer.parseInt(response.getKey());
                if (status >= 400) {
                    assertThat(resolved.path("content").fieldNames()).toIterable().as("content of %s %s", name, status)
                            .containsExactly("application/problem+json");
                }
            });
        });
    }

    @Test
    void secured_operations_document_401_and_403_and_public_ones_neither() {
        forEachOperation((name, operation) -> {
            boolean secured = !operation.path("security").isEmpty();
            JsonNode responses = operation.path("responses");
            assertThat(responses.has("401") && responses.has("403")).as("401 and 403 of " + name).isEqualTo(secured);
            if (operation.has("requestBody")) {
                assertThat(responses.has("413") && responses.has("415")).as("413 and 415 of " + name).isTrue();
            }
        });
    }

    @Test
    void request_bodies_are_closed() {
        forEachOperation((name, operation) -> {
            if (!operation.has("requestBody")) return;
            operation.at("/requestBody/content").properties().forEach(media -> {
                List<JsonNode> objects = new ArrayList<>();
                collectObjects(resolve(media.getValue().path("schema")), objects);
                for (JsonNode object : objects) {
                    boolean closed = object.path("additionalProperties").isBoolean() && !object.path("additionalProperties").asBoolean()
                            || object.path("unevaluatedProperties").isBoolean() && !object.path("unevaluatedProperties").asBoolean();
                    assertThat(closed).as("additionalProperties: false on the body of " + name).isTrue();
                }
            });
        });
    }

    /** The object schemas a body may be: itself, its array's items, each of its oneOf/anyOf alternatives. */
    private void collectObjects(JsonNode schema, List<JsonNode> objects) {
        if (schema.has("oneOf") || schema.has("anyOf")) {
            schema.path(schema.has("oneOf") ? "oneOf" : "anyOf").forEach(alternative -> collectObjects(resolve(alternative), objects));
        } else if (schema.path("type").asText().equals("array")) {
            collectObjects(resolve(schema.path("items")), objects);
        } else {
            objects.add(schema);
        }
    }

    @Test
    void list_parameters_are_the_shared_limit_and_cursor() {
        JsonNode limit = document.at("/components/parameters/Limit/schema");

        assertThat(limit.get("minimum").asInt()).isEqualTo(1);
        assertThat(limit.get("maximum").asInt()).isEqualTo(500);
        assertThat(limit.get("default").asInt()).isEqualTo(50);
        forEachOperation((name, operation) -> operation.path("parameters").forEach(parameter -> {
            String parameterName = resolve(parameter).path("name").asText();
            if (parameterName.equals("limit")) assertThat(parameter.path("$ref").asText()).as(name).endsWith("/Limit");
            if (parameterName.equals("cursor")) assertThat(parameter.path("$ref").asText()).as(name).endsWith("/Cursor");
        }));
    }

    private static void forEachOperation(java.util.function.BiConsumer<String, JsonNode> action) {
        document.path("paths").properties().forEach(path -> path.getValue().properties().forEach(method -> {
            if (METHODS.contains(method.getKey())) action.accept(method.getKey().toUpperCase() + " " + path.getKey(), method.getValue());
        }));
    }

    /** Follows one local $ref. */
    private static JsonNode resolve(JsonNode node) {
        String ref = node.path("$ref").asText();
        return ref.startsWith("#") ? document.at(ref.substring(1)) : node;
    }
}
