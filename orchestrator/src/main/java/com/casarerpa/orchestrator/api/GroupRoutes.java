package com.casarerpa.orchestrator.api;

import com.casarerpa.orchestrator.domain.Permission;
import com.casarerpa.orchestrator.service.AccessViews;
import com.casarerpa.orchestrator.service.Groups;
import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.Map;
import java.util.Optional;

/** {@code /api/v1/groups}: groups of users and their members ({@code user.manage}). */
public final class GroupRoutes implements RouteGroup {
    private static final String BASE = "/api/v1/groups";
    private static final long MAX_BODY = 16 * 1024;
    private static final Access ACCESS = Access.to(Permission.USER_MANAGE);

    private final Groups groups;

    public GroupRoutes(Groups groups) {
        this.groups = groups;
    }

    @Override
    public void register(RoutesConfig routes) {
        routes.get(BASE, ctx -> ctx.json(Map.of("items", groups.list().stream().map(AccessViews::group).toList())), ACCESS);
        routes.post(BASE, this::create, ACCESS);
        routes.get(BASE + "/{id}", ctx -> ctx.json(AccessViews.group(groups.get(ctx.pathParam("id")))), ACCESS);
        routes.patch(BASE + "/{id}", this::update, ACCESS);
        routes.delete(BASE + "/{id}", ctx -> {
            groups.delete(ctx.pathParam("id"), Callers.of(ctx));
            ctx.status(204);
        }, ACCESS);
        routes.put(BASE + "/{id}/members/{userId}", ctx -> ctx.json(AccessViews.group(
                groups.addMember(ctx.pathParam("id"), ctx.pathParam("userId"), Callers.of(ctx)))), ACCESS);
        routes.delete(BASE + "/{id}/members/{userId}", ctx -> ctx.json(AccessViews.group(
                groups.removeMember(ctx.pathParam("id"), ctx.pathParam("userId"), Callers.of(ctx)))), ACCESS);
    }

    private void create(Context ctx) {
        JsonNode body = RequestBodies.onlyFields(RequestBodies.object(ctx, MAX_BODY), "a new group", "name", "description",
                "external_name");
        Groups.Detail g = groups.create(RequestBodies.requiredString(body, "name"),
                RequestBodies.optionalString(body, "description").orElse(""), RequestBodies.optionalString(body, "external_name"),
                Callers.of(ctx));
        ctx.header("Location", BASE + "/" + g.group().id());
        ctx.status(201).json(AccessViews.group(g));
    }

    private void update(Context ctx) {
        JsonNode body = RequestBodies.onlyFields(RequestBodies.object(ctx, MAX_BODY), "a group change", "name", "description",
                "external_name");
        // external_name: null (or "") unmaps the group; absent leaves it.
        Optional<String> external = body.has("external_name")
                ? Optional.of(RequestBodies.optionalString(body, "external_name").orElse("")) : Optional.empty();
        ctx.json(AccessViews.group(groups.update(ctx.pathParam("id"), new Groups.Change(RequestBodies.optionalString(body, "name"),
                RequestBodies.optionalString(body, "description"), external), Callers.of(ctx))));
    }
}
