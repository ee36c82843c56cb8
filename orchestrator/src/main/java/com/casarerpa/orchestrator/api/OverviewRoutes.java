package com.casarerpa.orchestrator.api;

import com.casarerpa.orchestrator.domain.Permission;
import com.casarerpa.orchestrator.service.InstanceList;
import com.casarerpa.orchestrator.service.Overview;
import io.javalin.config.RoutesConfig;
import java.util.Map;

/**
 * The dashboard's aggregates: {@code GET /api/v1/overview} (robots, queue, jobs per minute,
 * dispatch latency, recent failures, next fires, instances; of what the caller may read) and
 * {@code GET /api/v1/instances}. Documented in docs/rest-api.md ("Overview").
 */
public final class OverviewRoutes implements RouteGroup {
    private final Overview overview;
    private final InstanceList instances;

    public OverviewRoutes(Overview overview, InstanceList instances) {
        this.overview = overview;
        this.instances = instances;
    }

    @Override
    public void register(RoutesConfig routes) {
        routes.get("/api/v1/overview", ctx -> ctx.json(overview.read(WorkflowRoutes.folderParam(ctx), Callers.of(ctx))),
                Access.to(Permission.JOB_READ));
        routes.get("/api/v1/instances", ctx -> ctx.json(Map.of("items", instances.list())), Access.to(Permission.ORCHESTRATOR_READ));
    }
}
