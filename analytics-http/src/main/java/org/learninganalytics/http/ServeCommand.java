package org.learninganalytics.http;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import org.learninganalytics.db.AnalyticsDb;
import org.learninganalytics.db.AnalyticsDbException;
import org.learninganalytics.db.LoginRole;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.learninganalytics.http.auth.AuthOptions;
import org.learninganalytics.http.auth.TokenVerifier;

import org.learninganalytics.http.observability.Metrics;

import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;

import io.javalin.Javalin;
import io.javalin.util.JavalinBindException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code serve}: migrates the database and serves HTTP until the JVM is asked to stop. A
 * launcher may wrap it with a {@link ServeHook} (the demo jar does). Not thread-safe.
 */
@Command(name = "serve", mixinStandardHelpOptions = true, description = "Migrate the database and serve HTTP.")
public final class ServeCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(ServeCommand.class);

    @Mixin
    DatabaseOptions database = new DatabaseOptions();

    @Mixin
    HttpOptions http = new HttpOptions();

    @Mixin
    AuthOptions auth = new AuthOptions();

    @Option(names = "--port", defaultValue = "${env:ANALYTICS_HTTP_PORT:-8080}",
            description = "HTTP port (env ANALYTICS_HTTP_PORT, default ${DEFAULT-VALUE})")
    int port;

    // Without fallbackValue, picocli sets a negatable boolean to the opposite of its default:
    // with the default true, --no-migrate would mean true and --migrate false.
    @Option(names = "--migrate", negatable = true, defaultValue = "${env:ANALYTICS_MIGRATE_ON_START:-true}", fallbackValue = "true",
            description = "apply migrations before serving; --no-migrate: the DBA applies them"
                    + " (env ANALYTICS_MIGRATE_ON_START, default ${DEFAULT-VALUE})")
    boolean migrate;

    private final ServeHook hook;

    /** The production server. */
    public ServeCommand() {
        this(ServeHook.NONE);
    }

    public ServeCommand(ServeHook hook) {
        this.hook = java.util.Objects.requireNonNull(hook, "hook");
    }

    /** Serves until the JVM shuts down: 0 then, 1 when the server cannot start. */
    @Override
    public Integer call() throws InterruptedException {
        Running server;
        try {
            server = start();
        } catch (StartupException e) {
            LOG.error("Cannot start: {}", e.getMessage());
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "analytics-http-shutdown"));
        stopped.await();
        return 0;
    }

    /**
     * Prepares the database and starts serving; the caller stops the server by closing it.
     *
     * @throws StartupException when it cannot start, with the reason in one line
     */
    public Running start() {
        requireFreePort(port); // before migrating or loading anything: a taken port is found in a second
        TokenVerifier tokens = tokens(); // bad key settings, too
        try {
            hook.beforeMigrating(database);
            if (migrate) database.migrate();
            Metrics metrics = new Metrics();
            AnalyticsDb db = database.openServing(new MicrometerMetricsTrackerFactory(metrics.registry()));
            try {
                checkServingLogin(db.loginRole());
                hook.beforeServing(database, db);
                Javalin app;
                try {
                    app = AnalyticsServer.create(db, settings(tokens, metrics)).start(port);
                } catch (JavalinBindException e) { // taken since requireFreePort
                    throw new StartupException(portTaken(port), e);
                }
                LOG.info("Serving on http://localhost:{} (API documentation: /docs)", app.port());
                return new Running(app, hook);
            } catch (RuntimeException e) {
                db.close();
                throw e;
            }
        } catch (AnalyticsDbException e) {
            hook.close();
            throw new StartupException(e.getMessage(), e);
        } catch (RuntimeException e) {
            hook.close();
            throw e;
        }
    }

    private ServerSettings settings(TokenVerifier tokens, Metrics metrics) {
        if (http.maxRequestBytes() <= 0) throw new StartupException("--max-request-bytes must be positive");
        if (http.shutdownTimeout().isNegative()) throw new StartupException("--shutdown-timeout-ms must be zero or more");
        return new ServerSettings(tokens, http.corsOrigins(), http.maxRequestBytes(), http.shutdownTimeout(), metrics);
    }

    /** The bearer token verifier, or null (with a warning) when no key is configured: every /v1 route then answers 401. */
    private TokenVerifier tokens() {
        hook.beforeAuthentication(auth);
        if (!auth.isConfigured()) {
            LOG.warn("No ANALYTICS_JWT_SECRET or ANALYTICS_JWT_JWKS_URL: every /v1 route answers 401 (health, metrics and docs still serve)");
            return null;
        }
        TokenVerifier tokens = auth.buildVerifier(); // StartupException naming the variable, never the secret
        LOG.info("Bearer tokens: {}", tokens);
        return tokens;
    }

    /** Row-level security is what keeps tenants apart: a login it does not apply to must not serve users. */
    private void checkServingLogin(LoginRole login) {
        if (!login.bypassesRowLevelSecurity()) return;
        String problem = "ANALYTICS_DB_USER " + login.name() + (login.superuser() ? " is a superuser" : " has BYPASSRLS")
                + ": row-level security would not apply; use analytics_app";
        if (!hook.allowsPrivilegedServingLogin()) throw new StartupException(problem);
        LOG.warn("==================================================================================");
        LOG.warn("{}.", problem);
        LOG.warn("Serving anyway, because this launcher allows it (demo mode). NEVER do this with real data.");
        LOG.warn("==================================================================================");
    }

    private static void requireFreePort(int port) {
        if (port == 0) return;
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true); // as Jetty binds
            probe.bind(new InetSocketAddress(port));
        } catch (IOException e) {
            String reason = String.valueOf(e.getMessage());
            throw new StartupException(reason.contains("in use") ? portTaken(port) : "cannot listen on port " + port + ": " + reason);
        }
    }

    private static String portTaken(int port) {
        return "port " + port + " is already in use";
    }

    /** A started server. Closing it stops HTTP, closes the pool and then the hook. */
    public static final class Running implements AutoCloseable {
        private final Javalin app;
        private final ServeHook hook;
        private boolean closed;

        private Running(Javalin app, ServeHook hook) {
            this.app = app;
            this.hook = hook;
        }

        /** The HTTP port, also when started on port 0. */
        public int port() {
            return app.port();
        }

        @Override
        public synchronized void close() {
            if (closed) return;
            closed = true;
            try {
                app.stop();
            } finally {
                hook.close(); // after the pool: an embedded database stops last
            }
        }
    }
}
