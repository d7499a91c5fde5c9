package org.learninganalytics.http.internal;

import org.learninganalytics.db.DatabaseUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.HttpStatus;

/** Maps every error to problem+json, so clients never see an HTML page or a stack trace. */
public final class ProblemResponses {

    private static final Logger LOG = LoggerFactory.getLogger(ProblemResponses.class);

    private ProblemResponses() {
    }

    public static void install(JavalinConfig config) {
        config.routes.exception(HttpResponseException.class, (e, ctx) ->
                send(ctx, e.getStatus(), HttpStatus.forStatus(e.getStatus()).getMessage(), e.getMessage()));
        config.routes.exception(DatabaseUnavailableException.class, (e, ctx) -> {
            LOG.warn("Database unavailable during {} {}: {}", ctx.method(), ctx.path(), e.getMessage());
            send(ctx, 503, "Service Unavailable", "The database is not available; try again later.");
        });
        config.routes.exception(Exception.class, (e, ctx) -> {
            LOG.error("Unhandled error during {} {}", ctx.method(), ctx.path(), e);
            send(ctx, 500, "Internal Server Error", "An unexpected error occurred.");
        });
        config.routes.error(404, ctx -> {
            if (!Problem.CONTENT_TYPE.equals(ctx.res().getContentType())) {
                send(ctx, 404, "Not Found", "No resource at " + ctx.path() + ".");
            }
        });
        config.routes.error(405, ctx -> send(ctx, 405, "Method Not Allowed", ctx.method() + " is not allowed on " + ctx.path() + "."));
    }

    public static void send(Context ctx, int status, String title, String detail) {
        ctx.status(status).json(Problem.of(status, title, detail, ctx.path())).contentType(Problem.CONTENT_TYPE);
    }
}
