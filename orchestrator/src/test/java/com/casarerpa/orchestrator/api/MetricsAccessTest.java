package com.casarerpa.orchestrator.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.casarerpa.orchestrator.metrics.Metrics;
import com.casarerpa.orchestrator.testing.Http;
import com.casarerpa.orchestrator.testing.RunningOrchestrator;
import com.casarerpa.orchestrator.testing.Scrape;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Who may read {@code /metrics} (docs/monitoring.md, "Who may read /metrics"), over real HTTP:
 * the machine itself without a key unless a proxy forwarded the request, anyone else with a
 * viewer, operator or admin key or token, never a robot key; no per-key rate limit; and no route
 * at all when metrics are off.
 */
class MetricsAccessTest {
    @TempDir
    Path workDir;

    private static Map<String, String> bearer(String key) {
        return Map.of("Authorization", "Bearer " + key);
    }

    private static Map<String, String> with(Map<String, String> a, Map<String, String> b) {
        Map<String, String> all = new HashMap<>(a);
        all.putAll(b);
        return all;
    }

    private static String key(Http http, String admin, String role) {
        Http.Response r = http.post("/api/v1/api-keys", "{\"name\":\"" + role + "\",\"role\":\"" + role + "\"}", bearer(admin));
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json().get("key").asText();
    }

    private static void assertError(Http.Response r, int status, String code) {
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        assertThat(r.json().at("/error/code").asText()).isEqualTo(code);
    }

    @Test
    void on_the_machine_no_key_is_needed_unless_a_proxy_forwarded_the_request() {
        try (RunningOrchestrator server = RunningOrchestrator.embedded(workDir)) {
            Http http = server.http();
            String admin = server.orchestrator().bootstrapKey().orElseThrow();
            String viewer = key(http, admin, "viewer");
            String robot = key(http, admin, "robot");

            Http.Response open = http.get("/metrics");
            assertThat(open.status()).isEqualTo(200);
            assertThat(open.header("Content-Type")).isEqualTo(Metrics.CONTENT_TYPE);
            assertThat(open.body()).contains("# TYPE casare_workflows_total counter");

            for (Map<String, String> proxied : List.of(Map.of("X-Forwarded-For", "203.0.113.9"), Map.of("X-Real-IP", "203.0.113.9"),
                    Map.of("Forwarded", "for=203.0.113.9"))) {
                Http.Response anonymous = http.get("/metrics", proxied);
                assertError(anonymous, 401, "unauthorized");
                assertThat(anonymous.header("WWW-Authenticate")).startsWith("Bearer");
                assertThat(http.get("/metrics", with(proxied, bearer(viewer))).status()).isEqualTo(200);
                assertError(http.get("/metrics", with(proxied, bearer(robot))), 403, "forbidden");
                assertError(http.get("/metrics", with(proxied, bearer("crpa_not-a-key"))), 401, "unauthorized");
            }
        }
    }

    @Test
    void elsewhere_a_viewer_operator_or_admin_key_or_token_reads_it_and_a_robot_key_does_not() {
        try (RunningOrchestrator server = RunningOrchestrator.embedded(workDir, Map.of("CASARE_METRICS_OPEN_TO", "none"))) {
            Http http = server.http();
            String admin = server.orchestrator().bootstrapKey().orElseThrow();
            String viewer = key(http, admin, "viewer");
            String token = http.post("/api/v1/auth/token", "{\"api_key\":\"" + viewer + "\"}", Map.of()).json()
                    .get("access_token").asText();

            assertError(http.get("/metrics"), 401, "unauthorized");
            for (String reader : List.of(admin, key(http, admin, "operator"), viewer, token)) {
                assertThat(http.get("/metrics", bearer(reader)).status()).isEqualTo(200);
            }
            assertThat(http.get("/metrics", Map.of("X-API-Key", viewer)).status()).isEqualTo(200);
            assertError(http.get("/metrics", bearer(key(http, admin, "robot"))), 403, "forbidden");
        }
    }

    @Test
    void a_client_outside_the_open_networks_needs_a_key() {
        try (RunningOrchestrator server = RunningOrchestrator.embedded(workDir, Map.of("CASARE_METRICS_OPEN_TO", "10.99.0.0/16, fd00::/8"))) {
            Http http = server.http();
            assertError(http.get("/metrics"), 401, "unauthorized");
            assertThat(http.get("/metrics", bearer(server.orchestrator().bootstrapKey().orElseThrow())).status()).isEqualTo(200);
        }
    }

    @Test
    void scrapes_draw_on_no_key_budget_and_are_not_counted_but_refusals_are() {
        Map<String, String> env = Map.of("CASARE_METRICS_OPEN_TO", "none", "CASARE_ORCHESTRATOR_RATE_LIMIT_BURST", "3",
                "CASARE_ORCHESTRATOR_RATE_LIMIT_REQUESTS_PER_MINUTE", "1");
        try (RunningOrchestrator server = RunningOrchestrator.embedded(workDir, env)) {
            Http http = server.http();
            Map<String, String> viewer = bearer(key(http, server.orchestrator().bootstrapKey().orElseThrow(), "viewer"));
            for (int i = 0; i < 10; i++) {
                Http.Response r = http.get("/metrics", viewer);
                assertThat(r.status()).isEqualTo(200);
                assertThat(r.header(RateLimits.LIMIT_HEADER)).isNull();
            }
            for (int i = 0; i < 3; i++) {
                assertThat(http.get("/api/v1/workflows", viewer).status()).isEqualTo(200);
            }
            assertError(http.get("/api/v1/workflows", viewer), 429, "rate_limited");
            for (int i = 0; i < 3; i++) {
                assertError(http.get("/metrics", bearer("crpa_wrong-" + i)), 401, "unauthorized");
            }
            assertError(http.get("/metrics", bearer("crpa_wrong-again")), 429, "rate_limited");

            Scrape s = Scrape.of(http.get("/metrics", viewer).body());
            assertThat(s.value("casare_rate_limited_total", "scope", "api")).isEqualTo(1);
            assertThat(s.value("casare_rate_limited_total", "scope", "credentials")).isEqualTo(1);
            assertThat(s.value("casare_api_requests_total", "method", "GET", "endpoint", "/api/v1/workflows", "status", "429")).isEqualTo(1);
            assertThat(s.find("casare_api_requests_total", "endpoint", MetricsRoutes.PATH)).isEmpty();
        }
    }

    @Test
    void with_metrics_off_there_is_no_route() {
        try (RunningOrchestrator server = RunningOrchestrator.embedded(workDir, Map.of("CASARE_METRICS_ENABLED", "false"))) {
            assertError(server.http().get("/metrics"), 404, "not_found");
            assertThat(server.orchestrator().endpoints()).extracting(HttpApi.Endpoint::path).doesNotContain(MetricsRoutes.PATH);
        }
    }
}
