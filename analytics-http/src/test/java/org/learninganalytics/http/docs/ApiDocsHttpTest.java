package org.learninganalytics.http.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.learninganalytics.http.testing.ApiClient.ApiResponse;
import org.learninganalytics.http.testing.NoDatabaseServer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

/** GET /openapi.json and GET /docs over HTTP: no token, no database, nothing from outside the jar. */
class ApiDocsHttpTest {

    private static final Pattern ASSET = Pattern.compile("(?:src|href)=\"([^\"]+)\"");
    private static NoDatabaseServer server;

    @BeforeAll
    static void start() {
        server = NoDatabaseServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void openapi_json_is_the_yaml_document_as_json() throws Exception {
        ApiResponse response = server.api.get("/openapi.json").send();

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
        JsonNode yaml;
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(ApiDocs.DOCUMENT)) {
            yaml = new YAMLMapper().readTree(in);
        }
        assertThat(response.json()).isEqualTo(yaml);
        assertThat(response.json().get("openapi").asText()).startsWith("3.1");
    }

    @Test
    void docs_is_swagger_ui_from_the_jar_pointed_at_openapi_json() {
        ApiResponse page = server.api.get("/docs").send();

        assertThat(page.status()).isEqualTo(200);
        assertThat(page.header("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/html"));
        List<String> assets = assets(page.body());
        assertThat(assets).as("no CDN: every asset is this server's").allSatisfy(url -> assertThat(url).startsWith("/docs/"))
                .contains("/docs/swagger-ui/" + ApiDocs.load().swaggerUiVersion() + "/swagger-ui-bundle.js", "/docs/static/docs.js");
        for (String asset : assets) {
            ApiResponse file = server.api.get(asset).withoutContractCheck().send();
            assertThat(file.status()).as(asset).isEqualTo(200);
            assertThat(file.body()).as(asset).isNotEmpty();
            assertThat(file.header("X-Request-Id")).as(asset).isPresent();
        }
        String initializer = server.api.get("/docs/static/docs.js").withoutContractCheck().send().body();
        assertThat(initializer).contains("url: \"/openapi.json\"", "validatorUrl: null").doesNotContain("petstore");
    }

    @Test
    void the_assets_have_their_content_types_and_the_versioned_ones_are_cached() {
        String base = "/docs/swagger-ui/" + ApiDocs.load().swaggerUiVersion();
        ApiResponse script = server.api.get(base + "/swagger-ui-bundle.js").withoutContractCheck().send();
        ApiResponse style = server.api.get(base + "/swagger-ui.css").withoutContractCheck().send();

        assertThat(script.header("Content-Type")).hasValueSatisfying(type -> assertThat(type).contains("javascript"));
        assertThat(style.header("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/css"));
        assertThat(script.header("Cache-Control")).hasValueSatisfying(value -> assertThat(value).contains("immutable"));
    }

    @Test
    void the_webjars_demo_page_and_other_files_are_not_served() {
        String base = "/docs/swagger-ui/" + ApiDocs.load().swaggerUiVersion();

        for (String file : List.of("/index.html", "/swagger-initializer.js", "/oauth2-redirect.html", "/swagger-ui-es-bundle.js")) {
            ApiResponse response = server.api.get(base + file).send();
            assertThat(response.status()).as(file).isEqualTo(404);
        }
        assertThat(server.api.get("/docs/static/../index.html").withoutContractCheck().send().status()).isIn(400, 404);
    }

    private static List<String> assets(String html) {
        Matcher matcher = ASSET.matcher(html);
        List<String> urls = new java.util.ArrayList<>();
        while (matcher.find()) urls.add(matcher.group(1));
        return urls;
    }
}
