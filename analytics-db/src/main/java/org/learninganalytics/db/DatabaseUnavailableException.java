package org.learninganalytics.db;

/**
 * The database could not be reached, did not answer in time, or the pool had no connection to
 * spare within its timeout. The message masks passwords. {@link Kind#UNAVAILABLE}.
 */
public final class DatabaseUnavailableException extends AnalyticsDbException {

    private final String login;

    public DatabaseUnavailableException(String message, Throwable cause) {
        this(message, cause, null);
    }

    /** @param login the login role that could not connect, when one did not */
    public DatabaseUnavailableException(String message, Throwable cause, String login) {
        super(Kind.UNAVAILABLE, message, cause);
        this.login = login;
    }

    /** The login role that could not connect, when the failure was connecting as it (e.g. at start-up). */
    public java.util.Optional<String> login() {
        return java.util.Optional.ofNullable(login);
    }
}
