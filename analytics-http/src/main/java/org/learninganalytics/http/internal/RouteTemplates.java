package org.learninganalytics.http.internal;

import io.javalin.http.Context;
import io.javalin.router.Endpoint;

/**
 * The route template a request matched ({@code /v1/users/{userId}/points}), for logs and
 * metrics: never the raw path, which holds ids and would give every user a metric series.
 */
public final class RouteTemplates {

    /** What requests that matched no route are logged and counted as. */
    public static final String UNMATCHED = "unmatched";

    private RouteTemplates() {
    }

    public static String of(Context ctx) {
        Endpoint endpoint = ctx.endpoints().matchedHttpEndpoint();
        return endpoint == null ? UNMATCHED : endpoint.path;
    }
}
