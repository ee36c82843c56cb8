package com.casarerpa.orchestrator.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.casarerpa.common.json.Json;
import com.casarerpa.orchestrator.testing.CliHarness;
import com.casarerpa.orchestrator.testing.Http;
import com.casarerpa.orchestrator.testing.LocalRedis;
import com.casarerpa.orchestrator.testing.RunningOrchestrator;
import com.casarerpa.orchestrator.testing.Scrape;
import com.casarerpa.orchestrator.testing.TcpProxy;
import com.casarerpa.orchestrator.testing.TestPostgres;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Redis going away under two instances (a {@code redis-server} of the test's own): no request
 * fails for it, both fall back (per-instance buckets, keys from the database), say so in /ready
 * and count it; a key revoked meanwhile never comes back, whether Redis returns empty (killed),
 * with its data (paused) or was only out of one instance's reach; and once it is back the rate
 * limits are shared again. An instance also starts while Redis is down, and uses it once it answers.
 */
@Tag("ops")
class RedisOutageTest {
    private static final String ROUTE = "/api/v1/workflows";

    @TempDir
    Path workA;

    @TempDir
    Path workB;

    @Test
    void requests_go_on_without_redis_and_no_revoked_key_comes_back() throws Exception {
        String db = TestPostgres.createMigratedDatabase();
        String prefix = LocalRedis.uniquePrefix();
        try (LocalRedis redis = LocalRedis.start(); TcpProxy toRedisFromA = new TcpProxy("127.0.0.1", redis.port())) {
            Map<String, String> env = new HashMap<>(Map.of("CASARE_REDIS_KEY_PREFIX", prefix, "CASARE_REDIS_TIMEOUT_MS", "300",
                    "CASARE_ORCHESTRATOR_RATE_LIMIT_BURST", "1000", "CASARE_DATABASE_POOL_SIZE", "4"));
            Map<String, String> envA = new HashMap<>(env);
            envA.put("REDIS_URL", "redis://127.0.0.1:" + toRedisFromA.port());
            env.put("REDIS_URL", redis.url());
            try (RunningOrchestrator a = RunningOrchestrator.postgresOn(workA, db, envA);
                    RunningOrchestrator b = RunningOrchestrator.postgresOn(workB, db, env)) {
                Map<String, String> admin = key(Json.mapper().readTree(CliHarness.orchestrator(a.env(), workA,
                        "create-api-key", "--name", "admin", "--role", "admin", "--json").out()).get("key").asText());
                Http onA = a.http();
                Http onB = b.http();
                List<Http> both = List.of(onA, onB);
                Map<String, String> steady = key(newKey(onA, admin, "steady").get("key").asText());

                // Out of A's reach only: B keeps a warm entry in Redis, A cannot raise the generation there.
                JsonNode partitioned = newKey(onA, admin, "revoked while A cannot reach Redis");
                warm(both, partitioned);
                toRedisFromA.cut();
                revoke(onA, admin, partitioned);
                assertThat(onA.get(ROUTE, key(partitioned)).status()).isEqualTo(401);
                await().atMost(Duration.ofSeconds(3)).until(() -> onB.get(ROUTE, key(partitioned)).status() == 401);
                assertThat(onA.get(ROUTE, steady).status()).isEqualTo(200);
                toRedisFromA.restore();
                awaitRedis(both, "connected");

                // Paused: commands time out; back with every entry it had.
                JsonNode paused = newKey(onA, admin, "revoked while Redis is paused");
                warm(both, paused);
                redis.pause();
                revoke(onA, admin, paused);
                for (Http on : both) {
                    assertThat(on.get(ROUTE, key(paused)).status()).isEqualTo(401);
                    assertThat(on.get(ROUTE, steady).status()).isEqualTo(200);
                }
                redis.resume();
                awaitRedis(both, "connected");
                for (Http on : both) {
                    assertThat(on.get(ROUTE, key(paused)).status()).as("after Redis came back with its entries").isEqualTo(401);
                    assertThat(on.get(ROUTE, key(partitioned)).status()).isEqualTo(401);
                }

                // Killed: requests go on, fallbacks counted, /ready says degraded and stays 200.
                JsonNode killed = newKey(onA, admin, "revoked while Redis is down");
                warm(both, killed);
                redis.kill();
                for (int i = 0; i < 20; i++) {
                    Http.Response r = both.get(i % 2).get(ROUTE, steady);
                    assertThat(r.status()).as("request %d while Redis is down: %s", i, r.body()).isEqualTo(200);
                }
                revoke(onA, admin, killed);
                for (Http on : both) {
                    assertThat(on.get(ROUTE, key(killed)).status()).isEqualTo(401);
                    Http.Response ready = on.get("/ready");
                    assertThat(ready.status()).as(ready.body()).isEqualTo(200);
                    assertThat(ready.json().get("checks").get("redis").asText()).isEqualTo("degraded");
                    Scrape metrics = Scrape.of(on.get("/metrics").body());
                    assertThat(metrics.value("casare_redis_fallbacks_total", "use", "rate_limit")).isPositive();
                    assertThat(metrics.value("casare_redis_up")).isZero();
                }

                redis.restart();
                awaitRedis(both, "connected");
                for (Http on : both) {
                    assertThat(on.get(ROUTE, steady).status()).isEqualTo(200);
                    for (JsonNode revoked : List.of(partitioned, paused, killed)) {
                        assertThat(on.get(ROUTE, key(revoked)).status()).isEqualTo(401);
                    }
                }
                assertThat(LocalRedis.keys(redis.url(), prefix + "rate:api:")).as("the buckets are in Redis again").isNotEmpty();
                assertThat(LocalRedis.keys(redis.url(), prefix + "key:h:")).as("the steady key is cached again").isNotEmpty();
            }
        } finally {
            TestPostgres.dropDatabase(db);
        }
    }

    @Test
    void an_instance_starts_while_redis_is_down_and_uses_it_once_it_answers() throws Exception {
        String prefix = LocalRedis.uniquePrefix();
        try (LocalRedis redis = LocalRedis.notStarted();
                RunningOrchestrator a = RunningOrchestrator.embedded(workA, Map.of("REDIS_URL", redis.url(),
                        "CASARE_REDIS_KEY_PREFIX", prefix, "CASARE_REDIS_TIMEOUT_MS", "300"))) {
            Http on = a.http();
            Map<String, String> admin = key(a.adminKey(workA));
            Http.Response ready = on.get("/ready");
            assertThat(ready.status()).as(ready.body()).isEqualTo(200);
            assertThat(ready.json().get("checks").get("redis").asText()).isEqualTo("degraded");
            assertThat(on.get(ROUTE, admin).status()).isEqualTo(200);
            Scrape metrics = Scrape.of(on.get("/metrics").body());
            assertThat(metrics.value("casare_redis_fallbacks_total", "use", "key_cache")).isPositive();
            metrics.assertPromtoolAccepts();

            redis.restart();
            awaitRedis(List.of(on), "connected");
            assertThat(on.get(ROUTE, admin).status()).isEqualTo(200);
            assertThat(LocalRedis.keys(redis.url(), prefix + "rate:api:")).as("the buckets are in Redis").isNotEmpty();
        }
    }

    private static JsonNode newKey(Http on, Map<String, String> admin, String name) {
        Http.Response r = on.post("/api/v1/api-keys", "{\"name\":\"" + name + "\",\"role\":\"viewer\"}", admin);
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json();
    }

    /** Used on both instances, so Redis holds its entry. */
    private static void warm(List<Http> both, JsonNode created) {
        for (Http on : both) {
            assertThat(on.get(ROUTE, key(created)).status()).isEqualTo(200);
        }
    }

    private static void revoke(Http on, Map<String, String> admin, JsonNode created) {
        Http.Response r = on.delete("/api/v1/api-keys/" + created.get("id").asText(), admin);
        assertThat(r.status()).as("the revocation, whatever Redis does: %s", r.body()).isEqualTo(200);
    }

    private static void awaitRedis(List<Http> both, String state) {
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            for (Http on : both) {
                assertThat(on.get("/ready").json().get("checks").get("redis").asText()).isEqualTo(state);
            }
        });
    }

    private static Map<String, String> key(JsonNode created) {
        return key(created.get("key").asText());
    }

    private static Map<String, String> key(String plaintext) {
        return Map.of("X-API-Key", plaintext);
    }
}
