package com.casarerpa.orchestrator.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.casarerpa.orchestrator.domain.Actor;
import com.casarerpa.orchestrator.domain.Role;
import com.casarerpa.orchestrator.testing.Http;
import com.casarerpa.orchestrator.testing.RunningOrchestrator;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every route of the running server against every role: the table is the server's own route
 * list, so a route added later is covered without editing this test. Allowed means the request
 * got past authentication and authorisation (any answer but 401/403); denied means 403; no
 * credentials means 401.
 */
class RoleMatrixTest {
    @TempDir
    Path workDir;

    @Test
    void each_role_against_each_route() {
        // /metrics open to no network: from this test's loopback it needs a viewer key like any viewer route.
        try (RunningOrchestrator server = RunningOrchestrator.embedded(workDir,
                Map.of("CASARE_ORCHESTRATOR_RATE_LIMIT_BURST", "10000", "CASARE_METRICS_OPEN_TO", "none"))) {
            Http http = server.http();
            String admin = server.orchestrator().bootstrapKey().orElseThrow();
            Map<Role, String> keys = new EnumMap<>(Role.class);
            keys.put(Role.ADMIN, admin);
            for (Role role : List.of(Role.OPERATOR, Role.VIEWER, Role.ROBOT)) {
                Http.Response r = http.post("/api/v1/api-keys", "{\"name\":\"" + role + "\",\"role\":\"" + role.wireName() + "\"}",
                        Map.of("X-API-Key", admin));
                keys.put(role, r.json().get("key").asText());
            }

            List<String> wrong = new ArrayList<>();
            List<HttpApi.Endpoint> endpoints = server.orchestrator().endpoints();
            assertThat(endpoints).hasSizeGreaterThan(10);
            for (HttpApi.Endpoint endpoint : endpoints) {
                Access access = endpoint.access().orElseThrow(() -> new AssertionError(endpoint + " declares no access"));
                String path = endpoint.path().replaceAll("\\{[^}]+}", "no-such-thing")
                        // The live feed never ends by itself: a parameter it refuses (400, after the gate) ends the answer.
                        + (endpoint.path().equals("/api/v1/events") ? "?kinds=no-such-kind" : "");
                if (access == Access.WEBHOOK) {
                    // No API key is asked for, none is needed, and a key grants nothing: the route
                    // checks the webhook's own signature or key (an unknown webhook is 404 for anyone).
                    Http.Response anonymous = send(http, endpoint.method(), path, Map.of());
                    Http.Response withKey = send(http, endpoint.method(), path, Map.of("Authorization", "Bearer " + admin));
                    if (anonymous.status() != 404 || withKey.status() != 404) {
                        wrong.add(endpoint.method() + " " + endpoint.path() + " (webhook): " + anonymous.status() + " without a key, "
                                + withKey.status() + " with an admin key; expected 404 for an unknown webhook");
                    }
                    continue;
                }
                if (access == Access.PUBLIC) {
                    // Reachable without credentials (the token exchange answers 401 itself when
                    // its body carries no key, which is its own check, not the gate's; the single
                    // sign-on routes answer 404 on a server without oidc.issuer, as this one is).
                    Http.Response r = send(http, endpoint.method(), path, Map.of());
                    boolean signOn = endpoint.path().startsWith(OidcRoutes.BASE + "/");
                    boolean ok = endpoint.method().equals("GET") && !signOn ? r.status() == 200
                            : signOn ? r.status() == 404 : r.status() != 403;
                    if (!ok) {
                        wrong.add(endpoint.method() + " " + endpoint.path() + " without credentials: " + r.status());
                    }
                    continue;
                }
                Http.Response anonymous = send(http, endpoint.method(), path, Map.of());
                if (anonymous.status() != 401) {
                    wrong.add(endpoint.method() + " " + endpoint.path() + " without credentials: " + anonymous.status());
                }
                for (Map.Entry<Role, String> key : keys.entrySet()) {
                    // A signed_in route (/auth/me, /auth/logout) takes any authenticated caller.
                    boolean allowed = access == Access.SIGNED_IN || Actor.grantsOf(key.getKey()).allowsSomewhere(access.required());
                    check(wrong, http, endpoint, path, Map.of("Authorization", "Bearer " + key.getValue()),
                            key.getKey().wireName(), allowed);
                }
            }
            assertThat(wrong).as("routes that answered a role wrongly").isEmpty();
        }
    }

    private static void check(List<String> wrong, Http http, HttpApi.Endpoint endpoint, String path,
            Map<String, String> headers, String who, boolean allowed) {
        Http.Response r = send(http, endpoint.method(), path, headers);
        boolean passed = r.status() != 401 && r.status() != 403;
        if (passed != allowed) {
            wrong.add(endpoint.method() + " " + endpoint.path() + " as " + who + ": " + r.status()
                    + (allowed ? " (should be allowed)" : " (should be 403)"));
        } else if (!allowed && r.status() != 403) {
            wrong.add(endpoint.method() + " " + endpoint.path() + " as " + who + ": " + r.status() + " (should be 403)");
        } else if (r.status() >= 400) {
            assertThat(r.json().at("/error/code").asText()).as(r.body()).isNotBlank();
        }
    }

    private static Http.Response send(Http http, String method, String path, Map<String, String> headers) {
        return switch (method) {
            case "GET" -> http.get(path, headers);
            case "POST" -> http.post(path, "{}", headers);
            case "PATCH" -> http.patch(path, "{}", headers);
            case "PUT" -> http.put(path, "{}", headers);
            case "DELETE" -> http.delete(path, headers);
            default -> throw new AssertionError("no client for " + method);
        };
    }
}
