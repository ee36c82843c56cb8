package com.casarerpa.orchestrator.api;

import io.javalin.config.RoutesConfig;

/** A set of related routes (health, workflows, jobs, …) that {@link HttpApi} mounts. */
@FunctionalInterface
public interface RouteGroup {
    void register(RoutesConfig routes);
}
