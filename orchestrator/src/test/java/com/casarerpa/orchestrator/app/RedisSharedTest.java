package com.casarerpa.orchestrator.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.casarerpa.common.json.Json;
import com.casarerpa.orchestrator.workflow.WorkflowJson;
import com.casarerpa.orchestrator.testing.CliHarness;
import com.casarerpa.orchestrator.testing.Http;
import com.casarerpa.orchestrator.testing.LocalRedis;
import com.casarerpa.orchestrator.testing.RunningOrchestrator;
import com.casarerpa.orchestrator.testing.TestPostgres;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two instances on one PostgreSQL database and the machine's Redis (under a key prefix of this
 * test's own, deleted after): one rate limit for both, and a revoked key (through the API or the
 * CLI) refused at once on both while the key cache is warm.
 */
@Tag("ops")
class RedisSharedTest {
    private final String prefix = LocalRedis.uniquePrefix();

    @TempDir
    Path workA;

    @TempDir
    Path workB;

    @AfterEach
    void deleteTheKeysOfThisTest() {
        LocalRedis.deleteKeys(LocalRedis.MACHINE_URL, prefix);
    }

    private Map<String, String> env() {
        // Ten requests at once, then one a minute: the second instance sees what the first spent.
        return Map.of("REDIS_URL", LocalRedis.MACHINE_URL, "CASARE_REDIS_KEY_PREFIX", prefix,
                "CASARE_REDIS_TIMEOUT_MS", "2000", "CASARE_ORCHESTRATOR_RATE_LIMIT_BURST", "10",
                "CASARE_ORCHESTRATOR_RATE_LIMIT_REQUESTS_PER_MINUTE", "1", "CASARE_DATABASE_POOL_SIZE", "4");
    }

    @Test
    void two_instances_share_one_rate_limit_and_a_revoked_key_is_refused_at_once_on_both() throws Exception {
        String db = TestPostgres.createMigratedDatabase();
        try (RunningOrchestrator a = RunningOrchestrator.postgresOn(workA, db, env());
                RunningOrchestrator b = RunningOrchestrator.postgresOn(workB, db, env())) {
            Map<String, String> admin = key(Json.mapper().readTree(CliHarness.orchestrator(a.env(), workA,
                    "create-api-key", "--name", "admin", "--role", "admin", "--json").out()).get("key").asText());
            Http onA = a.http();
            Http onB = b.http();

            Map<String, String> spender = key(onA.post("/api/v1/api-keys", "{\"name\":\"spender\",\"role\":\"viewer\"}", admin)
                    .json().get("key").asText());
            for (int i = 0; i < 10; i++) {
                assertThat(onA.get("/api/v1/workflows", spender).status()).as("request %d on A", i).isEqualTo(200);
            }
            Http.Response refused = onB.get("/api/v1/workflows", spender);
            assertThat(refused.status()).as("B, after A spent the burst: %s", refused.body()).isEqualTo(429);
            assertThat(refused.header("Retry-After")).isNotNull();
            assertThat(LocalRedis.keys(LocalRedis.MACHINE_URL, prefix + "rate:api:")).isNotEmpty();

            JsonNode created = onA.post("/api/v1/api-keys", "{\"name\":\"soon revoked\",\"role\":\"viewer\"}", admin).json();
            String plaintext = created.get("key").asText();
            Map<String, String> doomed = key(plaintext);
            assertThat(onA.get("/api/v1/workflows", doomed).status()).isEqualTo(200);
            assertThat(onB.get("/api/v1/workflows", doomed).status()).isEqualTo(200);
            assertThat(LocalRedis.keys(LocalRedis.MACHINE_URL, prefix + "key:h:" + WorkflowJson.sha256(plaintext)))
                    .as("the key is cached").hasSize(1);

            assertThat(onA.delete("/api/v1/api-keys/" + created.get("id").asText(), admin).status()).isEqualTo(200);
            assertThat(onB.get("/api/v1/workflows", doomed).status()).as("on B at once").isEqualTo(401);
            assertThat(onA.get("/api/v1/workflows", doomed).status()).as("on A at once").isEqualTo(401);
            assertThat(onB.get("/ready").json().get("checks").get("redis").asText()).isEqualTo("connected");

            // The CLI revokes in the database directly, and tells the cache through Redis.
            JsonNode byCli = onA.post("/api/v1/api-keys", "{\"name\":\"revoked by the CLI\",\"role\":\"viewer\"}", admin).json();
            Map<String, String> cliDoomed = key(byCli.get("key").asText());
            assertThat(onA.get("/api/v1/workflows", cliDoomed).status()).isEqualTo(200);
            assertThat(onB.get("/api/v1/workflows", cliDoomed).status()).isEqualTo(200);
            assertThat(CliHarness.orchestrator(a.env(), workA, "revoke-api-key", byCli.get("id").asText()).out()).contains("Revoked");
            assertThat(onB.get("/api/v1/workflows", cliDoomed).status()).as("on B at once").isEqualTo(401);
            assertThat(onA.get("/api/v1/workflows", cliDoomed).status()).as("on A at once").isEqualTo(401);
        } finally {
            TestPostgres.dropDatabase(db);
        }
    }

    private static Map<String, String> key(String plaintext) {
        return Map.of("X-API-Key", plaintext);
    }
}
