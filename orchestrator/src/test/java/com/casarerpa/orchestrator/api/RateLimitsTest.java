package com.casarerpa.orchestrator.api;

import com.casarerpa.orchestrator.domain.Permission;

import static org.assertj.core.api.Assertions.assertThat;

import com.casarerpa.orchestrator.domain.Actor;
import com.casarerpa.orchestrator.domain.Role;
import com.casarerpa.orchestrator.service.RateLimitPolicy;
import com.casarerpa.orchestrator.testing.Http;
import com.casarerpa.orchestrator.testing.ManualTimeMeter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Rate limiting over real HTTP. Authentication is stood in for by a {@code beforeMatched} handler
 * that takes the caller's key id from {@code X-Test-Key}, as the real one takes it from the
 * credentials, and then calls {@link RateLimits#enforce} as the real one does.
 */
class RateLimitsTest {
    private static final String KEY = "X-Test-Key";
    /** 60 per minute: one token a second; bursts of 3. Robots get 600 and 30. */
    private static final RateLimitPolicy POLICY = new RateLimitPolicy(60, 3);

    private final ManualTimeMeter time = new ManualTimeMeter();
    private final RateLimits limits = RateLimits.of(POLICY, time);
    private HttpApi api;
    private Http http;

    private final RouteGroup testRoutes = routes -> {
        routes.beforeMatched(ctx -> {
            Access access = ctx.routeRoles().stream()
                    .filter(Access.class::isInstance).map(Access.class::cast).findFirst().orElseThrow();
            Optional<Actor> caller = Optional.ofNullable(ctx.header(KEY)).map(id -> Actor.apiKey(id, "test " + id, Role.ADMIN));
            limits.enforce(ctx, access, caller);
        });
        routes.get("/test/items", ctx -> ctx.result("items"), Access.to(Permission.WORKFLOW_READ));
        routes.get("/test/public", ctx -> ctx.result("public"), Access.PUBLIC);
        // Handlers read their bodies as real ones do (Jetty may close a connection whose body was left unread).
        routes.post("/test/robot/heartbeat", ctx -> ctx.result("ok " + ctx.body()), Access.ROBOT);
        routes.post("/test/token", ctx -> {
            limits.enforceByAddress(ctx);
            ctx.result("token " + ctx.body());
        }, Access.PUBLIC);
    };

    private void start() {
        api = new HttpApi("127.0.0.1", 0, 1, Duration.ofSeconds(5),
                List.of(testRoutes, new OpenApiRoutes(OpenApiDocument.load()))).start();
        http = new Http(api.port());
    }

    @AfterEach
    void stop() {
        if (api != null) {
            api.close();
        }
    }

    private Http.Response items(String key) {
        return http.get("/test/items", Map.of(KEY, key));
    }

    @Test
    void a_caller_gets_its_burst_and_then_429_with_the_error_body() {
        start();
        for (int remaining = 2; remaining >= 0; remaining--) {
            Http.Response ok = items("k1");
            assertThat(ok.status()).isEqualTo(200);
            assertThat(ok.header("X-RateLimit-Limit")).isEqualTo("60");
            assertThat(ok.header("X-RateLimit-Remaining")).isEqualTo(Integer.toString(remaining));
            assertThat(ok.header("Retry-After")).isNull();
        }

        Http.Response refused = items("k1");

        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.header("Retry-After")).isEqualTo("1");
        assertThat(refused.header("X-RateLimit-Limit")).isEqualTo("60");
        assertThat(refused.header("X-RateLimit-Remaining")).isEqualTo("0");
        assertThat(refused.json().at("/error/code").asText()).isEqualTo("rate_limited");
        assertThat(refused.json().at("/error/retryable").asBoolean()).isTrue();
        assertThat(refused.json().at("/error/details/retry_after_seconds").asLong()).isEqualTo(1);
        assertThat(refused.json().at("/error/message").asText())
                .isEqualTo("Too many requests for this API key: the limit is 60 requests per minute with bursts of 3. Retry after 1 s.");
        assertThat(refused.json().at("/request_id").asText()).isEqualTo(refused.header("X-Request-ID"));
    }

    @Test
    void retry_after_is_the_whole_seconds_until_the_next_token() {
        RateLimits slow = RateLimits.of(new RateLimitPolicy(4, 1), time); // a token every 15 s
        api = new HttpApi("127.0.0.1", 0, 1, Duration.ofSeconds(5), List.of(routes -> {
            routes.beforeMatched(ctx -> slow.enforce(ctx, Access.to(Permission.WORKFLOW_READ), Optional.of(Actor.apiKey("k", "k", Role.VIEWER))));
            routes.get("/test/items", ctx -> ctx.result("items"), Access.to(Permission.WORKFLOW_READ));
        })).start();
        http = new Http(api.port());
        assertThat(http.get("/test/items").status()).isEqualTo(200);

        assertThat(http.get("/test/items").header("Retry-After")).isEqualTo("15");
        time.advance(Duration.ofMillis(4_500));
        assertThat(http.get("/test/items").header("Retry-After")).isEqualTo("11");
        time.advance(Duration.ofMillis(10_499));
        assertThat(http.get("/test/items").header("Retry-After")).isEqualTo("1");
        time.advance(Duration.ofMillis(1));
        assertThat(http.get("/test/items").status()).isEqualTo(200);
    }

    @Test
    void a_refused_caller_is_let_in_again_as_tokens_come_back() {
        start();
        for (int i = 0; i < 4; i++) {
            items("k1");
        }
        assertThat(items("k1").status()).isEqualTo(429);

        time.advance(Duration.ofSeconds(1));
        Http.Response one = items("k1");
        assertThat(one.status()).isEqualTo(200);
        assertThat(one.header("X-RateLimit-Remaining")).isEqualTo("0");
        assertThat(items("k1").status()).isEqualTo(429);

        time.advance(Duration.ofMinutes(10));
        assertThat(items("k1").header("X-RateLimit-Remaining")).as("never more than the burst").isEqualTo("2");
    }

    @Test
    void each_api_key_has_its_own_bucket() {
        start();
        for (int i = 0; i < 3; i++) {
            items("k1");
        }
        assertThat(items("k1").status()).isEqualTo(429);

        Http.Response other = items("k2");
        assertThat(other.status()).isEqualTo(200);
        assertThat(other.header("X-RateLimit-Remaining")).isEqualTo("2");
    }

    @Test
    void without_credentials_each_client_address_has_its_own_bucket() {
        start();
        for (int i = 0; i < 3; i++) {
            assertThat(getFrom("127.0.0.1", "/test/items").statusCode()).isEqualTo(200);
        }
        assertThat(getFrom("127.0.0.1", "/test/items").statusCode()).isEqualTo(429);

        HttpResponse<String> elsewhere = getFrom("127.0.0.2", "/test/items");
        assertThat(elsewhere.statusCode()).isEqualTo(200);
        assertThat(elsewhere.headers().firstValue("X-RateLimit-Remaining")).contains("2");
        assertThat(items("k1").status()).as("a key is not charged to its address").isEqualTo(200);
    }

    @Test
    void public_routes_are_never_limited_and_carry_no_rate_headers() {
        start();
        for (int i = 0; i < 3; i++) {
            items("k1");
        }
        for (int i = 0; i < 10; i++) {
            for (String path : List.of("/test/public")) {
                Http.Response r = http.get(path, Map.of(KEY, "k1"));
                assertThat(r.status()).as(path).isEqualTo(200);
                assertThat(r.header("X-RateLimit-Limit")).as(path).isNull();
                assertThat(r.header("X-RateLimit-Remaining")).as(path).isNull();
            }
        }
    }

    @Test
    void robot_routes_have_a_separate_ten_times_larger_budget_per_key() {
        start();
        for (int i = 0; i < 3; i++) {
            items("robot-1");
        }
        assertThat(items("robot-1").status()).isEqualTo(429);

        for (int remaining = 29; remaining >= 0; remaining--) {
            Http.Response beat = http.post("/test/robot/heartbeat", "{}", Map.of(KEY, "robot-1"));
            assertThat(beat.status()).isEqualTo(200);
            assertThat(beat.header("X-RateLimit-Limit")).isEqualTo("600");
            assertThat(beat.header("X-RateLimit-Remaining")).isEqualTo(Integer.toString(remaining));
        }
        Http.Response refused = http.post("/test/robot/heartbeat", "{}", Map.of(KEY, "robot-1"));
        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.header("Retry-After")).isEqualTo("1");
        assertThat(http.post("/test/robot/heartbeat", "{}", Map.of(KEY, "robot-2")).status()).isEqualTo(200);

        time.advance(Duration.ofSeconds(1));
        assertThat(items("robot-1").header("X-RateLimit-Remaining"))
                .as("the robot traffic did not use the normal budget").isEqualTo("0");
    }

    @Test
    void the_token_exchange_is_limited_per_address_although_it_is_public() {
        start();
        for (int remaining = 2; remaining >= 0; remaining--) {
            Http.Response r = http.post("/test/token", "{}", Map.of());
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.header("X-RateLimit-Remaining")).isEqualTo(Integer.toString(remaining));
        }
        Http.Response refused = http.post("/test/token", "{}", Map.of());
        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.json().at("/error/message").asText()).startsWith("Too many requests for this client address");
    }

    /** A request from another loopback address (all of 127.0.0.0/8 reaches this machine). */
    private HttpResponse<String> getFrom(String localAddress, String path) {
        try {
            HttpClient client = HttpClient.newBuilder().localAddress(InetAddress.getByName(localAddress)).build();
            try (client) {
                HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + path))
                        .timeout(Duration.ofSeconds(10)).GET().build();
                return client.send(request, HttpResponse.BodyHandlers.ofString());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
