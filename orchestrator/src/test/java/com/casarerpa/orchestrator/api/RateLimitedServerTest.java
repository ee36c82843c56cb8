package com.casarerpa.orchestrator.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.casarerpa.orchestrator.testing.Http;
import com.casarerpa.orchestrator.testing.RunningOrchestrator;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The configured limits on the real server: 429 past the burst, then recovery as tokens refill. */
class RateLimitedServerTest {
    @TempDir
    Path workDir;

    @Test
    void a_key_past_its_burst_gets_429_and_recovers_when_tokens_refill() {
        // 600 a minute: one token every 100 ms; a burst of 3.
        try (RunningOrchestrator server = RunningOrchestrator.embedded(workDir, Map.of(
                "CASARE_ORCHESTRATOR_RATE_LIMIT_REQUESTS_PER_MINUTE", "600",
                "CASARE_ORCHESTRATOR_RATE_LIMIT_BURST", "3"))) {
            Http http = server.http();
            Map<String, String> key = Map.of("X-API-Key", server.orchestrator().bootstrapKey().orElseThrow());

            Http.Response limited = null;
            for (int i = 0; i < 20 && limited == null; i++) {
                Http.Response r = http.get("/api/v1/workflows", key);
                assertThat(r.header("X-RateLimit-Limit")).isEqualTo("600");
                if (r.status() == 429) {
                    limited = r;
                }
            }
            assertThat(limited).as("no 429 within 20 requests").isNotNull();
            assertThat(limited.header("Retry-After")).isEqualTo("1");
            assertThat(limited.header("X-RateLimit-Remaining")).isEqualTo("0");
            assertThat(limited.json().at("/error/code").asText()).isEqualTo("rate_limited");
            assertThat(limited.json().at("/error/details/retry_after_seconds").asInt()).isEqualTo(1);

            for (int i = 0; i < 10; i++) {
                assertThat(http.get("/health").status()).isEqualTo(200);
            }
            await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50))
                    .until(() -> http.get("/api/v1/workflows", key).status() == 200);
        }
    }
}
