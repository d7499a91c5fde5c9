package org.learninganalytics.db.internal;

/** Database role names, as created by migration V006. Not API. */
public final class DbRoles {

    /** The RLS subject role of user requests. */
    public static final String AUTHENTICATED = "analytics_authenticated";
    /** The RLS subject role of platform administrators' requests. */
    public static final String PLATFORM_ADMIN = "analytics_platform_admin";
    /** The role of explicit system paths (ingestion, jobs). */
    public static final String SERVICE = "analytics_service";
    /** The login role of the service's pool. */
    public static final String APP = "analytics_app";
    /** Owns the schema; runs migrations. */
    public static final String OWNER = "analytics_owner";
    /** Reads Flyway's history and nothing else: is the schema at this jar's version? */
    public static final String MONITOR = "analytics_monitor";

    private DbRoles() {
    }
}
