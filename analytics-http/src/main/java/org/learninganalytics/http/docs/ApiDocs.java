package org.learninganalytics.http.docs;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import org.learninganalytics.http.internal.Access;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.staticfiles.Location;

/**
 * The API documentation: {@code GET /openapi.json} (the hand-written {@code openapi.yaml} on
 * the classpath, converted to JSON once) and {@code GET /docs}, a Swagger UI page whose
 * scripts and styles come from the {@code org.webjars:swagger-ui} jar inside the server's own
 * jar, so the page works without internet access and loads nothing from a CDN.
 * <p>
 * The page's assets are static files under {@value #ASSETS} (not routes): Swagger UI under
 * {@code /docs/swagger-ui/<version>/} (the version in the path, so browsers may cache them for
 * long) and this package's initializer under {@code /docs/static/}. Immutable and thread-safe.
 */
public final class ApiDocs {

    /** The OpenAPI document on the classpath: the authority of the HTTP contract. */
    public static final String DOCUMENT = "openapi/openapi.yaml";
    public static final String OPENAPI_JSON = "/openapi.json";
    public static final String DOCS = "/docs";
    /** Everything the docs page loads lives under this path; none of it is a route. */
    public static final String ASSETS = "/docs/";

    private static final String WEBJAR_PROPERTIES = "META-INF/maven/org.webjars/swagger-ui/pom.properties";
    private static final String WEBJAR_DIRECTORY = "META-INF/resources/webjars/swagger-ui/";
    private static final String OWN_DIRECTORY = "org/learninganalytics/http/docs/static";
    private static final String PAGE = "org/learninganalytics/http/docs/index.html";
    /** The only Swagger UI files the page uses; the webjar's demo page (which points at the petstore) is not served. */
    private static final Set<String> SWAGGER_UI_FILES = Set.of("swagger-ui.css", "swagger-ui-bundle.js", "favicon-32x32.png",
            "favicon-16x16.png");

    private static volatile ApiDocs loaded;

    private final String json;
    private final String page;
    private final String swaggerUiVersion;

    private ApiDocs(String json, String page, String swaggerUiVersion) {
        this.json = json;
        this.page = page;
        this.swaggerUiVersion = swaggerUiVersion;
    }

    /**
     * The documentation, read from the classpath on first use and kept: the YAML is parsed and
     * converted once per JVM. Fails (and so does the server's start) when the document or the
     * webjar is missing or the document is not valid YAML.
     */
    public static ApiDocs load() {
        ApiDocs docs = loaded;
        if (docs == null) {
            synchronized (ApiDocs.class) {
                docs = loaded;
                if (docs == null) {
                    String version = webjarVersion();
                    docs = new ApiDocs(toJson(resource(DOCUMENT)),
                            resource(PAGE).replace("{{swaggerUi}}", ASSETS + "swagger-ui/" + version), version);
                    loaded = docs;
                }
            }
        }
        return docs;
    }

    /** The version of the Swagger UI webjar on the classpath, e.g. {@code 5.34.1}. */
    public String swaggerUiVersion() {
        return swaggerUiVersion;
    }

    /** GET /openapi.json */
    public void openApiJson(Context ctx) {
        ctx.contentType("application/json").result(json);
    }

    /** GET /docs */
    public void page(Context ctx) {
        ctx.header("Cache-Control", "no-cache").html(page);
    }

    /** Serves the page's assets from the classpath as static files (they are not routes, and need no token). */
    public void serveAssets(JavalinConfig config) {
        config.staticFiles.add(files -> {
            files.hostedPath = ASSETS + "swagger-ui/" + swaggerUiVersion;
            files.directory = WEBJAR_DIRECTORY + swaggerUiVersion;
            files.location = Location.CLASSPATH;
            files.roles = Set.of(Access.PUBLIC);
            files.headers = Map.of("Cache-Control", "public, max-age=31536000, immutable");
            files.skipFileFunction = request -> !SWAGGER_UI_FILES.contains(lastSegment(request.getRequestURI()));
        });
        config.staticFiles.add(files -> {
            files.hostedPath = ASSETS + "static";
            files.directory = OWN_DIRECTORY;
            files.location = Location.CLASSPATH;
            files.roles = Set.of(Access.PUBLIC);
            files.headers = Map.of("Cache-Control", "no-cache");
        });
    }

    private static String lastSegment(String uri) {
        return uri.substring(uri.lastIndexOf('/') + 1);
    }

    static String toJson(String yaml) {
        try {
            JsonNode tree = new YAMLMapper().readTree(yaml);
            if (tree == null || !tree.isObject() || !tree.path("openapi").asText().startsWith("3.1")) {
                throw new IllegalStateException(DOCUMENT + " is not an OpenAPI 3.1 document");
            }
            return JsonMapper.builder().build().writeValueAsString(tree);
        } catch (IOException e) {
            throw new IllegalStateException(DOCUMENT + " is not valid YAML: " + e.getMessage(), e);
        }
    }

    private static String webjarVersion() {
        Properties properties = new Properties();
        try (InputStream in = ApiDocs.class.getClassLoader().getResourceAsStream(WEBJAR_PROPERTIES)) {
            if (in == null) throw new IllegalStateException("the org.webjars:swagger-ui jar is not on the classpath");
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String version = properties.getProperty("version");
        if (version == null || version.isBlank()) throw new IllegalStateException(WEBJAR_PROPERTIES + " names no version");
        return version;
    }

    private static String resource(String name) {
        try (InputStream in = ApiDocs.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) throw new IllegalStateException(name + " is not on the classpath");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
