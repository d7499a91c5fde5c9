package org.learninganalytics.http.internal;

import org.learninganalytics.db.AnalyticsDbException;
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
        config.routes.exception(AnalyticsDbException.class, ProblemResponses::libraryFailure);
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

    /**
     * The one place where the library's failures become status codes, by their kind. Client
     * errors carry the library's message (it never holds SQL); server errors a fixed text.
     */
    private static void libraryFailure(AnalyticsDbException e, Context ctx) {
        switch (e.kind()) {
            case INVALID_INPUT -> send(ctx, 400, "Bad Request", e.getMessage());
            case NOT_VISIBLE -> send(ctx, 404, "Not Found", e.getMessage());
            case CAPPED -> send(ctx, 429, "Too Many Requests", e.getMessage());
            case CONFLICT -> send(ctx, 409, "Conflict", e.getMessage());
            case TIMED_OUT -> {
                LOG.warn("Timed out during {} {}: {}", ctx.method(), ctx.path(), e.getMessage());
                send(ctx, 503, "Service Unavailable", "The request took too long and was cancelled; try again later.");
            }
            case UNAVAILABLE -> {
                LOG.warn("Database unavailable during {} {}: {}", ctx.method(), ctx.path(), e.getMessage());
                send(ctx, 503, "Service Unavailable", "The database is not available; try again later.");
            }
            case FAILED -> {
                LOG.error("Database failure during {} {}", ctx.method(), ctx.path(), e);
                send(ctx, 500, "Internal Server Error", "An unexpected error occurred.");
            }
        }
    }

    public static void send(Context ctx, int status, String title, String detail) {
        ctx.status(status).json(Problem.of(status, title, detail, ctx.path())).contentType(Problem.CONTENT_TYPE);
    }
}
