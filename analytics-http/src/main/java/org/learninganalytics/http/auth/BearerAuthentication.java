package org.learninganalytics.http.auth;

import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

import org.learninganalytics.http.auth.InvalidTokenException.Reason;
import org.learninganalytics.http.internal.ProblemResponses;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.ForbiddenResponse;
import io.javalin.http.Header;
import io.javalin.http.HttpStatus;

/**
 * Javalin glue for a {@link TokenVerifier}: verifies a request's {@code Authorization} header
 * (once per request), tells users from the service, and turns refusals into problem+json.
 * Thread-safe; create one per server.
 */
public final class BearerAuthentication {

    private static final Logger LOG = LoggerFactory.getLogger(BearerAuthentication.class);
    private static final String ATTRIBUTE = BearerAuthentication.class.getName() + ".token";

    private final TokenVerifier verifier;
    private final Consumer<Reason> onRefusal;

    public BearerAuthentication(TokenVerifier verifier) {
        this(verifier, reason -> { });
    }

    /** {@code onRefusal} hears every refusal, e.g. to count it by {@link Reason#tag()}. */
    public BearerAuthentication(TokenVerifier verifier, Consumer<Reason> onRefusal) {
        this.verifier = Objects.requireNonNull(verifier, "verifier");
        this.onRefusal = Objects.requireNonNull(onRefusal, "onRefusal");
    }

    /**
     * The caller, verified from the request's {@code Authorization} header; verified once, then
     * remembered on the request.
     *
     * @throws InvalidTokenException mapped to 401 (or 503) by {@link #install}
     */
    public VerifiedToken authenticate(Context ctx) {
        VerifiedToken known = ctx.attribute(ATTRIBUTE);
        if (known != null) return known;
        VerifiedToken token;
        try {
            token = verifier.verify(ctx.header(Header.AUTHORIZATION));
        } catch (InvalidTokenException e) {
            onRefusal.accept(e.reason());
            throw e;
        }
        ctx.attribute(ATTRIBUTE, token);
        return token;
    }

    /**
     * A user's token, for the learner-facing routes.
     *
     * @throws ForbiddenResponse (403) for the service's token, which has no "me"
     */
    public UserToken requireUser(Context ctx) {
        if (authenticate(ctx) instanceof UserToken user) return user;
        throw new ForbiddenResponse("This route is for users; the service's token has no user.");
    }

    /**
     * The service's token, for the service and admin routes.
     *
     * @throws ForbiddenResponse (403) for a user's token
     */
    public ServiceToken requireService(Context ctx) {
        if (authenticate(ctx) instanceof ServiceToken service) return service;
        throw new ForbiddenResponse("This route needs the service's token.");
    }

    /**
     * Maps {@link InvalidTokenException} to problem+json: 401 with {@code WWW-Authenticate}
     * (RFC 6750), or 503 when the keys could not be fetched. The detail is the reason's
     * client-safe message; the token is never logged.
     */
    public static void install(JavalinConfig config) {
        config.routes.exception(InvalidTokenException.class, (e, ctx) -> {
            Reason reason = e.reason();
            if (reason == Reason.KEYS_UNAVAILABLE) {
                LOG.warn("Bearer token refused during {} {}: {}: {}", ctx.method(), ctx.path(), reason.tag(),
                        e.getCause() == null ? "" : e.getCause().toString());
            } else {
                LOG.debug("Bearer token refused during {} {}: {}", ctx.method(), ctx.path(), reason.tag());
            }
            e.wwwAuthenticate().ifPresent(value -> ctx.header(Header.WWW_AUTHENTICATE, value));
            int status = reason.httpStatus();
            ProblemResponses.send(ctx, status, HttpStatus.forStatus(status).getMessage(), reason.message());
        });
    }

    /** The token {@link #authenticate} verified for this request, if it did. */
    public static Optional<VerifiedToken> verified(Context ctx) {
        return Optional.ofNullable(ctx.attribute(ATTRIBUTE));
    }
}
