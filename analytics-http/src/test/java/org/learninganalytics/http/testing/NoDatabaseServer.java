package org.learninganalytics.http.testing;

import java.util.List;

import org.learninganalytics.db.AnalyticsDb;
import org.learninganalytics.http.AnalyticsServer;
import org.learninganalytics.http.ServerSettings;
import org.learninganalytics.http.internal.Access;
import org.postgresql.ds.PGSimpleDataSource;

import io.javalin.Javalin;
import io.javalin.security.Roles;

/**
 * The real app on a random port over a database that is not there (every query fails fast with
 * 503): enough for what needs no database, such as /openapi.json, /docs and the routing table.
 */
public final class NoDatabaseServer implements AutoCloseable {

    private final Javalin app;
    public final ApiClient api;

    private NoDatabaseServer() {
        PGSimpleDataSource nowhere = new PGSimpleDataSource();
        nowhere.setURL("jdbc:postgresql://127.0.0.1:1/analytics");
        nowhere.setConnectTimeout(1);
        this.app = AnalyticsServer.create(AnalyticsDb.builder().dataSource(nowhere).build(), ServerSettings.of(null)).start(0);
        this.api = new ApiClient(app.port());
    }

    public static NoDatabaseServer start() {
        return new NoDatabaseServer();
    }

    public int port() {
        return app.port();
    }

    /** One route of the app's router: method, path template and declared access. */
    public record Route(String method, String path, Access access) {
    }

    /**
     * Every HTTP route the app serves, from Javalin's own router (before/after handlers and
     * static files are not routes). Javalin 7 keeps them in {@code app.unsafe.internalRouter}.
     */
    public List<Route> routes() {
        return app.unsafe.internalRouter.allHttpHandlers().stream()
                .map(parsed -> parsed.endpoint)
                .filter(endpoint -> endpoint.method.isHttpMethod())
                .map(endpoint -> {
                    Roles roles = endpoint.metadata(Roles.class);
                    List<Access> access = roles == null ? List.of()
                            : roles.getRoles().stream().filter(Access.class::isInstance).map(Access.class::cast).toList();
                    return new Route(endpoint.method.name(), endpoint.path, access.size() == 1 ? access.get(0) : null);
                })
                .toList();
    }

    @Override
    public void close() {
        app.stop();
    }
}
