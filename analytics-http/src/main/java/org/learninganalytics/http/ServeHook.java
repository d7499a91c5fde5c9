package org.learninganalytics.http;

import org.learninganalytics.db.AnalyticsDb;

/**
 * What a launcher that wraps the server (the demo jar) does around start-up, so that the
 * server itself knows nothing of it. {@link ServeCommand} calls the methods in this order, on
 * the thread that starts the server; a method that throws stops the start-up, and its
 * message is logged as the reason ({@link StartupException} for a one-line reason).
 */
public interface ServeHook extends AutoCloseable {

    /** The production server: nothing around start-up. */
    ServeHook NONE = new ServeHook() {
    };

    /** First of all: may set the token keys (demo mode makes a secret when none is configured). */
    default void beforeAuthentication(org.learninganalytics.http.auth.AuthOptions auth) {
    }

    /** Before migrating: may create the database or point {@code database} at another one. */
    default void beforeMigrating(DatabaseOptions database) {
    }

    /**
     * Whether a serving login that row-level security does not apply to (a superuser, or
     * BYPASSRLS) is accepted with a warning instead of refused.
     */
    default boolean allowsPrivilegedServingLogin() {
        return false;
    }

    /** After migrating and opening the serving pool, before HTTP is served. */
    default void beforeServing(DatabaseOptions database, AnalyticsDb db) {
    }

    /** After the server stopped, or when start-up failed; releases what the hook started. */
    @Override
    default void close() {
    }
}
