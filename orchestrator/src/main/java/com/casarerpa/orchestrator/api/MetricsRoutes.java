package com.casarerpa.orchestrator.api;

import com.casarerpa.orchestrator.metrics.Metrics;
import io.javalin.config.RoutesConfig;

/**
 * {@code GET /metrics}: this instance's metrics in Prometheus' text format (docs/monitoring.md).
 * Who may read it is {@link Access#METRICS}'s rule; mounted only when metrics are enabled.
 */
public final class MetricsRoutes implements RouteGroup {
    public static final String PATH = "/metrics";

    private final Metrics metrics;

    public MetricsRoutes(Metrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void register(RoutesConfig routes) {
        routes.get(PATH, ctx -> ctx.contentType(Metrics.CONTENT_TYPE).result(metrics.scrape()), Access.METRICS);
    }
}
