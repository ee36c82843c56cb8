package com.casarerpa.orchestrator.api;

import com.casarerpa.orchestrator.domain.Actor;
import io.javalin.http.Context;

/** The authenticated caller of a request, set by authentication before the handler runs. */
public final class Callers {
    private static final String ATTRIBUTE = "casare.caller";

    private Callers() {}

    static void set(Context ctx, Actor actor) {
        ctx.attribute(ATTRIBUTE, actor);
    }

    /**
     * The caller of a route that requires credentials.
     *
     * @throws IllegalStateException on a public route, where there is no caller
     */
    public static Actor of(Context ctx) {
        Actor actor = ctx.attribute(ATTRIBUTE);
        if (actor == null) {
            throw new IllegalStateException("no authenticated caller on " + ctx.path());
        }
        return actor;
    }
}
