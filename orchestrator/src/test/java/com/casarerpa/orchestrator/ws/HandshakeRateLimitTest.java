package com.casarerpa.orchestrator.ws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.casarerpa.orchestrator.testing.Http;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Refused robot channel handshakes are limited per client address, with the budget REST requests
 * with refused credentials draw on ({@code orchestrator.rate_limit.*}): past it, 429 with
 * {@code Retry-After} before the upgrade and before any key is looked up; another address is not
 * affected, and the address may connect again once tokens come back.
 */
class HandshakeRateLimitTest {
    private static final String BAD_KEY = "crpa_" + "x".repeat(43);
    private static final int BURST = 5;

    @TempDir
    Path workDir;

    /** A token every 5 s (none comes back during a burst of attempts), {@value #BURST} at once. */
    private ChannelServer server() {
        return ChannelServer.embedded(workDir, Map.of("CASARE_ORCHESTRATOR_RATE_LIMIT_REQUESTS_PER_MINUTE", "12",
                "CASARE_ORCHESTRATOR_RATE_LIMIT_BURST", String.valueOf(BURST)));
    }

    @Test
    void bad_key_handshakes_past_the_budget_get_429_and_a_good_key_from_another_address_still_connects() {
        try (ChannelServer s = server()) {
            for (int i = 0; i < BURST; i++) {
                assertThat(refusal(s.port(), "127.0.0.1", BAD_KEY).map(HttpResponse::statusCode)).as("attempt " + (i + 1)).contains(401);
            }
            HttpResponse<?> limited = refusal(s.port(), "127.0.0.1", BAD_KEY).orElseThrow();
            assertThat(limited.statusCode()).isEqualTo(429);
            assertThat(limited.headers().firstValue("Retry-After")).hasValueSatisfying(v -> assertThat(Long.parseLong(v)).isPositive());

            // The address is refused before its key is looked up, whatever key it sends now ...
            assertThat(refusal(s.port(), "127.0.0.1", s.robotKey).map(HttpResponse::statusCode)).contains(429);
            // ... while the same good key from another address connects at once ...
            assertThat(refusal(s.port(), "127.0.0.2", s.robotKey)).isEmpty();
            // ... and from this address again once a token is back.
            await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(500))
                    .until(() -> refusal(s.port(), "127.0.0.1", s.robotKey).isEmpty());
        }
    }

    @Test
    void rest_requests_with_bad_keys_and_handshakes_with_bad_keys_share_the_address_budget() {
        try (ChannelServer s = server()) {
            Http http = s.http;
            assertThat(http.get("/api/v1/workflows", s.admin).status()).as("the admin key works before the flood").isEqualTo(200);
            for (int i = 0; i < BURST; i++) {
                assertThat(http.get("/api/v1/workflows", Map.of("X-API-Key", BAD_KEY)).status()).isEqualTo(401);
            }
            Http.Response rest = http.get("/api/v1/workflows", Map.of("X-API-Key", BAD_KEY));
            assertThat(rest.status()).isEqualTo(429);
            assertThat(rest.json().at("/error/code").asText()).isEqualTo("rate_limited");
            assertThat(rest.header("Retry-After")).isNotBlank();
            assertThat(refusal(s.port(), "127.0.0.1", BAD_KEY).map(HttpResponse::statusCode)).contains(429);
            // A key this instance has not seen work waits for the budget too: it cannot be told from a guess unlooked ...
            assertThat(refusal(s.port(), "127.0.0.1", s.robotKey).map(HttpResponse::statusCode)).contains(429);
            // ... but one that worked before the flood still does, from the same address: a shared NAT or proxy
            // full of bad guesses does not lock out the people and robots already working behind it.
            assertThat(http.get("/api/v1/workflows", s.admin).status()).isEqualTo(200);
            assertThat(refusal(s.port(), "127.0.0.2", s.robotKey)).isEmpty();
            assertThat(refusal(s.port(), "127.0.0.1", s.robotKey)).as("accepted from elsewhere, so known to work").isEmpty();
        }
    }

    /** The refused handshake's answer, or empty when the upgrade succeeded (then closed again). */
    static Optional<HttpResponse<?>> refusal(int port, String fromAddress, String key) {
        HttpClient client = HttpClient.newBuilder().localAddress(address(fromAddress)).build();
        try {
            WebSocket ws = client.newWebSocketBuilder().header("Authorization", "Bearer " + key)
                    .buildAsync(URI.create("ws://127.0.0.1:" + port + "/ws/robots"), new WebSocket.Listener() { })
                    .join();
            ws.abort();
            return Optional.empty();
        } catch (CompletionException e) {
            if (e.getCause() instanceof WebSocketHandshakeException h) {
                return Optional.of(h.getResponse());
            }
            throw e;
        } finally {
            client.close();
        }
    }

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
