package org.learninganalytics.http.internal;

import org.learninganalytics.db.AnalyticsDb;
import org.learninganalytics.db.SystemSession;
import org.learninganalytics.db.UserSession;
import org.learninganalytics.db.tenancy.Principal;

import io.javalin.http.Context;

/**
 * The caller that {@link Authentication} resolved, as the library sees it: a user session
 * (row-level security) on user routes, the system session on service routes. A route that
 * asks for the other kind is a wiring bug, not a client error.
 */
public final class Callers {

    private final AnalyticsDb db;

    public Callers(AnalyticsDb db) {
        this.db = db;
    }

    public Principal principal(Context ctx) {
        Principal principal = ctx.attribute(Authentication.PRINCIPAL);
        if (principal == null) throw new IllegalStateException("user route without a user: " + ctx.method() + " " + RouteTemplates.of(ctx));
        return principal;
    }

    public UserSession user(Context ctx) {
        return db.as(principal(ctx));
    }

    public SystemSession system(Context ctx) {
        if (!Boolean.TRUE.equals(ctx.attribute(Authentication.SERVICE))) {
            throw new IllegalStateException("service route without the service: " + ctx.method() + " " + RouteTemplates.of(ctx));
        }
        return db.system();
    }
}
