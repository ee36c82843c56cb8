package com.casarerpa.orchestrator.ws;

import com.casarerpa.orchestrator.domain.Actor;
import io.javalin.http.Context;

/**
 * Admits an authenticated attempt to open a robot connection, or throws an exception the HTTP
 * error mapping renders (the rate limit's 429). Wired in {@code app}, so that {@code ws} does not
 * depend on the REST API's rate limiting.
 */
@FunctionalInterface
public interface ConnectionGate {
    ConnectionGate OPEN = (ctx, actor) -> { };

    void admit(Context ctx, Actor actor);
}
