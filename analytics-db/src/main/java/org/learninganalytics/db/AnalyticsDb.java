package org.learninganalytics.db;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfoService;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.core.api.exception.FlywayValidateException;
import org.flywaydb.core.api.output.MigrateResult;
import org.flywaydb.core.internal.exception.FlywayMigrateException;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.conf.Settings;
import org.jooq.impl.DSL;
import org.learninganalytics.db.analytics.AnalyticType;
import org.learninganalytics.db.analytics.AnalyticsTtls;
import org.learninganalytics.db.internal.JdbcUrls;
import org.learninganalytics.db.internal.Logins;
import org.learninganalytics.db.internal.MigrationReports;
import org.learninganalytics.db.internal.SchemaHistory;
import org.learninganalytics.db.internal.Services;
import org.learninganalytics.db.internal.Shutdowns;
import org.learninganalytics.db.internal.Transactions;
import org.learninganalytics.db.tenancy.Identities;
import org.learninganalytics.db.tenancy.Principal;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

/**
 * Entry point of the library: a connection pool (or the caller's {@link DataSource}), the
 * schema's migrations and the typed services on top.
 *
 * <pre>{@code
 * try (AnalyticsDb db = AnalyticsDb.builder().jdbcUrl(url, user, password).build()) {
 *     db.migrate();
 *     db.system().ingestion().upsertOrganizations(orgs);
 * }
 * }</pre>
 *
 * Thread-safe: build one per database and share it.
 */
public final class AnalyticsDb implements AutoCloseable {

    /** The one schema that holds every object of this service (never {@code public}). */
    public static final String SCHEMA = "analytics";

    /** Where the migrations from {@code migrations/} sit on the classpath. */
    public static final String MIGRATIONS_LOCATION = "classpath:db/migration/analytics";

    static {
        // jOOQ prints a banner and tips on first use; a library should stay quiet.
        if (System.getProperty("org.jooq.no-logo") == null) System.setProperty("org.jooq.no-logo", "true");
        if (System.getProperty("org.jooq.no-tips") == null) System.setProperty("org.jooq.no-tips", "true");
    }

    private final DataSource dataSource;
    private final List<HikariDataSource> ownedPools;
    private final String description;
    private final Transactions transactions;
    private final SystemSession system;
    private final Identities identities;
    private final AnalyticsTtls analyticsTtls;
    private final Shutdowns shutdowns = new Shutdowns();

    private AnalyticsDb(DataSource dataSource, DataSource serviceDataSource, List<HikariDataSource> ownedPools, String description,
                        Duration statementTimeout, Duration lockTimeout, AnalyticsTtls analyticsTtls) {
        this.analyticsTtls = analyticsTtls;
        this.dataSource = dataSource;
        this.ownedPools = ownedPools;
        this.description = description;
        DSLContext userDsl = dsl(dataSource);
        DSLContext serviceDsl = serviceDataSource == dataSource ? userDsl : dsl(serviceDataSource);
        this.transactions = new Transactions(userDsl, serviceDsl, statementTimeout, lockTimeout);
        this.system = new SystemSession(transactions, analyticsTtls, serviceDataSource, shutdowns);
        this.identities = Services.create(Identities.class, transactions);
    }

    private static DSLContext dsl(DataSource dataSource) {
        return DSL.using(dataSource, SQLDialect.POSTGRES, new Settings().withExecuteLogging(false));
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Applies the migrations shipped in this jar to the database (Flyway, schema
     * {@value #SCHEMA}). Safe to call on every start: applied versions are skipped.
     *
     * @return the number of migrations applied by this call
     */
    public int migrate() {
        try {
            MigrateResult result = flyway().migrate();
            return result.migrationsExecuted;
        } catch (FlywayException e) {
            throw migrationFailed(e);
        }
    }

    /**
     * {@link #migrate()}, and what it did: the versions before and after and each migration
     * applied, for an operator to read. Reads the history before and after migrating.
     *
     * @throws DatabaseUnavailableException when the database cannot be reached
     * @throws AnalyticsDbException         when a migration fails or the applied ones do not
     *                                      match this jar's (the message names the migration)
     */
    public MigrationRun migrateAndReport() {
        try {
            Flyway flyway = flyway();
            MigrationInfoService before = flyway.info();
            int lastRank = MigrationReports.lastInstalledRank(before);
            flyway.migrate();
            return MigrationReports.run(before, lastRank, flyway.info());
        } catch (FlywayException e) {
            throw migrationFailed(e);
        }
    }

    private AnalyticsDbException migrationFailed(FlywayException e) {
        String what = "Migrating " + description + " failed";
        if (e instanceof FlywayMigrateException failed && failed.getMigration() != null && failed.getMigration().getScript() != null) {
            what += " at " + failed.getMigration().getScript();
        }
        if (e instanceof FlywayValidateException) {
            // Flyway's message spreads over lines and advises its own repair command; say which migrations and why, in one line.
            MigrationValidation validation;
            try {
                validation = validateMigrations();
            } catch (AnalyticsDbException notReadable) {
                return SchemaHistory.translate(what, e);
            }
            if (!validation.isValid()) {
                return new AnalyticsDbException(what + ": the applied migrations do not match this jar's: "
                        + String.join("; ", validation.problems().stream().map(MigrationValidation.Problem::message).toList()), e);
            }
        }
        return SchemaHistory.translate(what, e);
    }

    /**
     * The schema version the database is at, or {@code null} before the first migration.
     *
     * @throws DatabaseUnavailableException when the database cannot be reached
     * @throws AnalyticsDbException         when its migration history cannot be read
     */
    public String schemaVersion() {
        return schemaStatus().currentVersion();
    }

    /**
     * Whether the database's schema is at this jar's version: which migrations it lacks. Works
     * with the serving pool's login (analytics_app) too, which reads the history as
     * {@code analytics_monitor}; a database that was never migrated has every migration pending.
     * Uses two connections at once, as {@link #migrate()} does.
     *
     * @throws DatabaseUnavailableException when the database cannot be reached
     * @throws AnalyticsDbException         when its migration history cannot be read (e.g. the
     *                                      login may not read it)
     */
    public SchemaStatus schemaStatus() {
        try {
            return SchemaHistory.status(flyway(SchemaHistory.readableBy(dataSource)).info());
        } catch (FlywayException e) {
            throw SchemaHistory.translate("Reading the migration history of " + description + " failed", e);
        }
    }

    /**
     * Every migration of the history and of this jar, with its state, and the
     * {@link #schemaStatus()}: what a DBA's {@code info} shows. Reads only, as
     * {@link #schemaStatus()} does (also with the serving pool's login).
     *
     * @throws DatabaseUnavailableException when the database cannot be reached
     * @throws AnalyticsDbException         when its migration history cannot be read
     */
    public MigrationInfo migrationInfo() {
        try {
            MigrationInfoService info = flyway(SchemaHistory.readableBy(dataSource)).info();
            return new MigrationInfo(SchemaHistory.status(info), MigrationReports.migrations(info));
        } catch (FlywayException e) {
            throw SchemaHistory.translate("Reading the migration history of " + description + " failed", e);
        }
    }

    /**
     * Whether the applied migrations are this jar's: checksums, descriptions and types match,
     * none is unknown to this jar, none failed, none was skipped. Pending migrations and those
     * of a newer release are not problems, as at {@link #migrate()}. Reads only, as
     * {@link #schemaStatus()} does.
     *
     * @throws DatabaseUnavailableException when the database cannot be reached
     * @throws AnalyticsDbException         when its migration history cannot be read
     */
    public MigrationValidation validateMigrations() {
        try {
            DataSource reader = SchemaHistory.readableBy(dataSource);
            // Flyway's default ignores only future migrations; pending ones are migrate's work, not a mismatch.
            Flyway flyway = configuration(reader).ignoreMigrationPatterns("*:pending", "*:future").load();
            return MigrationReports.validation(flyway.validateWithResult(), flyway.info());
        } catch (FlywayException e) {
            throw SchemaHistory.translate("Validating the migrations of " + description + " failed", e);
        }
    }

    /**
     * The role this instance's connections log in as, and whether row-level security applies
     * to it: a server should refuse to serve users through a superuser or BYPASSRLS login.
     *
     * @throws DatabaseUnavailableException when the database cannot be reached
     */
    public LoginRole loginRole() {
        return Logins.loginRole(dataSource, description);
    }

    private Flyway flyway() {
        return flyway(dataSource);
    }

    private Flyway flyway(DataSource connections) {
        return configuration(connections).load();
    }

    /** The one Flyway configuration of this library: migrate, info and validate all start from it. */
    private static FluentConfiguration configuration(DataSource connections) {
        return Flyway.configure(AnalyticsDb.class.getClassLoader())
                .dataSource(connections)
                .locations(MIGRATIONS_LOCATION)
                .schemas(SCHEMA)
                .defaultSchema(SCHEMA)
                .createSchemas(true)
                .failOnMissingLocations(true);
    }

    /**
     * The only way to do user-facing work: every call on the returned session is one
     * transaction that runs as {@code principal} under row-level security.
     */
    public UserSession as(Principal principal) {
        return new UserSession(transactions, identities, java.util.Objects.requireNonNull(principal, "principal"), analyticsTtls);
    }

    /**
     * The principal of a user known only by id, e.g. a verified token's {@code sub}: their
     * organization and roles as the database has them (users, user_roles), never as a token
     * claims them. One round trip, read as that user under row-level security, which lets a
     * user read their own rows and nothing more. Pass the result to {@link #as(Principal)}.
     *
     * @return empty when no such user exists
     * @throws DatabaseUnavailableException when the database cannot be reached
     */
    public Optional<Principal> principal(UUID userId) {
        return identities.principal(Objects.requireNonNull(userId, "userId"));
    }

    /**
     * The explicit service path: work done as the service itself, not as a user — ingestion
     * from other microservices, awards they report, jobs. Never hand it user-controlled scope.
     */
    public SystemSession system() {
        return system;
    }

    /**
     * Checks that the database answers a trivial query within {@code timeout}.
     *
     * @throws DatabaseUnavailableException when it does not
     */
    public void checkReady(Duration timeout) {
        try (Connection connection = dataSource.getConnection()) {
            if (!connection.isValid((int) Math.max(1, timeout.toSeconds()))) {
                throw new DatabaseUnavailableException(description + " did not answer within " + timeout, null);
            }
        } catch (SQLException e) {
            throw new DatabaseUnavailableException(description + " is not reachable: " + e.getMessage(), e);
        }
    }

    /**
     * Stops the job schedulers started on it, then closes the pools this instance created; a
     * caller's {@link DataSource} is left open.
     */
    @Override
    public void close() {
        shutdowns.closeAll();
        ownedPools.forEach(HikariDataSource::close);
    }

    @Override
    public String toString() {
        return "AnalyticsDb[" + description + "]";
    }

    /** Builds an {@link AnalyticsDb}. Not thread-safe. */
    public static final class Builder {
        /** Defaults of the bounds of user work (README: Security model). */
        public static final Duration DEFAULT_USER_STATEMENT_TIMEOUT = Duration.ofSeconds(5);
        public static final Duration DEFAULT_USER_LOCK_TIMEOUT = Duration.ofSeconds(2);

        private final Login main = new Login();
        private final Login service = new Login();
        private int maximumPoolSize = 10;
        private int serviceMaximumPoolSize = 6;
        private Duration connectionTimeout = Duration.ofSeconds(5);
        private String applicationName = "analytics-db";
        private Duration userStatementTimeout = DEFAULT_USER_STATEMENT_TIMEOUT;
        private Duration userLockTimeout = DEFAULT_USER_LOCK_TIMEOUT;
        private com.zaxxer.hikari.metrics.MetricsTrackerFactory poolMetrics;
        private AnalyticsTtls analyticsTtls = AnalyticsTtls.defaults();

        /** One way to connect: the caller's pool, or a URL and login for a pool of our own. */
        private static final class Login {
            DataSource dataSource;
            String jdbcUrl;
            String user;
            String password;

            boolean isSet() {
                return dataSource != null || jdbcUrl != null;
            }
        }

        private Builder() {
        }

        /**
         * Use the caller's pool; {@link AnalyticsDb#close()} will not close it. Its login must be
         * able to switch to the RLS subject roles (and, without a {@link #serviceDataSource}, to
         * the service role): {@code analytics_app}, or {@code analytics_app_user} with a service pool.
         */
        public Builder dataSource(DataSource dataSource) {
            main.dataSource = Objects.requireNonNull(dataSource, "dataSource");
            return this;
        }

        /**
         * Where the pools this builder creates report their metrics, e.g. HikariCP's
         * {@code MicrometerMetricsTrackerFactory}. Pools given as a {@link DataSource} are the caller's to instrument.
         */
        public Builder poolMetrics(com.zaxxer.hikari.metrics.MetricsTrackerFactory factory) {
            this.poolMetrics = Objects.requireNonNull(factory, "factory");
            return this;
        }

        /** Create a HikariCP pool for this URL; {@code user} and {@code password} may be null. */
        public Builder jdbcUrl(String jdbcUrl, String user, String password) {
            main.jdbcUrl = Objects.requireNonNull(jdbcUrl, "jdbcUrl");
            main.user = user;
            main.password = password;
            return this;
        }

        /**
         * A separate pool for the service path ({@link AnalyticsDb#system()}), whose login is a
         * member of {@code analytics_service} only (e.g. {@code analytics_app_service}). Then the
         * main pool's login need not be able to become the service, so an injection on a user
         * path cannot either. Without it, the main pool does both.
         */
        public Builder serviceDataSource(DataSource dataSource) {
            service.dataSource = Objects.requireNonNull(dataSource, "dataSource");
            return this;
        }

        /** {@link #serviceDataSource} as a pool of our own for this URL and login. */
        public Builder serviceJdbcUrl(String jdbcUrl, String user, String password) {
            service.jdbcUrl = Objects.requireNonNull(jdbcUrl, "jdbcUrl");
            service.user = user;
            service.password = password;
            return this;
        }

        public Builder maximumPoolSize(int maximumPoolSize) {
            if (maximumPoolSize < 1) throw new IllegalArgumentException("maximumPoolSize must be at least 1");
            this.maximumPoolSize = maximumPoolSize;
            return this;
        }

        /**
         * Size of the service pool created by {@link #serviceJdbcUrl} (default 6: a running job
         * holds one connection for its lock besides those of its work, and a scheduler of two
         * threads polls meanwhile).
         */
        public Builder serviceMaximumPoolSize(int maximumPoolSize) {
            if (maximumPoolSize < 1) throw new IllegalArgumentException("serviceMaximumPoolSize must be at least 1");
            this.serviceMaximumPoolSize = maximumPoolSize;
            return this;
        }

        /** How long to wait for a connection (also the fail-fast limit at start-up). */
        public Builder connectionTimeout(Duration connectionTimeout) {
            if (connectionTimeout.toMillis() < 250) throw new IllegalArgumentException("connectionTimeout must be at least 250 ms");
            this.connectionTimeout = connectionTimeout;
            return this;
        }

        public Builder applicationName(String applicationName) {
            this.applicationName = Objects.requireNonNull(applicationName, "applicationName");
            return this;
        }

        /**
         * The longest a statement of user work may run (default 5 s); then it is cancelled and
         * the call fails with {@link QueryTimeoutException}. Service work is not bounded by it.
         */
        public Builder userStatementTimeout(Duration timeout) {
            this.userStatementTimeout = positive(timeout, "userStatementTimeout");
            return this;
        }

        /** The longest user work may wait for a lock (default 2 s); then {@link QueryTimeoutException}. */
        public Builder userLockTimeout(Duration timeout) {
            this.userLockTimeout = positive(timeout, "userLockTimeout");
            return this;
        }

        /**
         * How long a computed learner analytic is served before the next read computes it again
         * (1 minute to 7 days: the seed keeps personal analytics "hot" 7 days). Defaults: {@link AnalyticType#defaultTtl()} — velocity 6 h, skill
         * gaps 12 h, engagement 1 h, mastery 12 h, performance 6 h, content effectiveness 24 h.
         */
        public Builder analyticsTtl(AnalyticType type, Duration ttl) {
            this.analyticsTtls = analyticsTtls.with(type, ttl);
            return this;
        }

        private static Duration positive(Duration timeout, String name) {
            if (timeout == null || timeout.toMillis() < 1) throw new IllegalArgumentException(name + " must be at least 1 ms");
            return timeout;
        }

        /**
         * @throws DatabaseUnavailableException when a pool is created and the database does not
         *         answer within the connection timeout (fail fast, password masked)
         */
        public AnalyticsDb build() {
            if ((main.dataSource == null) == (main.jdbcUrl == null)) {
                throw new IllegalStateException("Set exactly one of dataSource(...) or jdbcUrl(...)");
            }
            if (service.dataSource != null && service.jdbcUrl != null) {
                throw new IllegalStateException("Set at most one of serviceDataSource(...) or serviceJdbcUrl(...)");
            }
            List<HikariDataSource> owned = new ArrayList<>();
            try {
                DataSource mainPool = main.dataSource != null ? main.dataSource : pool(main, "analytics-db", maximumPoolSize, owned);
                DataSource servicePool = !service.isSet() ? mainPool
                        : service.dataSource != null ? service.dataSource : pool(service, "analytics-db-service", serviceMaximumPoolSize, owned);
                String description = main.dataSource != null ? "the given DataSource" : JdbcUrls.maskPassword(main.jdbcUrl);
                return new AnalyticsDb(mainPool, servicePool, List.copyOf(owned), description, userStatementTimeout, userLockTimeout, analyticsTtls);
            } catch (RuntimeException e) {
                owned.forEach(HikariDataSource::close);
                throw e;
            }
        }

        private HikariDataSource pool(Login login, String name, int size, List<HikariDataSource> owned) {
            String masked = JdbcUrls.maskPassword(login.jdbcUrl);
            HikariConfig config = new HikariConfig();
            config.setPoolName(name);
            config.setJdbcUrl(login.jdbcUrl);
            config.setUsername(login.user);
            config.setPassword(login.password);
            config.setMaximumPoolSize(size);
            config.setMinimumIdle(Math.min(2, size));
            config.setConnectionTimeout(connectionTimeout.toMillis());
            config.setValidationTimeout(Math.min(connectionTimeout.toMillis(), 2_000));
            config.setInitializationFailTimeout(connectionTimeout.toMillis());
            config.setIdleTimeout(Duration.ofMinutes(10).toMillis());
            config.setMaxLifetime(Duration.ofMinutes(30).toMillis());
            config.addDataSourceProperty("ApplicationName", applicationName);
            if (poolMetrics != null) config.setMetricsTrackerFactory(poolMetrics);
            config.addDataSourceProperty("connectTimeout", String.valueOf(Math.max(1, connectionTimeout.toSeconds())));
            try {
                HikariDataSource pool = new HikariDataSource(config);
                owned.add(pool);
                return pool;
            } catch (RuntimeException e) {
                throw new DatabaseUnavailableException("Cannot connect to " + masked + " as " + login.user + ": " + rootMessage(e), e,
                        login.user);
            }
        }

        private static String rootMessage(Throwable e) {
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) root = root.getCause();
            return root.getMessage();
        }
    }
}
