package com.casarerpa.orchestrator.ws;

import static com.casarerpa.orchestrator.ws.HandshakeRateLimitTest.refusal;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.casarerpa.testkit.TestRobot;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code robots.connect_limit.*} (docs/websocket-api.md, "Reconnect storms: what the server
 * does"): opening robot connections draws on a budget per key of its own, not on the key's request
 * budget, and refuses a key that opens more than it allows (429); an instance takes a bounded
 * number of connections that have not registered yet and answers more 503 with
 * {@code Retry-After}, until some have registered.
 */
class ConnectLimitTest {
    @TempDir
    Path workDir;

    @Test
    void a_key_opening_connections_past_its_connection_budget_gets_429_while_its_request_budget_and_other_keys_are_untouched() {
        // The key's request budget for robot routes is the default 200 at once: the old limit of connections.
        try (ChannelServer s = ChannelServer.embedded(workDir, Map.of("CASARE_ROBOTS_CONNECT_LIMIT_BURST", "5",
                "CASARE_ROBOTS_CONNECT_LIMIT_PER_MINUTE", "1"))) {
            String otherFleet = s.key("robot", "Other fleet");
            for (int i = 1; i <= 5; i++) {
                assertThat(refusal(s.port(), "127.0.0.1", s.robotKey)).as("connection " + i).isEmpty();
            }
            HttpResponse<?> flood = refusal(s.port(), "127.0.0.1", s.robotKey).orElseThrow();
            assertThat(flood.statusCode()).isEqualTo(429);
            assertThat(flood.headers().firstValue("Retry-After")).hasValueSatisfying(v -> assertThat(Long.parseLong(v)).isPositive());
            // Per key: another fleet key still connects, and the flooding key's requests are not refused.
            assertThat(refusal(s.port(), "127.0.0.1", otherFleet)).isEmpty();
            assertThat(s.http.post("/api/v1/jobs/claim", "{}", Map.of("X-API-Key", s.robotKey)).status()).isNotEqualTo(429);
        }
    }

    @Test
    void past_the_connections_registering_at_once_a_handshake_gets_503_with_retry_after_until_one_registers() {
        try (ChannelServer s = ChannelServer.embedded(workDir, Map.of("CASARE_ROBOTS_CONNECT_LIMIT_REGISTERING", "2"))) {
            List<TestRobot> waiting = new ArrayList<>();
            waiting.add(s.robot());
            waiting.add(s.robot());
            HttpResponse<?> busy = refusal(s.port(), "127.0.0.1", s.robotKey).orElseThrow();
            assertThat(busy.statusCode()).isEqualTo(503);
            assertThat(busy.headers().firstValue("Retry-After")).hasValueSatisfying(v -> assertThat(Long.parseLong(v)).isBetween(1L, 3L));

            assertThat(waiting.getFirst().register(TestRobot.message("register").put("robot_id", "r-first")).path("type").asText())
                    .isEqualTo("registered");
            // One registered: there is room for one more, and no more.
            TestRobot third = s.robot();
            assertThat(refusal(s.port(), "127.0.0.1", s.robotKey).map(HttpResponse::statusCode)).contains(503);
            // A connection that closes before it registers makes room too.
            third.close();
            await().atMost(Duration.ofSeconds(5)).until(() -> refusal(s.port(), "127.0.0.1", s.robotKey).isEmpty());
        }
    }
}
