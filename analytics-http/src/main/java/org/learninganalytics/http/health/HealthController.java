package org.learninganalytics.http.health;

import java.time.Duration;
import java.util.Map;

import org.learninganalytics.db.AnalyticsDb;
import org.learninganalytics.db.AnalyticsDbException;
import org.learninganalytics.db.DatabaseUnavailableException;
import org.learninganalytics.db.SchemaStatus;
import org.learninganalytics.http.internal.ProblemResponses;
import org.learninganalytics.http.internal.ProblemType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.javalin.http.Context;

/**
 * Liveness and readiness for orchestrators: {@code /health} says the process serves HTTP,
 * {@code /ready} that the database answers and its schema is at this server's version
 * (503 problem+json otherwise, e.g. while a DBA has not applied the migrations yet).
 * Thread-safe.
 */
public final class HealthController {

    private static final Logger LOG = LoggerFactory.getLogger(HealthController.class);
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(2);

    private final AnalyticsDb db;
    /** The last schema state logged, so that a poll every few seconds logs only changes. */
    private volatile String lastLogged;
    /**
     * Once the schema was seen at this server's version it stays there (migrations only go
     * forward), so later probes skip Flyway's history check: it scans the jar's migrations
     * and takes two connections, too much for a probe every few seconds under load.
     */
    private volatile boolean schemaSeenCurrent;

    public HealthController(AnalyticsDb db) {
        this.db = db;
    }

    public void health(Context ctx) {
        ctx.json(Map.of("status", "UP"));
    }

    public void ready(Context ctx) {
        db.checkReady(READY_TIMEOUT); // throws DatabaseUnavailableException -> 503
        if (schemaSeenCurrent) {
            ctx.json(Map.of("status", "READY"));
            return;
        }
        SchemaStatus schema;
        try {
            schema = db.schemaStatus();
        } catch (DatabaseUnavailableException e) {
            throw e;
        } catch (AnalyticsDbException e) {
            logChange(false, "Not ready: " + e.getMessage());
            ProblemResponses.send(ctx, ProblemType.UNAVAILABLE, "The database schema cannot be checked; try again later.");
            return;
        }
        if (!schema.isCurrent()) {
            String current = schema.currentVersion() == null ? "none (never migrated)" : schema.currentVersion();
            logChange(false, "Not ready: the database schema is at version " + current + ", this server needs "
                    + schema.expectedVersion() + " (" + schema.pendingMigrations() + " migrations pending)");
            ProblemResponses.send(ctx, ProblemType.UNAVAILABLE, "The database schema is not at this server's version yet; try again later.");
            return;
        }
        logChange(true, "Ready: the database schema is at version " + schema.currentVersion());
        schemaSeenCurrent = true;
        ctx.json(Map.of("status", "READY"));
    }

    private void logChange(boolean ready, String message) {
        if (message.equals(lastLogged)) return;
        lastLogged = message;
        if (ready) LOG.info(message);
        else LOG.warn(message);
    }
}
