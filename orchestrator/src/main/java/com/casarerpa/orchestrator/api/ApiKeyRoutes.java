package com.casarerpa.orchestrator.api;

import com.casarerpa.orchestrator.domain.Permission;

import com.casarerpa.orchestrator.domain.ApiKey;
import com.casarerpa.protocol.rest.ApiKeyBodies;
import com.casarerpa.orchestrator.domain.Role;
import com.casarerpa.orchestrator.service.ApiKeys;
import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.config.RoutesConfig;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** {@code /api/v1/api-keys}: create, list, show and revoke keys (admins only). */
public final class ApiKeyRoutes implements RouteGroup {
    private static final String ROLES = Arrays.stream(Role.values()).map(Role::wireName).collect(Collectors.joining(", "));

    private static final long MAX_BODY = 16 * 1024;

    private final ApiKeys keys;
    private final Clock clock;

    public ApiKeyRoutes(ApiKeys keys, Clock clock) {
        this.keys = keys;
        this.clock = clock;
    }

    @Override
    public void register(RoutesConfig routes) {
        routes.get("/api/v1/api-keys", ctx -> {
            boolean all = Boolean.parseBoolean(ctx.queryParam("include_revoked"));
            ctx.json(Map.of("items", keys.list(all).stream().map(k -> ApiKeyView.of(k, clock.instant())).toList()));
        }, Access.to(Permission.API_KEY_MANAGE));
        routes.post("/api/v1/api-keys", ctx -> {
            JsonNode body = RequestBodies.onlyFields(RequestBodies.object(ctx, MAX_BODY), "a new API key",
                    "name", "role", "expires_at", "robot_id", "folders");
            String roleText = RequestBodies.requiredString(body, "role");
            Role role = Role.fromWire(roleText).orElseThrow(() ->
                    ApiError.invalidField("role", "expected one of " + ROLES + ", got \"" + roleText + "\""));
            ApiKeys.IssuedKey issued = keys.create(RequestBodies.requiredString(body, "name"), role,
                    RequestBodies.optionalInstant(body, "expires_at"),
                    RequestBodies.optionalString(body, "robot_id", RequestBodies.MAX_ID_CHARS),
                    RequestBodies.optionalStrings(body, "folders").orElse(List.of()),
                    Callers.of(ctx));
            ApiKey k = issued.key();
            ResponseHeaders.holdsSecret(ctx);
            ctx.status(201).json(new ApiKeyBodies.CreatedApiKey(k.id(), k.name(), k.role().wireName(), issued.plaintext(),
                    k.robotId().orElse(null), k.createdAt(), k.expiresAt().orElse(null), issued.folders()));
        }, Access.to(Permission.API_KEY_MANAGE));
        routes.get("/api/v1/api-keys/{id}", ctx ->
                ctx.json(ApiKeyView.of(keys.get(ctx.pathParam("id")), clock.instant())), Access.to(Permission.API_KEY_MANAGE));
        routes.delete("/api/v1/api-keys/{id}", ctx ->
                ctx.json(ApiKeyView.of(keys.revoke(ctx.pathParam("id"), Callers.of(ctx)), clock.instant())), Access.to(Permission.API_KEY_MANAGE));
    }
}
