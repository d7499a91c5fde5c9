package org.learninganalytics.http.auth;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * A request's bearer token was refused. The message is the {@link Reason}'s (unless a caller
 * gave another) and is safe to send to the client: it never repeats the token or any of its claims. Unchecked, so an HTTP
 * exception handler can map it in one place: {@link Reason#httpStatus()} and
 * {@link #wwwAuthenticate()}. No stack trace is filled in (refusals are routine and may be
 * many); a JWKS failure keeps its cause for the log.
 */
public final class InvalidTokenException extends RuntimeException {

    /** Why a token was refused. {@link #tag()} is a stable lowercase name for metrics and logs. */
    public enum Reason {
        /** No {@code Authorization: Bearer} credentials. */
        MISSING("An Authorization header with a Bearer token is required."),
        /** Not a compact JWS, or its header or claims are not valid JSON of the right types. */
        MALFORMED("The bearer token is not a well-formed JWT."),
        /** {@code alg: none}, an encrypted token, an algorithm other than HS256/RS256/ES256, or one this server has no key for. */
        UNSUPPORTED_ALGORITHM("The bearer token's signing algorithm is not accepted."),
        /** The signature does not verify with the server's key. */
        BAD_SIGNATURE("The bearer token's signature is invalid."),
        /** No key of the JWKS matches the token's {@code kid}, even after fetching the JWKS again. */
        UNKNOWN_KEY("The bearer token was signed with an unknown key."),
        /** The JWKS could not be fetched: the server's problem, not the client's (503). */
        KEYS_UNAVAILABLE("The keys to verify the bearer token are not available; try again later."),
        /** {@code exp} is more than the leeway in the past. */
        EXPIRED("The bearer token has expired."),
        /** {@code nbf} is more than the leeway in the future. */
        NOT_YET_VALID("The bearer token is not valid yet."),
        /** {@code iat} is more than the leeway in the future. */
        ISSUED_IN_FUTURE("The bearer token was issued in the future; check the issuer's clock."),
        /** No {@code exp} claim: tokens that never expire are refused. */
        MISSING_EXPIRY("The bearer token has no expiry (exp)."),
        /** {@code iss} is not the configured issuer. */
        WRONG_ISSUER("The bearer token was issued by an issuer this server does not trust."),
        /** {@code aud} does not contain the configured audience. */
        WRONG_AUDIENCE("The bearer token is not meant for this server (audience)."),
        /** A user token whose {@code sub} is missing or not a UUID. */
        BAD_SUBJECT("The bearer token's subject (sub) is not a user id.");

        private final String message;

        Reason(String message) {
            this.message = message;
        }

        /** The client-safe sentence sent as the problem's detail. */
        public String message() {
            return message;
        }

        /** Lowercase name for metrics and logs, e.g. {@code bad_signature}. */
        public String tag() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** 503 when the keys could not be fetched, 401 otherwise. */
        public int httpStatus() {
            return this == KEYS_UNAVAILABLE ? 503 : 401;
        }
    }

    private final Reason reason;

    public InvalidTokenException(Reason reason) {
        this(reason, (Throwable) null);
    }

    public InvalidTokenException(Reason reason, Throwable cause) {
        super(Objects.requireNonNull(reason, "reason").message(), cause, false, false);
        this.reason = reason;
    }

    /** With another client-safe message than the reason's, e.g. "This server has no token keys configured." */
    public InvalidTokenException(Reason reason, String message) {
        super(Objects.requireNonNull(message, "message"), null, false, false);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public Reason reason() {
        return reason;
    }

    /**
     * The {@code WWW-Authenticate} header for a 401 (RFC 6750): without an error code when no
     * token came, with {@code error="invalid_token"} otherwise; empty for a 503.
     */
    public Optional<String> wwwAuthenticate() {
        return switch (reason) {
            case MISSING -> Optional.of("Bearer");
            case KEYS_UNAVAILABLE -> Optional.empty();
            default -> Optional.of("Bearer error=\"invalid_token\", error_description=\"" + reason.message() + "\"");
        };
    }
}
