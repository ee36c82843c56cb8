package com.casarerpa.orchestrator.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

/**
 * People on a running server, made the way an admin and a person make them: the admin creates
 * the user ({@code POST /api/v1/users}), the person sets a password with the one-time token and
 * signs in.
 */
public final class People {
    /** Cheap Argon2 (a test hashes often) and rate limits out of the way, for a server of sign-in tests. */
    public static final Map<String, String> FAST_SIGN_IN = Map.of(
            "CASARE_AUTH_ARGON2_MEMORY_KIB", "64",
            "CASARE_AUTH_ARGON2_ITERATIONS", "1",
            "CASARE_ORCHESTRATOR_RATE_LIMIT_BURST", "10000");
    public static final String PASSWORD = "correct horse battery";

    private final Http http;
    private final String adminKey;

    public People(Http http, String adminKey) {
        this.http = http;
        this.adminKey = adminKey;
    }

    public static Map<String, String> bearer(String credential) {
        return Map.of("Authorization", "Bearer " + credential);
    }

    /** A new user with {@link #PASSWORD}; its id. */
    public String create(String username) {
        Http.Response created = http.post("/api/v1/users", "{\"username\":\"" + username + "\"}", bearer(adminKey));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        Http.Response set = setPassword(created.json().at("/set_password/token").asText(), PASSWORD);
        assertThat(set.status()).as(set.body()).isEqualTo(200);
        return created.json().at("/user/id").asText();
    }

    public Http.Response setPassword(String token, String password) {
        return http.post("/api/v1/auth/password", "{\"token\":\"" + token + "\",\"password\":\"" + password + "\"}", Map.of());
    }

    public Http.Response login(String username, String password) {
        return http.post("/api/v1/auth/login", "{\"username\":\"" + username + "\",\"password\":\"" + password + "\"}", Map.of());
    }

    /** Signs in with {@link #PASSWORD}, which must work: the answer's body. */
    public Http.Response signIn(String username) {
        Http.Response r = login(username, PASSWORD);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r;
    }

    public Http.Response admin(String method, String path, String json) {
        return http.send(method, path, json, bearer(adminKey));
    }
}
