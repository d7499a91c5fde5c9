package org.learninganalytics.http.internal;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

import org.learninganalytics.db.tenancy.Principal;
import org.learninganalytics.http.auth.InvalidTokenException;
import org.learninganalytics.http.auth.TokenVerifier;
import org.learninganalytics.http.auth.VerifiedToken;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import io.javalin.http.Context;
import io.javalin.security.RouteRole;

/**
 * Runs before every matched route: checks the bearer token against the route's {@link Access}
 * and resolves the caller. The token is verified before anything touches the database; the
 * user's organization and roles then come from the database, never from the token. Principals
 * are cached for a few seconds (row-level security checks roles in the database again on every
 * query, so a stale entry can only pick the less privileged of the two subject roles for that long).
 */
public final class Authentication {

    static final String PRINCIPAL = "analytics.principal";
    static final String SERVICE = "analytics.service";
    static final String USER_ID = "analytics.userId";
    private static final Duration PRINCIPAL_TTL = Duration.ofSeconds(5);

    private final TokenVerifier verifier;
    private final Function<UUID, Optional<Principal>> lookup;
    private final TokenRejections rejections;
    private final Cache<UUID, Optional<Principal>> principals = Caffeine.newBuilder()
            .expireAfterWrite(PRINCIPAL_TTL)
            .maximumSize(100_000)
            .build();

    /** {@code lookup}: the principal of a user id, from the database ({@code AnalyticsDb::principal}). */
    public Authentication(TokenVerifier verifier, Function<UUID, Optional<Principal>> lookup, TokenRejections rejections) {
        this.verifier = verifier;
        this.lookup = lookup;
        this.rejections = rejections;
    }

    public void check(Context ctx) {
        Set<RouteRole> roles = ctx.routeRoles();
        if (roles.isEmpty() || roles.contains(Access.PUBLIC)) return;
        VerifiedToken token;
        try {
            if (verifier == null) {
                throw new InvalidTokenException(InvalidTokenException.Reason.MISSING, "This server has no token keys configured.");
            }
            token = verifier.verify(ctx.header("Authorization"));
        } catch (InvalidTokenException e) {
            rejections.rejected(e.reason().tag());
            ProblemType type = e.reason().httpStatus() == 503 ? ProblemType.UNAVAILABLE : ProblemType.UNAUTHORIZED;
            Map<String, String> headers = new HashMap<>();
            e.wwwAuthenticate().ifPresent(challenge -> headers.put("WWW-Authenticate", challenge));
            if (type == ProblemType.UNAVAILABLE) headers.put("Retry-After", "5");
            throw new ApiException(type, e.getMessage(), List.of(), headers);
        }
        switch (token) {
            case VerifiedToken.ServiceToken service -> {
                if (!roles.contains(Access.SERVICE)) {
                    throw new ApiException(ProblemType.FORBIDDEN, "The service token may call the service and admin routes only; user routes need a user's token.");
                }
                ctx.attribute(SERVICE, Boolean.TRUE);
            }
            case VerifiedToken.UserToken user -> {
                if (!roles.contains(Access.USER)) {
                    throw new ApiException(ProblemType.FORBIDDEN, "This route is for the service only.");
                }
                ctx.attribute(USER_ID, user.userId().toString());
                Principal principal = principals.get(user.userId(), lookup)
                        .orElseThrow(() -> new ApiException(ProblemType.FORBIDDEN, "The token's subject is not a known user."));
                ctx.attribute(PRINCIPAL, principal);
            }
        }
    }

    /** Counts rejected tokens by reason (metrics); a no-op by default. */
    @FunctionalInterface
    public interface TokenRejections {
        TokenRejections NONE = reason -> { };

        void rejected(String reason);
    }
}
