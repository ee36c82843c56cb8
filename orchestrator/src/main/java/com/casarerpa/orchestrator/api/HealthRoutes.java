package com.casarerpa.orchestrator.api;

import com.casarerpa.orchestrator.service.HealthService;
import io.javalin.config.RoutesConfig;

/**
 * {@code GET /health} (liveness: does this instance reach its database) and {@code GET /ready}
 * (readiness for a load balancer). Both are open without credentials and answer 503 with the
 * same body shape when the answer is no.
 */
public final class HealthRoutes implements RouteGroup {
    private final HealthService health;

    public HealthRoutes(HealthService health) {
        this.health = health;
    }

    @Override
    public void register(RoutesConfig routes) {
        routes.get("/health", ctx -> {
            HealthService.HealthReport report = health.health();
            ctx.status(report.healthy() ? 200 : 503).json(report);
        }, Access.PUBLIC);
        routes.get("/ready", ctx -> {
            HealthService.Readiness readiness = health.readiness();
            ctx.status(readiness.ready() ? 200 : 503).json(readiness);
        }, Access.PUBLIC);
    }
}
