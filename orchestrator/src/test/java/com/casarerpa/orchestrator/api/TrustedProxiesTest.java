package com.casarerpa.orchestrator.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.casarerpa.orchestrator.testing.RawHttp;
import com.casarerpa.orchestrator.testing.RunningOrchestrator;
import com.casarerpa.orchestrator.testing.Samples;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Forwarded headers over real HTTP (docs/operations.md, "Trusted proxies and forwarded
 * headers"): 127.0.0.2 plays the trusted proxy, 127.0.0.1 a client that sends the same headers
 * itself. What the proxy says decides the rate-limit bucket, the audit trail's client address
 * and the session cookie's {@code Secure}; what the client says decides nothing. URLs made for a
 * request use the {@code Host} header only when told to.
 */
class TrustedProxiesTest {
    private static final String PROXY = "127.0.0.2";
    private static final String CLIENT = "127.0.0.1";

    @TempDir
    Path workDir;

    private static RunningOrchestrator server(Path dir, Map<String, String> more) {
        Map<String, String> env = new HashMap<>(more);
        env.put("CASARE_TRUSTED_PROXIES", PROXY + "/32");
        env.put("CASARE_ORCHESTRATOR_RATE_LIMIT_BURST", "3");
        return RunningOrchestrator.embedded(dir, env);
    }

    private static Map<String, String> forwardedFor(String address) {
        return Map.of("X-Forwarded-For", address, "X-Forwarded-Proto", "https");
    }

    @Test
    void the_rate_limit_counts_by_the_proxys_client_and_ignores_a_clients_own_headers() {
        try (RunningOrchestrator server = server(workDir, Map.of())) {
            RawHttp direct = new RawHttp(CLIENT, server.orchestrator().port());
            RawHttp proxy = new RawHttp(PROXY, server.orchestrator().port());
            // Credentials refused: each draws on the address's budget of 3.
            for (int i = 1; i <= 3; i++) {
                assertThat(direct.get("/api/v1/workflows", forwardedFor("198.51.100." + i)).status()).isEqualTo(401);
            }
            assertThat(direct.get("/api/v1/workflows", forwardedFor("198.51.100.4")).status())
                    .as("a spoofed X-Forwarded-For is not a new address").isEqualTo(429);

            for (int i = 1; i <= 6; i++) {
                assertThat(proxy.get("/api/v1/workflows", forwardedFor("203.0.113." + i)).status())
                        .as("each forwarded client has its own budget").isEqualTo(401);
            }
            for (int i = 1; i <= 3; i++) {
                proxy.get("/api/v1/workflows", forwardedFor("192.0.2.77"));
            }
            RawHttp.Response limited = proxy.get("/api/v1/workflows", forwardedFor("192.0.2.77"));
            assertThat(limited.status()).isEqualTo(429);
            assertThat(limited.json().at("/error/message").asText()).contains("client address");
        }
    }

    @Test
    void the_audit_trail_and_the_session_cookie_believe_only_the_trusted_proxy() {
        try (RunningOrchestrator server = server(workDir, Map.of())) {
            String admin = server.orchestrator().bootstrapKey().orElseThrow();
            Map<String, String> spoofed = new HashMap<>(forwardedFor("203.0.113.50"));
            spoofed.put("Authorization", "Bearer " + admin);
            RawHttp direct = new RawHttp(CLIENT, server.orchestrator().port());
            RawHttp proxy = new RawHttp(PROXY, server.orchestrator().port());

            assertThat(direct.post("/api/v1/api-keys", "{\"name\":\"direct\",\"role\":\"viewer\"}", spoofed).status()).isEqualTo(201);
            assertThat(proxy.post("/api/v1/api-keys", "{\"name\":\"proxied\",\"role\":\"viewer\"}", spoofed).status()).isEqualTo(201);
            Map<String, String> byName = new HashMap<>();
            for (JsonNode e : server.http().get("/api/v1/audit?action=api_key.create", Map.of("Authorization", "Bearer " + admin))
                    .json().get("items")) {
                byName.put(e.at("/details/name").asText(), e.get("client_address").asText());
            }
            assertThat(byName).containsEntry("direct", CLIENT).containsEntry("proxied", "203.0.113.50");

            String login = "{\"api_key\":\"" + admin + "\",\"session\":\"cookie\"}";
            assertThat(direct.post("/api/v1/auth/login", login, forwardedFor("203.0.113.50")).headers("Set-Cookie"))
                    .as("a client's own X-Forwarded-Proto").hasSize(2).noneSatisfy(c -> assertThat(c).contains("; Secure"));
            assertThat(proxy.post("/api/v1/auth/login", login, forwardedFor("203.0.113.50")).headers("Set-Cookie"))
                    .as("the trusted proxy's").hasSize(2).allSatisfy(c -> assertThat(c).contains("; Secure"));
        }
    }

    @Test
    void a_webhook_url_uses_the_host_header_only_when_configured_to() {
        for (boolean trustHost : new boolean[] {false, true}) {
            Path dir = workDir.resolve("trust-host-" + trustHost);
            try (RunningOrchestrator server = server(dir, Map.of("CASARE_ORCHESTRATOR_TRUST_HOST_HEADER", Boolean.toString(trustHost)))) {
                int port = server.orchestrator().port();
                Map<String, String> admin = new HashMap<>(Map.of("X-API-Key", server.orchestrator().bootstrapKey().orElseThrow()));
                server.http().post("/api/v1/workflows", "{\"name\":\"Orders\",\"workflow_data\":" + Samples.chain("Orders", "a") + "}",
                        admin);
                admin.put("Host", "evil.example.com");
                RawHttp.Response created = new RawHttp(CLIENT, port).post("/api/v1/webhooks",
                        "{\"name\":\"New order\",\"workflow_name\":\"Orders\"}", admin);
                assertThat(created.status()).as(created.body()).isEqualTo(201);
                String url = created.json().get("url").asText();
                String expected = trustHost ? "http://evil.example.com/webhooks/" : "http://127.0.0.1:" + port + "/webhooks/";
                assertThat(url).startsWith(expected);

                admin.put("Host", "orchestrator.example.com");
                Map<String, String> proxied = new HashMap<>(admin);
                proxied.putAll(forwardedFor("203.0.113.50"));
                String throughProxy = new RawHttp(PROXY, port).get("/api/v1/webhooks", proxied).json().at("/items/0/url").asText();
                assertThat(throughProxy).startsWith(trustHost ? "https://orchestrator.example.com/webhooks/"
                        : "http://127.0.0.1:" + port + "/webhooks/");
            }
        }
    }
}
