package org.learninganalytics.http;

import java.time.Duration;
import java.util.regex.Pattern;

import org.learninganalytics.db.AnalyticsDb;
import org.learninganalytics.db.AnalyticsDbException;
import org.learninganalytics.db.DatabaseUnavailableException;
import org.learninganalytics.http.internal.ConnectionFailures;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Where the database is and which logins the server uses: a picocli mixin whose every value
 * may come from the environment. Launchers that wrap the server (the demo jar) may point it
 * elsewhere before migrating. Not thread-safe.
 */
public final class DatabaseOptions {

    private static final Logger LOG = LoggerFactory.getLogger(DatabaseOptions.class);
    private static final Pattern PASSWORD_PARAM = Pattern.compile("(?i)(password=)[^&;]*");
    private static final Pattern USER_INFO = Pattern.compile("(//[^/:@]+:)[^@/]*@");

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    @Option(names = "--db-url", defaultValue = "${env:ANALYTICS_DB_URL:-jdbc:postgresql://127.0.0.1:5432/analytics}",
            description = "JDBC URL (env ANALYTICS_DB_URL, default ${DEFAULT-VALUE})")
    String url;

    @Option(names = "--db-user", defaultValue = "${env:ANALYTICS_DB_USER:-analytics_app}",
            description = "login role of the serving pool: no superuser, no BYPASSRLS (env ANALYTICS_DB_USER, default ${DEFAULT-VALUE})")
    String user;

    @Option(names = "--db-password", defaultValue = "${env:ANALYTICS_DB_PASSWORD}",
            description = "its password (env ANALYTICS_DB_PASSWORD)")
    String password;

    @Option(names = "--db-service-user", defaultValue = "${env:ANALYTICS_DB_SERVICE_USER}",
            description = "login of a separate pool for the service path (ingestion, awards from services, jobs), e.g."
                    + " analytics_app_service; unset: the serving login does both (env ANALYTICS_DB_SERVICE_USER)")
    String serviceUser;

    @Option(names = "--db-service-password", defaultValue = "${env:ANALYTICS_DB_SERVICE_PASSWORD}",
            description = "its password (env ANALYTICS_DB_SERVICE_PASSWORD)")
    String servicePassword;

    @Option(names = "--user-statement-timeout-ms", defaultValue = "${env:ANALYTICS_USER_STATEMENT_TIMEOUT_MS:-5000}",
            description = "longest a statement of a user's request may run (env ANALYTICS_USER_STATEMENT_TIMEOUT_MS, default ${DEFAULT-VALUE})")
    long userStatementTimeoutMs;

    @Option(names = "--user-lock-timeout-ms", defaultValue = "${env:ANALYTICS_USER_LOCK_TIMEOUT_MS:-2000}",
            description = "longest a user's request may wait for a lock (env ANALYTICS_USER_LOCK_TIMEOUT_MS, default ${DEFAULT-VALUE})")
    long userLockTimeoutMs;

    @Option(names = "--migration-user", defaultValue = "${env:ANALYTICS_DB_MIGRATION_USER:-postgres}",
            description = "role that runs migrations: a member of analytics_owner with CREATEROLE, or a superuser"
                    + " (env ANALYTICS_DB_MIGRATION_USER, default ${DEFAULT-VALUE})")
    String migrationUser;

    @Option(names = "--migration-password", defaultValue = "${env:ANALYTICS_DB_MIGRATION_PASSWORD}",
            description = "its password (env ANALYTICS_DB_MIGRATION_PASSWORD)")
    String migrationPassword;

    public String url() {
        return url;
    }

    /** Points the server at another database, e.g. one the launcher started. */
    public void url(String jdbcUrl) {
        this.url = jdbcUrl;
    }

    /** Whether the URL was given (option or environment) rather than left at its default. */
    public boolean urlConfigured() {
        return System.getenv("ANALYTICS_DB_URL") != null
                || command != null && command.commandLine() != null && command.commandLine().getParseResult() != null
                        && command.commandLine().getParseResult().hasMatchedOption("--db-url");
    }

    /** The serving pool's login. */
    public String user() {
        return user;
    }

    public String password() {
        return password;
    }

    /** The login that runs migrations. */
    public String migrationUser() {
        return migrationUser;
    }

    public void migrationUser(String login) {
        this.migrationUser = login;
    }

    public String migrationPassword() {
        return migrationPassword;
    }

    /** The URL with any password replaced by {@code ***}, for logs and messages. */
    public String maskedUrl() {
        return maskPassword(url);
    }

    /** {@code jdbcUrl} with any password replaced by {@code ***}, for logs and messages. */
    public static String maskPassword(String jdbcUrl) {
        if (jdbcUrl == null) return null;
        String masked = PASSWORD_PARAM.matcher(jdbcUrl).replaceAll("$1***");
        return USER_INFO.matcher(masked).replaceAll("$1***@");
    }

    /**
     * The serving pool: the server's connections, as the serving login.
     *
     * @throws DatabaseUnavailableException naming the login and why it cannot connect
     */
    public AnalyticsDb openServing() {
        return openServing(null);
    }

    /** The serving pool, reporting to {@code poolMetrics} when it is not null. */
    public AnalyticsDb openServing(com.zaxxer.hikari.metrics.MetricsTrackerFactory poolMetrics) {
        try {
            AnalyticsDb.Builder builder = AnalyticsDb.builder()
                    .jdbcUrl(url, user, password)
                    .maximumPoolSize(10)
                    .applicationName("analytics-http")
                    .connectionTimeout(Duration.ofSeconds(5))
                    .userStatementTimeout(Duration.ofMillis(userStatementTimeoutMs))
                    .userLockTimeout(Duration.ofMillis(userLockTimeoutMs));
            if (serviceUser != null && !serviceUser.isBlank()) {
                builder.serviceJdbcUrl(url, serviceUser, servicePassword);
            }
            if (poolMetrics != null) builder.poolMetrics(poolMetrics);
            return builder.build();
        } catch (DatabaseUnavailableException e) {
            boolean serviceFailed = serviceUser != null && !serviceUser.isBlank() && !serviceUser.equals(user)
                    && e.login().filter(serviceUser::equals).isPresent();
            String failed = serviceFailed ? "the service login " + serviceUser : "the serving login " + user;
            throw new DatabaseUnavailableException(failed + " cannot connect to " + maskedUrl()
                    + ": " + ConnectionFailures.describe(e, url), e, serviceFailed ? serviceUser : user);
        } catch (IllegalArgumentException e) {
            throw new AnalyticsDbException(AnalyticsDbException.Kind.INVALID_INPUT, "invalid setting: " + e.getMessage(), e);
        }
    }

    /**
     * Applies the migrations as the migration login, on a short-lived pool of its own.
     *
     * @throws AnalyticsDbException naming the login when it cannot connect or migrate
     */
    public void migrate() {
        try (AnalyticsDb owner = openMigrationLogin()) {
            int applied;
            try {
                applied = owner.migrate();
            } catch (AnalyticsDbException e) {
                throw couldNot("migrate", e);
            }
            LOG.info("Database {} at schema version {} ({} migrations applied now)", maskedUrl(), owner.schemaVersion(), applied);
        }
    }

    /**
     * Runs {@code work} as the migration login on a short-lived pool of its own (the DBA
     * commands' connection); {@code what} says what it does, for the failure's message.
     *
     * @throws AnalyticsDbException naming the login when it cannot connect or {@code work} fails
     */
    <T> T asMigrationLogin(String what, java.util.function.Function<AnalyticsDb, T> work) {
        try (AnalyticsDb owner = openMigrationLogin()) {
            try {
                return work.apply(owner);
            } catch (AnalyticsDbException e) {
                throw couldNot(what, e);
            }
        }
    }

    private AnalyticsDbException couldNot(String what, AnalyticsDbException e) {
        String message = "the migration login " + migrationUser + " could not " + what + ": " + e.getMessage();
        return e instanceof DatabaseUnavailableException ? new DatabaseUnavailableException(message, e, migrationUser)
                : new AnalyticsDbException(e.kind(), message, e);
    }

    private AnalyticsDb openMigrationLogin() {
        return open("migration", migrationUser, migrationPassword, 2); // Flyway reads with two connections at once
    }

    private AnalyticsDb open(String purpose, String login, String secret, int poolSize) {
        try {
            return AnalyticsDb.builder()
                    .jdbcUrl(url, login, secret)
                    .maximumPoolSize(poolSize)
                    .applicationName("analytics-http")
                    .connectionTimeout(Duration.ofSeconds(5))
                    .build();
        } catch (DatabaseUnavailableException e) {
            throw new DatabaseUnavailableException("the " + purpose + " login " + login + " cannot connect to " + maskedUrl()
                    + ": " + ConnectionFailures.describe(e, url), e);
        }
    }
}
