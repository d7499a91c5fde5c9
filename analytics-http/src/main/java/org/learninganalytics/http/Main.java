package org.learninganalytics.http;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import org.learninganalytics.db.AnalyticsDb;
import org.learninganalytics.db.AnalyticsDbException;
import org.learninganalytics.db.internal.JdbcUrls;
import org.learninganalytics.demo.DemoDataGenerator;
import org.learninganalytics.demo.DemoDataReport;
import org.learninganalytics.demo.DemoScale;
import org.postgresql.ds.PGSimpleDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.javalin.Javalin;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Command line of the server jar: {@code serve} (the default) and {@code generate-demo-data}. */
@Command(name = "analytics-http", mixinStandardHelpOptions = true, version = "analytics-http 0.1.0",
        description = "Learning Analytics HTTP server over PostgreSQL.",
        subcommands = {Main.Serve.class, Main.GenerateDemoData.class})
public final class Main implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(Main.class);

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(new CommandLine(new Main()).execute(args));
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(System.err);
        return 2;
    }

    /** Where the database is; every value may come from the environment. */
    static final class DatabaseOptions {
        @Option(names = "--db-url", defaultValue = "${env:ANALYTICS_DB_URL:-jdbc:postgresql://127.0.0.1:5432/analytics}",
                description = "JDBC URL (env ANALYTICS_DB_URL, default ${DEFAULT-VALUE})")
        String url;

        @Option(names = "--db-user", defaultValue = "${env:ANALYTICS_DB_USER:-analytics_app}",
                description = "login role of the serving pool: no superuser, no BYPASSRLS (env ANALYTICS_DB_USER, default ${DEFAULT-VALUE})")
        String user;

        @Option(names = "--db-password", defaultValue = "${env:ANALYTICS_DB_PASSWORD}",
                description = "its password (env ANALYTICS_DB_PASSWORD)")
        String password;

        @Option(names = "--migration-user", defaultValue = "${env:ANALYTICS_DB_MIGRATION_USER:-postgres}",
                description = "role that runs migrations: a member of analytics_owner with CREATEROLE, or a superuser"
                        + " (env ANALYTICS_DB_MIGRATION_USER, default ${DEFAULT-VALUE})")
        String migrationUser;

        @Option(names = "--migration-password", defaultValue = "${env:ANALYTICS_DB_MIGRATION_PASSWORD}",
                description = "its password (env ANALYTICS_DB_MIGRATION_PASSWORD)")
        String migrationPassword;

        AnalyticsDb open() {
            return open(user, password, 10);
        }

        /** Applies the migrations as the migration user, on a short-lived pool of its own. */
        void migrate() {
            try (AnalyticsDb owner = open(migrationUser, migrationPassword, 2)) {
                int applied = owner.migrate();
                LOG.info("Database {} at schema version {} ({} migrations applied now)",
                        JdbcUrls.maskPassword(url), owner.schemaVersion(), applied);
            }
        }

        /** Connections as the serving login, for the demo data generator. */
        javax.sql.DataSource servingDataSource() {
            PGSimpleDataSource dataSource = new PGSimpleDataSource();
            dataSource.setURL(url);
            dataSource.setUser(user);
            dataSource.setPassword(password);
            dataSource.setApplicationName("analytics-http");
            return dataSource;
        }

        private AnalyticsDb open(String login, String secret, int poolSize) {
            return AnalyticsDb.builder()
                    .jdbcUrl(url, login, secret)
                    .maximumPoolSize(poolSize)
                    .applicationName("analytics-http")
                    .connectionTimeout(Duration.ofSeconds(5))
                    .build();
        }
    }

    @Command(name = "serve", mixinStandardHelpOptions = true, description = "Migrate the database and serve HTTP.")
    static final class Serve implements Callable<Integer> {
        /** Demo mode's database when none is configured. */
        static final String DEMO_URL = "jdbc:postgresql://127.0.0.1:5432/analytics_demo";

        @Mixin
        DatabaseOptions database = new DatabaseOptions();

        @Option(names = "--port", defaultValue = "${env:ANALYTICS_HTTP_PORT:-8080}",
                description = "HTTP port (env ANALYTICS_HTTP_PORT, default ${DEFAULT-VALUE})")
        int port;

        @Option(names = "--migrate", negatable = true, defaultValue = "${env:ANALYTICS_MIGRATE_ON_START:-true}",
                description = "apply migrations before serving (env ANALYTICS_MIGRATE_ON_START, default ${DEFAULT-VALUE})")
        boolean migrate;

        @Option(names = "--demo", defaultValue = "${env:ANALYTICS_DEMO:-false}",
                description = "create the database if missing and load demo data into it when empty; with no database"
                        + " configured: analytics_demo on 127.0.0.1:5432, else an embedded PostgreSQL 15 (env ANALYTICS_DEMO)")
        boolean demo;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws InterruptedException {
            if (demo && !urlConfigured()) {
                database.url = DEMO_URL;
                if (!portAnswers("127.0.0.1", 5432)) {
                    try {
                        embedded = EmbeddedDemoPostgres.start();
                    } catch (java.io.IOException e) {
                        LOG.error("Cannot start: {}", e.getMessage());
                        return 1;
                    }
                    database.url = embedded.jdbcUrl();
                    database.migrationUser = "postgres";
                }
            }
            try {
                return serve();
            } finally {
                stopEmbedded();
            }
        }

        private EmbeddedDemoPostgres embedded;

        private synchronized void stopEmbedded() {
            if (embedded != null) {
                closeQuietly(embedded);
                embedded = null;
            }
        }

        private boolean urlConfigured() {
            return System.getenv("ANALYTICS_DB_URL") != null || spec.commandLine().getParseResult().hasMatchedOption("--db-url");
        }

        private Integer serve() throws InterruptedException {
            if (demo) DemoDatabase.createIfMissing(database.url, database.migrationUser, database.migrationPassword);
            AnalyticsDb db;
            try {
                if (migrate) database.migrate();
                db = database.open();
                if (demo) loadDemoData(database);
            } catch (AnalyticsDbException e) {
                LOG.error("Cannot start: {}", e.getMessage());
                return 1;
            }
            Javalin app = AnalyticsServer.create(db);
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                app.stop();
                stopEmbedded(); // before the JVM exits: its data directory is removed on close
                stopped.countDown();
            }, "analytics-http-shutdown"));
            app.start(port);
            LOG.info("Serving on http://localhost:{} (GET /health, GET /ready)", app.port());
            stopped.await();
            return 0;
        }

        private static boolean portAnswers(String host, int port) {
            try (java.net.Socket socket = new java.net.Socket()) {
                socket.connect(new java.net.InetSocketAddress(host, port), 1000);
                return true;
            } catch (java.io.IOException e) {
                return false;
            }
        }

        private static void closeQuietly(EmbeddedDemoPostgres embedded) {
            try {
                embedded.close();
            } catch (java.io.IOException e) {
                LOG.warn("Embedded PostgreSQL did not stop cleanly: {}", e.getMessage());
            }
        }

        private static void loadDemoData(DatabaseOptions database) {
            try {
                DemoDataReport report = new DemoDataGenerator(database.servingDataSource()).generate(DemoScale.demo());
                LOG.info("Demo mode: loaded {} organizations, {} users, {} point transactions in {} ms",
                        report.organizations(), report.users(), report.pointTransactions(), report.elapsed().toMillis());
            } catch (AnalyticsDbException e) {
                LOG.info("Demo mode: keeping existing data ({})", e.getMessage());
            }
        }
    }

    @Command(name = "generate-demo-data", mixinStandardHelpOptions = true,
            description = "Migrate the database and fill it (it must be empty) with reproducible demo data.")
    static final class GenerateDemoData implements Callable<Integer> {
        @Mixin
        DatabaseOptions database = new DatabaseOptions();

        @Option(names = "--organizations", defaultValue = "3") int organizations;
        @Option(names = "--users", defaultValue = "600") int users;
        @Option(names = "--transactions", defaultValue = "60000", description = "point transactions") long transactions;
        @Option(names = "--days", defaultValue = "90") int days;
        @Option(names = "--seed", defaultValue = "42") long seed;
        @Option(names = "--benchmark-scale", description = "50 organizations, 200,000 users, 5,000,000 transactions")
        boolean benchmarkScale;

        @Override
        public Integer call() {
            DemoScale scale = benchmarkScale ? DemoScale.benchmark() : new DemoScale(organizations, users, transactions, days, seed);
            try (AnalyticsDb ignored = migratedAndOpen()) {
                DemoDataReport report = new DemoDataGenerator(database.servingDataSource()).generate(scale);
                System.out.printf("Generated %d organizations, %d users, %d courses, %d enrollments, %d user skills,"
                                + " %d point transactions, %d daily activity rows in %.1f s%n",
                        report.organizations(), report.users(), report.courses(), report.enrollments(), report.userSkills(),
                        report.pointTransactions(), report.dailyActivity(), report.elapsed().toMillis() / 1000.0);
                return 0;
            } catch (AnalyticsDbException e) {
                System.err.println("error: " + e.getMessage());
                return 1;
            }
        }

        private AnalyticsDb migratedAndOpen() {
            database.migrate();
            return database.open();
        }
    }
}
