package com.casarerpa.orchestrator.api;

import com.casarerpa.orchestrator.domain.Role;
import io.javalin.security.RouteRole;
import java.util.Optional;

/**
 * The access a route needs; every route declares exactly one when it is registered:
 * {@code routes.get("/api/v1/workflows", handler, Access.VIEWER)}. A route without one needs an
 * admin (secure by default).
 */
public enum Access implements RouteRole {
    /** No credentials ({@code /health}, {@code /ready}, the OpenAPI document). */
    PUBLIC(null),
    VIEWER(Role.VIEWER),
    OPERATOR(Role.OPERATOR),
    ADMIN(Role.ADMIN),
    /** Robot endpoints: a robot key (for its own robot) or an admin. */
    ROBOT(Role.ROBOT),
    /**
     * The webhook receiving route ({@code POST /webhooks/{id}}) only: no API key, because the
     * callers are outside systems; the request authenticates itself with its webhook's
     * HMAC signature or key, checked by the route. Rate-limited per client address.
     */
    WEBHOOK(null),
    /**
     * {@code GET /metrics} only: open without a key to the client networks of
     * {@code metrics.open_to} unless the request was forwarded by a proxy; otherwise any viewer,
     * operator or admin key or token. Not rate limited per key (docs/monitoring.md).
     */
    METRICS(Role.VIEWER);

    private final Role required;

    Access(Role required) {
        this.required = required;
    }

    /** The role a caller's role must grant; empty for public and webhook routes. */
    public Optional<Role> required() {
        return Optional.ofNullable(required);
    }
}
