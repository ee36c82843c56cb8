package com.casarerpa.orchestrator.api;

import com.casarerpa.orchestrator.domain.Permission;
import com.casarerpa.orchestrator.service.AccessViews;
import com.casarerpa.orchestrator.service.Bindings;
import com.casarerpa.orchestrator.service.Folders;
import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.Map;

/**
 * {@code /api/v1/folders}: the folder tree and each folder's bindings (docs/access.md). A folder
 * the caller does not see is 404; one it sees but may not change, 403.
 */
public final class FolderRoutes implements RouteGroup {
    private static final String BASE = "/api/v1/folders";
    private static final long MAX_BODY = 16 * 1024;

    private final Folders folders;
    private final Bindings bindings;

    public FolderRoutes(Folders folders, Bindings bindings) {
        this.folders = folders;
        this.bindings = bindings;
    }

    @Override
    public void register(RoutesConfig routes) {
        routes.get(BASE, ctx -> ctx.json(Map.of("items", folders.list(Callers.of(ctx)).stream().map(AccessViews::folder).toList())),
                Access.to(Permission.FOLDER_READ));
        routes.post(BASE, this::create, Access.to(Permission.FOLDER_MANAGE));
        routes.get(BASE + "/{id}", ctx -> ctx.json(AccessViews.folder(folders.get(ctx.pathParam("id"), Callers.of(ctx)))),
                Access.to(Permission.FOLDER_READ));
        routes.patch(BASE + "/{id}", this::update, Access.to(Permission.FOLDER_MANAGE));
        routes.delete(BASE + "/{id}", ctx -> {
            folders.delete(ctx.pathParam("id"), Callers.of(ctx));
            ctx.status(204);
        }, Access.to(Permission.FOLDER_MANAGE));
        routes.get(BASE + "/{id}/bindings", ctx -> ctx.json(Map.of("items",
                bindings.list(ctx.pathParam("id"), Callers.of(ctx)).stream().map(AccessViews::binding).toList())),
                Access.to(Permission.FOLDER_MANAGE));
        routes.post(BASE + "/{id}/bindings", this::bind, Access.to(Permission.FOLDER_MANAGE));
        routes.delete(BASE + "/{id}/bindings/{bindingId}", ctx -> {
            bindings.revoke(ctx.pathParam("id"), ctx.pathParam("bindingId"), Callers.of(ctx));
            ctx.status(204);
        }, Access.to(Permission.FOLDER_MANAGE));
    }

    private void create(Context ctx) {
        JsonNode body = RequestBodies.onlyFields(RequestBodies.object(ctx, MAX_BODY), "a new folder", "name", "parent", "description");
        Folders.Shown f = folders.create(RequestBodies.requiredString(body, "name"), RequestBodies.optionalString(body, "parent"),
                RequestBodies.optionalString(body, "description").orElse(""), Callers.of(ctx));
        ctx.header("Location", BASE + "/" + f.folder().id());
        ctx.status(201).json(AccessViews.folder(f));
    }

    private void update(Context ctx) {
        JsonNode body = RequestBodies.onlyFields(RequestBodies.object(ctx, MAX_BODY), "a folder change", "name", "parent", "description");
        ctx.json(AccessViews.folder(folders.update(ctx.pathParam("id"), new Folders.Change(RequestBodies.optionalString(body, "name"),
                RequestBodies.optionalString(body, "description"), RequestBodies.optionalString(body, "parent")), Callers.of(ctx))));
    }

    private void bind(Context ctx) {
        JsonNode body = RequestBodies.onlyFields(RequestBodies.object(ctx, MAX_BODY), "a binding", "principal", "role");
        JsonNode principal = body.get("principal");
        if (principal == null || !principal.isObject()) {
            throw ApiError.invalidField("principal", "is required: {\"kind\": \"user\" | \"group\" | \"service_account\","
                    + " \"id\" or \"name\": …}");
        }
        RequestBodies.onlyFieldsAt(principal, "principal", "a principal", "kind", "id", "name");
        String kind = RequestBodies.optionalStringAt(principal, "principal", "kind", RequestBodies.MAX_TEXT_CHARS)
                .orElseThrow(() -> ApiError.invalidField("principal.kind", "is required: user, group or service_account"));
        String ref = RequestBodies.optionalStringAt(principal, "principal", "id", RequestBodies.MAX_ID_CHARS)
                .or(() -> RequestBodies.optionalStringAt(principal, "principal", "name", RequestBodies.MAX_ID_CHARS))
                .orElseThrow(() -> ApiError.invalidField("principal.id", "give the principal's id or name"));
        Bindings.Shown b = bindings.grant(ctx.pathParam("id"), kind, ref, RequestBodies.requiredString(body, "role"), Callers.of(ctx));
        ctx.header("Location", BASE + "/" + b.binding().folderId() + "/bindings/" + b.binding().id());
        ctx.status(201).json(AccessViews.binding(b));
    }
}
