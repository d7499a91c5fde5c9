package org.learninganalytics.http;

import static io.javalin.apibuilder.ApiBuilder.before;
import static io.javalin.apibuilder.ApiBuilder.beforeMatched;
import static io.javalin.apibuilder.ApiBuilder.get;
import static io.javalin.apibuilder.ApiBuilder.patch;
import static io.javalin.apibuilder.ApiBuilder.post;
import static io.javalin.apibuilder.ApiBuilder.put;

import java.time.Duration;

import org.eclipse.jetty.server.handler.GracefulHandler;
import org.learninganalytics.db.AnalyticsDb;
import org.learninganalytics.http.achievements.AchievementsController;
import org.learninganalytics.http.aggregates.AggregatesController;
import org.learninganalytics.http.admin.AdminController;
import org.learninganalytics.http.admin.PrivacyController;
import org.learninganalytics.http.awards.AwardsController;
import org.learninganalytics.http.docs.ApiDocs;
import org.learninganalytics.http.health.HealthController;
import org.learninganalytics.http.ingest.IngestController;
import org.learninganalytics.http.jobs.JobsController;
import org.learninganalytics.http.xapi.XapiController;
import org.learninganalytics.http.internal.Access;
import org.learninganalytics.http.internal.Authentication;
import org.learninganalytics.http.internal.Callers;
import org.learninganalytics.http.internal.Json;
import org.learninganalytics.http.internal.ProblemErrorHandler;
import org.learninganalytics.http.internal.ProblemResponses;
import org.learninganalytics.http.internal.RequestIds;
import org.learninganalytics.http.internal.RouteTemplates;
import org.learninganalytics.http.leaderboards.LeaderboardsController;
import org.learninganalytics.http.me.MeController;
import org.learninganalytics.http.observability.Metrics;
import org.learninganalytics.http.analytics.AnalyticsController;
import org.learninganalytics.http.points.PointsController;
import org.learninganalytics.http.predictions.PredictionsController;
import org.learninganalytics.http.preferences.PreferencesController;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.json.JavalinJackson;

/**
 * The HTTP server: routes, authentication, JSON, errors, metrics and the access log over one
 * {@link AnalyticsDb}. Handlers do IO only (parse, validate, call the library, map); every
 * route declares its {@link Access}. Stopping the server lets in-flight requests finish
 * (within the settings' bound) and then closes the database pool. Thread-safe once started.
 */
public final class AnalyticsServer {

    private static final Logger ACCESS = LoggerFactory.getLogger("org.learninganalytics.http.access");

    private AnalyticsServer() {
    }

    /** A configured, not yet started Javalin app. {@code db} is closed when the server stops. */
    public static Javalin create(AnalyticsDb db, ServerSettings settings) {
        Metrics metrics = settings.metrics();
        Callers callers = new Callers(db);
        Authentication authentication = new Authentication(settings.tokens(), db::principal, metrics::tokenRejected);
        HealthController health = new HealthController(db);
        PointsController points = new PointsController(callers, metrics);
        LeaderboardsController leaderboards = new LeaderboardsController(callers);
        MeController me = new MeController(callers);
        AchievementsController achievements = new AchievementsController(callers);
        PreferencesController preferences = new PreferencesController(callers);
        IngestController ingest = new IngestController(callers);
        XapiController xapi = new XapiController(callers);
        AwardsController awards = new AwardsController(callers, metrics);
        AdminController admin = new AdminController(callers);
        PrivacyController privacy = new PrivacyController(callers);
        AnalyticsController analytics = new AnalyticsController(callers);
        AggregatesController aggregates = new AggregatesController(callers);
        PredictionsController predictions = new PredictionsController(callers);
        JobsController jobs = new JobsController(callers);
        db.system().jobs().addListener(metrics::jobFinished); // every run on this instance, scheduled or manual
        return Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.jsonMapper(new JavalinJackson(Json.MAPPER, false));
            config.http.prefer405over404 = true;
            config.http.maxRequestSize = settings.maxRequestBytes();
            config.jetty.modifyServer(server -> {
                // Stop accepting, let in-flight requests finish within the bound, then stop.
                server.setHandler(new GracefulHandler());
                server.setStopTimeout(settings.shutdownTimeout().toMillis());
                server.setErrorHandler(new ProblemErrorHandler());
            });
            if (!settings.corsOrigins().isEmpty()) {
                config.bundledPlugins.enableCors(cors -> cors.addRule(rule -> {
                    settings.corsOrigins().forEach(origin -> rule.allowHost(origin));
                    rule.exposeHeader(RequestIds.HEADER);
                    rule.exposeHeader("ETag");
                    rule.exposeHeader("Retry-After");
                }));
            }
            ProblemResponses.install(config);
            config.requestLogger.http((ctx, ms) -> accessLog(ctx, ms, metrics));
            config.routes.apiBuilder(() -> {
                before(RequestIds::assign);
                beforeMatched(authentication::check);

                get("/health", health::health, Access.PUBLIC);
                get("/ready", health::ready, Access.PUBLIC);
                get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape()), Access.PUBLIC);

                // --- API documentation (package docs): the OpenAPI document, and Swagger UI with its assets from the jar.
                ApiDocs docs = ApiDocs.load();
                get(ApiDocs.OPENAPI_JSON, docs::openApiJson, Access.PUBLIC);
                get(ApiDocs.DOCS, docs::page, Access.PUBLIC);
                docs.serveAssets(config);
                // --- end of API documentation

                get("/v1/me", me::me, Access.USER);
                get("/v1/me/points", points::myPoints, Access.USER);
                get("/v1/me/points/transactions", points::myTransactions, Access.USER);
                get("/v1/users/{userId}/points/transactions", points::userTransactions, Access.USER);
                get("/v1/achievements", achievements::catalogue, Access.USER);
                get("/v1/me/achievements", achievements::mine, Access.USER);
                get("/v1/me/preferences", preferences::get, Access.USER);
                patch("/v1/me/preferences", preferences::patch, Access.USER);
                get("/v1/users/{userId}/points", points::userPoints, Access.USER);
                post("/v1/me/activities", points::reportActivity, Access.USER);
                get("/v1/leaderboards/{board}", leaderboards::page, Access.USER);
                get("/v1/leaderboards/{board}/around-me", leaderboards::aroundMe, Access.USER);
                get("/v1/me/analytics", analytics::mine, Access.USER);
                get("/v1/users/{userId}/analytics/{type}", analytics::user, Access.USER);
                get("/v1/me/peer-comparison", aggregates::peerComparison, Access.USER);
                get("/v1/skills/demand", aggregates::skillDemand, Access.USER);
                get("/v1/users/{userId}/predictions/{type}", predictions::prediction, Access.USER);

                post("/v1/ingest/{entity}", ingest::ingest, Access.SERVICE);
                post("/xapi/statements", xapi::statements, Access.SERVICE);
                post("/v1/awards", awards::award, Access.SERVICE);
                get("/v1/admin/activity-rules", admin::activityRules, Access.SERVICE);
                put("/v1/admin/activity-rules/{activityType}", admin::putActivityRule, Access.SERVICE);
                get("/v1/admin/achievements", admin::achievements, Access.SERVICE);
                put("/v1/admin/achievements/{id}", admin::putAchievement, Access.SERVICE);
                get("/v1/admin/level-curve", admin::levelCurve, Access.SERVICE);
                put("/v1/admin/level-curve", admin::putLevelCurve, Access.SERVICE);
                post("/v1/admin/leaderboards/refresh", admin::refreshLeaderboards, Access.SERVICE);
                post("/v1/admin/ledger-replay", admin::ledgerReplay, Access.SERVICE);
                post("/v1/admin/aggregates/refresh", aggregates::refresh, Access.SERVICE);
                post("/v1/admin/users/{userId}/erase", privacy::erase, Access.SERVICE);
                get("/v1/admin/users/{userId}/export", privacy::export, Access.SERVICE);
                get("/v1/admin/jobs", jobs::list, Access.SERVICE);
                post("/v1/admin/jobs/{name}/run", jobs::run, Access.SERVICE);
            });
            config.events.serverStopped(() -> {
                db.close();
                metrics.close();
                if (settings.tokens() != null) settings.tokens().close();
            });
        });
    }

    /**
     * One line per request: method, route template, status, duration, request id (in the MDC)
     * and the user id when there is one; never the token, the query or other personal data.
     */
    private static void accessLog(Context ctx, Float ms, Metrics metrics) {
        try {
            String route = RouteTemplates.of(ctx);
            int status = ctx.statusCode();
            metrics.request(ctx.method().name(), route, status, Duration.ofNanos((long) (ms * 1_000_000)));
            String user = ctx.attribute("analytics.userId");
            ACCESS.info("{} {} {} {}ms id={}{}", ctx.method().name(), route, status, String.format("%.1f", ms),
                    RequestIds.of(ctx), user == null ? "" : " user=" + user);
        } finally {
            RequestIds.clear();
        }
    }

}
