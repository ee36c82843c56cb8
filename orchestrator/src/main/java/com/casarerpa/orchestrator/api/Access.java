package com.casarerpa.orchestrator.api;

import com.casarerpa.orchestrator.domain.Permission;
import io.javalin.security.RouteRole;
import java.util.Optional;

/**
 * The access a route needs; every route declares exactly one when it is registered:
 * {@code routes.get("/api/v1/workflows", handler, Access.to(Permission.WORKFLOW_READ))}. A route
 * without one needs an admin (secure by default). A permission route lets in a caller that holds
 * the permission in at least one folder; the route's service then checks the folder of the
 * resource ({@code 404} when the caller sees nothing there, {@code 403} when it sees but may not).
 *
 * @param kind       what sort of gate
 * @param permission the permission of a {@link Kind#PERMISSION} or {@link Kind#METRICS} route
 */
public record Access(Kind kind, Optional<Permission> permission) implements RouteRole {
    public enum Kind {
        /** No credentials ({@code /health}, {@code /ready}, sign-in). */
        PUBLIC,
        /** A caller holding the permission somewhere. */
        PERMISSION,
        /**
         * Any authenticated caller, whatever it may do ({@code GET /api/v1/auth/me},
         * {@code POST /api/v1/auth/logout}): the route is about the caller itself.
         */
        SIGNED_IN,
        /**
         * The webhook receiving route ({@code POST /webhooks/{id}}) only: no API key, because the
         * callers are outside systems; the request authenticates itself with its webhook's
         * HMAC signature or key, checked by the route. Rate-limited per client address.
         */
        WEBHOOK,
        /**
         * {@code GET /metrics} only: open without a key to the client networks of
         * {@code metrics.open_to} unless the request was forwarded by a proxy; otherwise any
         * caller with {@code orchestrator.read}. Not rate limited per key (docs/monitoring.md).
         */
        METRICS
    }

    public static final Access PUBLIC = new Access(Kind.PUBLIC, Optional.empty());
    public static final Access SIGNED_IN = new Access(Kind.SIGNED_IN, Optional.empty());
    public static final Access WEBHOOK = new Access(Kind.WEBHOOK, Optional.empty());
    public static final Access METRICS = new Access(Kind.METRICS, Optional.of(Permission.ORCHESTRATOR_READ));
    /** Robot endpoints: a robot credential (for its own robot) or an admin. */
    public static final Access ROBOT = to(Permission.ROBOT_CONNECT);

    /** A route for callers holding {@code permission} in some folder. */
    public static Access to(Permission permission) {
        return new Access(Kind.PERMISSION, Optional.of(permission));
    }

    /** The permission a caller must hold; admin's when the route declared none (not asked of {@link Kind#SIGNED_IN}). */
    public Permission required() {
        return permission.orElse(Permission.API_KEY_MANAGE);
    }

    /**
     * How the OpenAPI document's {@code x-casare-access} names it: the permission
     * ({@code workflow.read}), or {@code public}, {@code signed_in}, {@code webhook}, {@code metrics}.
     */
    public String wireName() {
        return kind == Kind.PERMISSION ? required().wireName() : kind.name().toLowerCase(java.util.Locale.ROOT);
    }

    /** True for the robot protocol's routes, which draw on the robots' rate budget. */
    public boolean robotProtocol() {
        return permission.equals(Optional.of(Permission.ROBOT_CONNECT));
    }
}
