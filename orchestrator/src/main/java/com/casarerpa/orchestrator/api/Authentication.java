package com.casarerpa.orchestrator.api;

import com.casarerpa.orchestrator.config.NetworkRange;
import com.casarerpa.orchestrator.domain.Actor;
import com.casarerpa.orchestrator.domain.AuditTrail;
import com.casarerpa.orchestrator.domain.Permission;
import com.casarerpa.orchestrator.service.Authenticator;
import com.casarerpa.orchestrator.service.Caller;
import com.casarerpa.orchestrator.service.NotAuthenticated;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.MDC;

/**
 * Runs before every matched route: finds the route's {@link Access}, authenticates the caller
 * (an API key or a JWT, as {@code Authorization: Bearer …} or {@code X-API-Key: …}; without
 * either, the dashboard's session cookie, which needs {@code X-CSRF-Token} on unsafe methods:
 * 403 {@code csrf_failed} otherwise), applies the rate limit, and checks the permission. 401 when credentials are missing or bad, 403 when the
 * role does not grant the route; 429 before any lookup for an address that has had too many
 * credentials refused, unless its credential was accepted recently ({@link RateLimits#beforeCredentials}).
 *
 * <p>{@link Access#METRICS} ({@code /metrics}) needs no credentials from the networks of
 * {@code metrics.open_to} ({@link MetricsAccess}); elsewhere it takes any viewer, operator or
 * admin credential and draws on no key's budget.
 */
public final class Authentication implements RouteGroup {
    private final Authenticator authenticator;
    private final RateLimits rateLimits;
    private final List<NetworkRange> metricsOpenTo;

    /** @param metricsOpenTo the client networks that read {@code /metrics} without a key */
    public Authentication(Authenticator authenticator, RateLimits rateLimits, List<NetworkRange> metricsOpenTo) {
        this.authenticator = authenticator;
        this.rateLimits = rateLimits;
        this.metricsOpenTo = List.copyOf(metricsOpenTo);
    }

    @Override
    public void register(RoutesConfig routes) {
        routes.beforeMatched(this::authenticate);
    }

    private void authenticate(Context ctx) {
        // What the audit trail records as the client address (the same one rate limits count by).
        MDC.put(AuditTrail.CLIENT_ADDRESS, RequestOrigin.of(ctx).clientAddress());
        Access access = accessOf(ctx);
        if (access.kind() == Access.Kind.PUBLIC) {
            return;
        }
        if (access.kind() == Access.Kind.WEBHOOK) {
            // Its own authentication (signature or key), checked by the route; any API key sent is ignored.
            rateLimits.enforce(ctx, access, Optional.empty());
            return;
        }
        if (access.kind() == Access.Kind.METRICS && MetricsAccess.openWithoutKey(ctx, metricsOpenTo)) {
            return;
        }
        Optional<String> credential = credential(ctx);
        // The dashboard's cookie counts only when no header credential is sent.
        Optional<String> cookie = credential.isEmpty() ? SessionCookie.read(ctx) : Optional.empty();
        Optional<String> offered = credential.or(() -> cookie);
        rateLimits.beforeCredentials(ctx, offered);
        Caller caller;
        try {
            if (credential.isPresent()) {
                caller = authenticator.caller(credential.get());
            } else if (cookie.isPresent()) {
                caller = authenticator.sessionCookie(cookie.get());
            } else {
                throw new NotAuthenticated("credentials required: send 'Authorization: Bearer <API key or token>' or"
                        + " 'X-API-Key: <API key>' (or sign in: POST /api/v1/auth/login)");
            }
        } catch (NotAuthenticated e) {
            rateLimits.credentialsRefused(ctx);
            throw e;
        }
        rateLimits.credentialsAccepted(offered.get());
        if (cookie.isPresent() && SessionCookie.unsafeMethod(ctx) && !caller.csrfMatches(ctx.header(SessionCookie.CSRF_HEADER))) {
            throw new ApiError(403, "csrf_failed", "a request authenticated by the session cookie that changes something must"
                    + " carry the session's CSRF token (the cookie " + SessionCookie.CSRF_COOKIE + ", also csrf_token of the sign-in"
                    + " answer) in the " + SessionCookie.CSRF_HEADER + " header",
                    Map.of("header", SessionCookie.CSRF_HEADER));
        }
        Actor actor = caller.actor();
        if (access.kind() != Access.Kind.METRICS) {
            rateLimits.enforce(ctx, access, Optional.of(actor));
        }
        Permission required = access.required();
        if (access.kind() != Access.Kind.SIGNED_IN && !actor.grants().allowsSomewhere(required)) {
            throw new ApiError(403, "forbidden", "this route needs the " + required.wireName() + " permission, which "
                    + actor.kind() + " " + actor.id() + " holds in no folder",
                    Map.of("required_permission", required.wireName()));
        }
        Callers.set(ctx, caller, cookie.isPresent());
        MDC.put("actor", actor.id());
    }

    /** The credential of a request, from either header; also used by the token exchange. */
    static Optional<String> credential(Context ctx) {
        return Authenticator.fromHeaders(ctx.header("Authorization"), ctx.header("X-API-Key"));
    }

    private static Access accessOf(Context ctx) {
        return ctx.routeRoles().stream()
                .filter(Access.class::isInstance)
                .map(Access.class::cast)
                .findFirst()
                // No route at all: a file of the dashboard, its page for a deep link, or a 404; none holds
                // data, and before the dashboard's files were served these never got here. A route
                // that forgot to declare its access is still closed to all but admins.
                .orElse(ctx.endpoints().matchedHttpEndpoint() == null ? Access.PUBLIC : Access.to(Permission.API_KEY_MANAGE));
    }
}
