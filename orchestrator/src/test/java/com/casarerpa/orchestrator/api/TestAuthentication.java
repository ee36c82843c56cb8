package com.casarerpa.orchestrator.api;

import com.casarerpa.orchestrator.domain.Actor;
import com.casarerpa.orchestrator.domain.Role;
import com.casarerpa.orchestrator.service.Caller;

/**
 * A stand-in for authentication in route tests, until the real one is wired: every request gets
 * an API-key actor whose role is named by the {@code X-Test-Role} header (default admin) and
 * whose key id is the {@code X-API-Key} header (default {@code k_test}). It does not enforce the
 * routes' declared access; the real authentication does, and reruns these tests.
 */
public final class TestAuthentication {
    public static final String ROLE_HEADER = "X-Test-Role";

    private TestAuthentication() {}

    public static RouteGroup callers() {
        return routes -> routes.before(ctx -> {
            Role role = Role.fromWire(ctx.header(ROLE_HEADER)).orElse(Role.ADMIN);
            String key = ctx.header("X-API-Key");
            Callers.set(ctx, Caller.of(Actor.apiKey(key == null ? "k_test" : key, "test key", role)), false);
        });
    }
}
