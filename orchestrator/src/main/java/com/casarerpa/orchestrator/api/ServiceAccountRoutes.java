package com.casarerpa.orchestrator.api;

import com.casarerpa.orchestrator.domain.ApiKey;
import com.casarerpa.orchestrator.domain.Permission;
import com.casarerpa.orchestrator.service.AccessViews;
import com.casarerpa.orchestrator.service.ApiKeys;
import com.casarerpa.orchestrator.service.ServiceAccounts;
import com.casarerpa.protocol.rest.ApiKeyBodies;
import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * {@code /api/v1/service-accounts}: callers that are not people ({@code user.manage}), and their
 * keys ({@code api_key.manage}). Accounts are bound to roles through the folders' bindings.
 */
public final class ServiceAccountRoutes implements RouteGroup {
    private static final String BASE = "/api/v1/service-accounts";
    private static final long MAX_BODY = 16 * 1024;
    private static final Access ACCESS = Access.to(Permission.USER_MANAGE);

    private final ServiceAccounts accounts;
    private final Clock clock;

    public ServiceAccountRoutes(ServiceAccounts accounts, Clock clock) {
        this.accounts = accounts;
        this.clock = clock;
    }

    @Override
    public void register(RoutesConfig routes) {
        routes.get(BASE, ctx -> ctx.json(Map.of("items", accounts.list(RequestBodies.flag(ctx, "include_disabled")).stream()
                .map(AccessViews::account).toList())), ACCESS);
        routes.post(BASE, this::create, ACCESS);
        routes.get(BASE + "/{id}", ctx -> ctx.json(AccessViews.account(accounts.get(ctx.pathParam("id")), clock.instant())), ACCESS);
        routes.delete(BASE + "/{id}", ctx -> ctx.json(AccessViews.account(accounts.disable(ctx.pathParam("id"), Callers.of(ctx)),
                clock.instant())), ACCESS);
        routes.post(BASE + "/{id}/keys", this::issueKey, Access.to(Permission.API_KEY_MANAGE));
    }

    private void create(Context ctx) {
        JsonNode body = RequestBodies.onlyFields(RequestBodies.object(ctx, MAX_BODY), "a new service account", "name", "description");
        ServiceAccounts.Detail a = accounts.create(RequestBodies.requiredString(body, "name"),
                RequestBodies.optionalString(body, "description").orElse(""), Callers.of(ctx));
        ctx.header("Location", BASE + "/" + a.account().id());
        ctx.status(201).json(AccessViews.account(a, clock.instant()));
    }

    private void issueKey(Context ctx) {
        JsonNode body = RequestBodies.onlyFields(RequestBodies.object(ctx, MAX_BODY), "a new key", "name", "expires_at");
        ApiKeys.IssuedKey issued = accounts.issueKey(ctx.pathParam("id"), RequestBodies.requiredString(body, "name"),
                RequestBodies.optionalInstant(body, "expires_at"), Callers.of(ctx));
        ApiKey k = issued.key();
        ResponseHeaders.holdsSecret(ctx);
        ctx.status(201).json(new ApiKeyBodies.CreatedApiKey(k.id(), k.name(), k.role().wireName(), issued.plaintext(), null,
                k.createdAt(), k.expiresAt().orElse(null), List.of()));
    }
}
