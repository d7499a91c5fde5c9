package org.learninganalytics.http;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.learninganalytics.db.AnalyticsDb;
import org.learninganalytics.db.AnalyticsDbException;
import org.learninganalytics.db.jobs.JobScheduler;
import org.learninganalytics.db.jobs.JobSettings;
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
    /** How often a scheduler that waits for the schema checks it. */
    private static final java.time.Duration SCHEMA_CHECK = java.time.Duration.ofSeconds(30);

    @Mixin
    DatabaseOptions database = new DatabaseOptions();

    @Mixin
    HttpOptions http = new HttpOptions();

    @Mixin
    AuthOptions auth = new AuthOptions();

    @Mixin
    JobOptions jobs = new JobOptions();

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
        JobSettings jobSettings = jobs.enabled() ? jobs.settings() : null; // and bad job settings
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
                AutoCloseable jobsStarting;
                try {
                    jobsStarting = startJobs(db, jobSettings);
                } catch (RuntimeException e) {
                    app.stop(); // closes the pool too
                    throw e;
                }
                LOG.info("Serving on http://localhost:{} (API documentation: /docs)", app.port());
                hook.started(app.port());
                return new Running(app, hook, jobsStarting);
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

    /**
     * The scheduler of the jobs, unless this instance only serves; it stops when the server
     * closes the pool. On a schema that is not migrated yet (--no-migrate), it starts once the
     * DBA migrated it: its table may not exist before.
     */
    private static AutoCloseable startJobs(AnalyticsDb db, JobSettings settings) {
        if (settings == null) {
            LOG.info("Jobs: off on this instance (ANALYTICS_JOBS_ENABLED=false); other instances run them, or run-job does");
            return () -> { };
        }
        if (schemaIsCurrent(db)) {
            startScheduler(db, settings);
            return () -> { };
        }
        LOG.warn("Jobs: the schema is not migrated yet; the scheduler starts once it is (checked every {} s)", SCHEMA_CHECK.toSeconds());
        ScheduledExecutorService watcher = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "analytics-jobs-start");
            thread.setDaemon(true);
            return thread;
        });
        watcher.scheduleWithFixedDelay(() -> {
            if (!schemaIsCurrent(db)) return;
            try {
                startScheduler(db, settings);
            } catch (AnalyticsDbException e) {
                LOG.error("Jobs: cannot start the scheduler: {}", e.getMessage());
            }
            watcher.shutdown();
        }, SCHEMA_CHECK.toMillis(), SCHEMA_CHECK.toMillis(), TimeUnit.MILLISECONDS);
        return () -> {
            watcher.shutdownNow();
            watcher.awaitTermination(10, TimeUnit.SECONDS); // before the pool closes
        };
    }

    private static void startScheduler(AnalyticsDb db, JobSettings settings) {
        JobScheduler scheduler = db.system().jobs().start(settings);
        LOG.info("Jobs: scheduled as instance {}: {}", scheduler.instanceName(), scheduler.schedules());
    }

    private static boolean schemaIsCurrent(AnalyticsDb db) {
        try {
            return db.schemaStatus().isCurrent();
        } catch (AnalyticsDbException e) {
            return false;
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
        private final AutoCloseable jobsStarting;
        private boolean closed;

        private Running(Javalin app, ServeHook hook, AutoCloseable jobsStarting) {
            this.app = app;
            this.hook = hook;
            this.jobsStarting = jobsStarting;
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
                jobsStarting.close(); // a scheduler that waits for the schema must not start on a closing pool
            } catch (Exception e) {
                LOG.warn("Jobs: {}", e.toString());
            }
            try {
                app.stop();
            } finally {
                hook.close(); // after the pool: an embedded database stops last
            }
        }
    }
}
