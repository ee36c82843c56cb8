package com.casarerpa.orchestrator.api;

import com.casarerpa.orchestrator.domain.Permission;

import io.javalin.config.RoutesConfig;

/** {@code GET /openapi.json}: the OpenAPI 3.1 document of this API, open without credentials. */
public final class OpenApiRoutes implements RouteGroup {
    public static final String PATH = "/openapi.json";

    private final String json;

    public OpenApiRoutes(OpenApiDocument document) {
        this.json = document.json();
    }

    @Override
    public void register(RoutesConfig routes) {
        routes.get(PATH, ctx -> ctx.contentType("application/json").result(json), Access.to(Permission.ORCHESTRATOR_READ));
    }
}
