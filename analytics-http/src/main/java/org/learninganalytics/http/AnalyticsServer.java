package org.learninganalytics.http;

import static io.javalin.apibuilder.ApiBuilder.get;

import org.learninganalytics.db.AnalyticsDb;
import org.learninganalytics.http.health.HealthController;
import org.learninganalytics.http.internal.ProblemResponses;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import io.javalin.Javalin;
import io.javalin.json.JavalinJackson;

/**
 * The HTTP server: routes, JSON and error mapping over one {@link AnalyticsDb}. Stopping the
 * server closes the database pool. Thread-safe once started.
 */
public final class AnalyticsServer {

    private AnalyticsServer() {
    }

    /** A configured, not yet started Javalin app. {@code db} is closed when the server stops. */
    public static Javalin create(AnalyticsDb db) {
        HealthController health = new HealthController(db);
        ObjectMapper json = new ObjectMapper()
                .registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
        return Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.jsonMapper(new JavalinJackson(json, false));
            config.http.prefer405over404 = true;
            ProblemResponses.install(config);
            config.routes.apiBuilder(() -> {
                get("/health", health::health);
                get("/ready", health::ready);
            });
            config.events.serverStopped(db::close);
        });
    }
}
