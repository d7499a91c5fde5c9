package org.learninganalytics.http.health;

import java.time.Duration;
import java.util.Map;

import org.learninganalytics.db.AnalyticsDb;

import io.javalin.http.Context;

/**
 * Liveness and readiness for orchestrators: {@code /health} says the process serves HTTP,
 * {@code /ready} that it can also reach the database (503 problem+json otherwise).
 */
public final class HealthController {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(2);

    private final AnalyticsDb db;

    public HealthController(AnalyticsDb db) {
        this.db = db;
    }

    public void health(Context ctx) {
        ctx.json(Map.of("status", "UP"));
    }

    public void ready(Context ctx) {
        db.checkReady(READY_TIMEOUT); // throws DatabaseUnavailableException -> 503
        ctx.json(Map.of("status", "READY"));
    }
}
