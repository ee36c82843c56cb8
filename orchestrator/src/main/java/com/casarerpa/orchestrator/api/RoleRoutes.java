package com.casarerpa.orchestrator.api;

import com.casarerpa.orchestrator.domain.Permission;
import com.casarerpa.orchestrator.service.AccessViews;
import com.casarerpa.orchestrator.domain.RoleDefinition;
import com.casarerpa.orchestrator.service.RoleCatalog;
import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.List;
import java.util.Map;

/**
 * {@code /api/v1/roles}: the built-in and custom roles with their permissions. Whoever binds
 * roles ({@code folder.manage}) may read them; custom roles are made, changed and deleted with
 * {@code user.manage}.
 */
public final class RoleRoutes implements RouteGroup {
    private static final String BASE = "/api/v1/roles";
    private static final long MAX_BODY = 16 * 1024;
    private static final Access WRITE = Access.to(Permission.USER_MANAGE);

    private final RoleCatalog roles;

    public RoleRoutes(RoleCatalog roles) {
        this.roles = roles;
    }

    @Override
    public void register(RoutesConfig routes) {
        routes.get(BASE, ctx -> ctx.json(Map.of("items", roles.list().stream().map(AccessViews::role).toList())),
                Access.to(Permission.FOLDER_MANAGE));
        routes.post(BASE, this::create, WRITE);
        routes.patch(BASE + "/{name}", this::update, WRITE);
        routes.delete(BASE + "/{name}", ctx -> {
            roles.delete(ctx.pathParam("name"), Callers.of(ctx));
            ctx.status(204);
        }, WRITE);
    }

    private void create(Context ctx) {
        JsonNode body = RequestBodies.onlyFields(RequestBodies.object(ctx, MAX_BODY), "a new role", "name", "description",
                "permissions");
        RoleDefinition r = roles.create(RequestBodies.requiredString(body, "name"),
                RequestBodies.optionalString(body, "description").orElse(""),
                RequestBodies.optionalStrings(body, "permissions").orElse(List.of()), Callers.of(ctx));
        ctx.header("Location", BASE + "/" + r.name());
        ctx.status(201).json(AccessViews.role(r));
    }

    private void update(Context ctx) {
        JsonNode body = RequestBodies.onlyFields(RequestBodies.object(ctx, MAX_BODY), "a role change", "description", "permissions");
        ctx.json(AccessViews.role(roles.update(ctx.pathParam("name"), RequestBodies.optionalString(body, "description"),
                RequestBodies.optionalStrings(body, "permissions"), Callers.of(ctx))));
    }
}
