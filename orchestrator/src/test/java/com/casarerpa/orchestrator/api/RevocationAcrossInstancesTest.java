package com.casarerpa.orchestrator.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.casarerpa.common.json.Json;
import com.casarerpa.orchestrator.testing.CliHarness;
import com.casarerpa.orchestrator.testing.Http;
import com.casarerpa.orchestrator.testing.RunningOrchestrator;
import com.casarerpa.orchestrator.testing.TestPostgres;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two instances on one PostgreSQL: a key and its tokens work on both, and a revocation on one is seen by the other at once. */
class RevocationAcrossInstancesTest {
    @TempDir
    Path workA;

    @TempDir
    Path workB;

    @Test
    void a_key_revoked_on_one_instance_stops_working_on_the_other_at_once() throws Exception {
        String db = TestPostgres.createDatabase();
        try (RunningOrchestrator a = RunningOrchestrator.postgresOn(workA, db);
                RunningOrchestrator b = RunningOrchestrator.postgresOn(workB, db)) {
            CliHarness.Result created = CliHarness.orchestrator(a.env(), workA, "create-api-key", "--name", "Admin Key",
                    "--role", "admin", "--json");
            String admin = Json.mapper().readTree(created.out()).get("key").asText();
            Http onA = a.http();
            Http onB = b.http();

            Http.Response operator = onA.post("/api/v1/api-keys", "{\"name\":\"ops\",\"role\":\"operator\"}", Map.of("X-API-Key", admin));
            String key = operator.json().get("key").asText();
            String id = operator.json().get("id").asText();
            String token = onA.post("/api/v1/auth/token", "{\"api_key\":\"" + key + "\"}", Map.of()).json().get("access_token").asText();

            assertThat(onB.get("/api/v1/workflows", Map.of("X-API-Key", key)).status()).isEqualTo(200);
            assertThat(onB.get("/api/v1/workflows", Map.of("Authorization", "Bearer " + token)).status()).isEqualTo(200);

            assertThat(onA.delete("/api/v1/api-keys/" + id, Map.of("X-API-Key", admin)).status()).isEqualTo(200);

            assertThat(onB.get("/api/v1/workflows", Map.of("X-API-Key", key)).status()).isEqualTo(401);
            assertThat(onB.get("/api/v1/workflows", Map.of("Authorization", "Bearer " + token)).status()).isEqualTo(401);
        } finally {
            TestPostgres.dropDatabase(db);
        }
    }
}
