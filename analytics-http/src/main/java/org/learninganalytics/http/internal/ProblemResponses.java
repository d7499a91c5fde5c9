package org.learninganalytics.http.internal;

import java.util.List;

import org.learninganalytics.db.AnalyticsDbException;
import org.learninganalytics.db.gamification.AwardRejectedException;
import org.learninganalytics.db.gamification.InvalidGamificationRuleException;
import org.learninganalytics.db.ingestion.IngestionRejectedException;
import org.learninganalytics.db.preferences.InvalidPreferenceException;
import org.learninganalytics.http.internal.Problem.FieldError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;

/**
 * The one place where failures become HTTP: every error is problem+json, so clients never see
 * an HTML page, a stack trace or SQL. Library exceptions map by their type and kind.
 */
public final class ProblemResponses {

    private static final Logger LOG = LoggerFactory.getLogger(ProblemResponses.class);

    private ProblemResponses() {
    }

    public static void install(JavalinConfig config) {
        config.routes.exception(ApiException.class, (e, ctx) -> {
            e.headers().forEach(ctx::header);
            send(ctx, e.type(), e.getMessage(), e.errors());
        });
        config.routes.exception(HttpResponseException.class, (e, ctx) -> {
            ProblemType type = ProblemType.forStatus(e.getStatus());
            send(ctx, type, e.getStatus() == 413 ? "The request body is larger than this server accepts." : type.title() + ".", List.of());
        });
        config.routes.exception(AnalyticsDbException.class, ProblemResponses::libraryFailure);
        config.routes.exception(Exception.class, (e, ctx) -> {
            LOG.error("Unhandled error during {} {}", ctx.method(), RouteTemplates.of(ctx), e);
            send(ctx, ProblemType.INTERNAL, "An unexpected error occurred.", List.of());
        });
        config.routes.error(404, ctx -> {
            if (!isProblem(ctx)) send(ctx, ProblemType.NOT_FOUND, "No resource at this path.", List.of());
        });
        config.routes.error(405, ctx -> {
            if (!isProblem(ctx)) send(ctx, ProblemType.METHOD_NOT_ALLOWED, ctx.method() + " is not allowed on this path.", List.of());
        });
    }

    /** Whether a handler already answered a problem (Jetty's content type may carry a charset, so it is not that). */
    private static final String PROBLEM_SENT = "analytics.problem-sent";

    private static boolean isProblem(Context ctx) {
        return Boolean.TRUE.equals(ctx.attribute(PROBLEM_SENT));
    }

    /**
     * Library failures by type, then kind. Client errors carry the library's message (it never
     * holds SQL); server errors a fixed text, with the cause logged.
     */
    static void libraryFailure(AnalyticsDbException e, Context ctx) {
        if (e instanceof IngestionRejectedException rejected) {
            String detail = "Item " + rejected.index() + " (" + rejected.key() + "): " + rejected.reason()
                    + ". Nothing of this batch was written.";
            send(ctx, ProblemType.INGESTION_REJECTED, detail,
                    List.of(new FieldError("/" + rejected.index(), rejected.key() + ": " + rejected.reason())));
            return;
        }
        if (e instanceof AwardRejectedException rejected) {
            ProblemType type = switch (rejected.reason()) {
                case KEY_REUSED -> ProblemType.IDEMPOTENCY_KEY_REUSED;
                case CAPPED -> ProblemType.CAPPED;
                case UNKNOWN_ACTIVITY, NOT_SELF_REPORTABLE, INVALID -> ProblemType.AWARD_REJECTED;
            };
            send(ctx, type, e.getMessage(), List.of());
            return;
        }
        if (e instanceof InvalidGamificationRuleException) {
            send(ctx, ProblemType.INVALID_RULE, e.getMessage(), List.of());
            return;
        }
        if (e instanceof InvalidPreferenceException) {
            if (e.kind() == AnalyticsDbException.Kind.CAPPED) {
                send(ctx, ProblemType.CAPPED, e.getMessage(), List.of());
            } else {
                send(ctx, ProblemType.VALIDATION, e.getMessage(), List.of());
            }
            return;
        }
        switch (e.kind()) {
            case INVALID_INPUT -> send(ctx, ProblemType.VALIDATION, e.getMessage(), List.of());
            case NOT_VISIBLE -> send(ctx, ProblemType.NOT_FOUND, "Not found.", List.of());
            case CAPPED -> send(ctx, ProblemType.CAPPED, e.getMessage(), List.of());
            case CONFLICT -> send(ctx, ProblemType.CONFLICT, e.getMessage(), List.of());
            case TIMED_OUT -> {
                LOG.warn("Timed out during {} {}: {}", ctx.method(), RouteTemplates.of(ctx), e.getMessage());
                ctx.header("Retry-After", "5");
                send(ctx, ProblemType.TIMED_OUT, "The request took too long and was cancelled; try again later.", List.of());
            }
            case UNAVAILABLE -> {
                LOG.warn("Database unavailable during {} {}: {}", ctx.method(), RouteTemplates.of(ctx), e.getMessage());
                ctx.header("Retry-After", "5");
                send(ctx, ProblemType.UNAVAILABLE, "The database is not available; try again later.", List.of());
            }
            case FAILED -> {
                LOG.error("Database failure during {} {}", ctx.method(), RouteTemplates.of(ctx), e);
                send(ctx, ProblemType.INTERNAL, "An unexpected error occurred.", List.of());
            }
        }
    }

    public static void send(Context ctx, ProblemType type, String detail, List<FieldError> errors) {
        ctx.attribute(PROBLEM_SENT, true);
        ctx.status(type.status())
                .json(Problem.of(type, detail, RequestIds.of(ctx), errors))
                .contentType(Problem.CONTENT_TYPE);
    }

    /** For handlers that answer a problem without throwing (e.g. /ready). */
    public static void send(Context ctx, ProblemType type, String detail) {
        send(ctx, type, detail, List.of());
    }

}
