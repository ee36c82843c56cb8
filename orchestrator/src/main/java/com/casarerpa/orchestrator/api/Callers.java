package com.casarerpa.orchestrator.api;

import com.casarerpa.orchestrator.domain.Actor;
import com.casarerpa.orchestrator.service.Caller;
import io.javalin.http.Context;
import java.util.Optional;

/** The authenticated caller of a request, set by authentication before the handler runs. */
public final class Callers {
    private static final String ATTRIBUTE = "casare.caller";
    private static final String SESSION = "casare.caller.session";
    private static final String BY_COOKIE = "casare.caller.cookie";

    private Callers() {}

    static void set(Context ctx, Caller caller, boolean byCookie) {
        ctx.attribute(ATTRIBUTE, caller.actor());
        caller.sessionId().ifPresent(s -> ctx.attribute(SESSION, s));
        ctx.attribute(BY_COOKIE, byCookie);
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

    /** The session of a signed-in person's request (access token or cookie); empty for keys. */
    static Optional<String> session(Context ctx) {
        return Optional.ofNullable(ctx.attribute(SESSION));
    }

    /** True when the request was authenticated by the dashboard session cookie. */
    static boolean byCookie(Context ctx) {
        return Boolean.TRUE.equals(ctx.attribute(BY_COOKIE));
    }
}
