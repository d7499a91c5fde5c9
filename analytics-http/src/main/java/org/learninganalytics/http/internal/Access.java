package org.learninganalytics.http.internal;

import io.javalin.security.RouteRole;

/** Who may call a route; every route declares one, and {@link Authentication} enforces it before the handler runs. */
public enum Access implements RouteRole {
    /** No token: health, readiness, metrics, documentation. */
    PUBLIC,
    /** A user's token; the handler runs as that user under row-level security. */
    USER,
    /** The service's token; the handler runs on the library's system path. */
    SERVICE
}
