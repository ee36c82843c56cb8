package com.casarerpa.orchestrator.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.casarerpa.orchestrator.testing.Http;
import com.casarerpa.orchestrator.testing.RunningOrchestrator;
import com.casarerpa.orchestrator.testing.Samples;
import com.casarerpa.orchestrator.testing.ShiftedClock;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A running server with {@code max_concurrent_schedules} 1 and the default over-limit policy
 * (queue): two schedules fire at the same minute, both make a job, one waits, says why in its
 * {@code waiting_reason}, is not handed to a robot with a free slot, and goes to it once the
 * first job ends. The server's clock is shifted so the minute is a second or so away.
 */
class ScheduleOverLimitTest {
    @TempDir
    Path work;

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void the_job_of_a_fire_over_the_bound_waits_with_its_reason_and_runs_when_a_slot_frees(String database) {
        ShiftedClock clock = new ShiftedClock();
        // The test polls the history with the admin key faster than the default budget (100 a minute, bursts of 20) allows.
        Map<String, String> env = Map.of("CASARE_SCHEDULER_MAX_CONCURRENT_SCHEDULES", "1",
                "CASARE_ORCHESTRATOR_RATE_LIMIT_REQUESTS_PER_MINUTE", "6000", "CASARE_ORCHESTRATOR_RATE_LIMIT_BURST", "1000");
        try (RunningOrchestrator server = database.equals("h2") ? RunningOrchestrator.embedded(work, env, clock)
                : RunningOrchestrator.postgres(work, env, clock)) {
            Http http = server.http();
            Map<String, String> admin = Map.of("X-API-Key", server.adminKey(work));
            http.post("/api/v1/workflows", "{\"name\":\"Tick\",\"workflow_data\":" + Samples.chain("Tick", "a") + "}", admin);
            Map<String, String> robot = Map.of("X-API-Key",
                    http.post("/api/v1/api-keys", "{\"name\":\"r\",\"role\":\"robot\"}", admin).json().get("key").asText());
            http.post("/api/v1/robots/register", "{\"robot_id\":\"r\",\"name\":\"r\",\"max_concurrent_jobs\":2}", robot);
            clock.boundaryIn(Duration.ofMillis(1500));
            for (String name : List.of("a", "b")) {
                Http.Response created = http.post("/api/v1/schedules", "{\"name\":\"" + name + "\",\"workflow_name\":\"Tick\","
                        + "\"cron\":\"* * * * *\"}", admin);
                assertThat(created.status()).as(created.body()).isEqualTo(201);
            }

            await().atMost(Duration.ofSeconds(15)).until(() -> fires(http, admin).size() == 2);
            List<JsonNode> fires = fires(http, admin);
            assertThat(fires).allSatisfy(f -> assertThat(f.get("outcome").asText()).isEqualTo("started"));
            JsonNode heldFire = fires.stream().filter(f -> !f.get("reason").isNull()).findFirst().orElseThrow();
            assertThat(heldFire.get("reason").asText()).contains("max_concurrent_schedules").contains("waits");
            String held = heldFire.get("job_id").asText();
            assertThat(reason(http, admin, held)).startsWith("max_concurrent_schedules: 1 schedule-started jobs are active (limit 1);")
                    .endsWith("first in line");

            String first = http.post("/api/v1/jobs/claim", "{\"robot_id\":\"r\"}", robot).json().get("job_id").asText();
            assertThat(first).isNotEqualTo(held);
            assertThat(http.post("/api/v1/jobs/claim", "{\"robot_id\":\"r\"}", robot).body())
                    .as("the robot has a free slot, but the held job is not handed out").isEqualTo("null");

            assertThat(http.post("/api/v1/jobs/" + first + "/complete", "{\"result\":{}}", robot).status()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(10)).until(() -> reason(http, admin, held), r -> !r.startsWith("max_concurrent_schedules"));
            assertThat(http.post("/api/v1/jobs/claim", "{\"robot_id\":\"r\"}", robot).json().get("job_id").asText()).isEqualTo(held);
        }
    }

    private static List<JsonNode> fires(Http http, Map<String, String> admin) {
        List<JsonNode> all = new ArrayList<>();
        for (String name : List.of("a", "b")) {
            Http.Response history = http.get("/api/v1/schedules/" + name + "/history", admin);
            assertThat(history.status()).as(history.body()).isEqualTo(200);
            history.json().get("items").forEach(all::add);
        }
        return all;
    }

    private static String reason(Http http, Map<String, String> admin, String job) {
        return http.get("/api/v1/jobs/" + job, admin).json().get("waiting_reason").asText();
    }
}
