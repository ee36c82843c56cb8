package com.casarerpa.orchestrator.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.casarerpa.common.json.Json;
import com.casarerpa.orchestrator.testing.CliHarness;
import com.casarerpa.orchestrator.testing.Http;
import com.casarerpa.orchestrator.testing.RunningOrchestrator;
import com.casarerpa.orchestrator.testing.Samples;
import com.casarerpa.orchestrator.testing.Scrape;
import com.casarerpa.orchestrator.testing.TestPostgres;
import com.casarerpa.testkit.TestRobot;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two instances on one PostgreSQL, aggregated as docs/monitoring.md says: jobs submitted on one
 * and run by a robot of the other are counted once in the sum over instances (enqueued where they
 * were inserted, ended where they ended), and the shared series are the same on both.
 */
class MetricsAcrossInstancesTest {
    @TempDir
    Path workA;

    @TempDir
    Path workB;

    @Test
    void per_instance_series_sum_to_what_happened_and_shared_ones_agree() throws Exception {
        String db = TestPostgres.createMigratedDatabase();
        Map<String, String> env = Map.of("CASARE_ORCHESTRATOR_RATE_LIMIT_BURST", "1000", "CASARE_DATABASE_POOL_SIZE", "4");
        try (RunningOrchestrator a = RunningOrchestrator.postgresOn(workA, db, env);
                RunningOrchestrator b = RunningOrchestrator.postgresOn(workB, db, env)) {
            Map<String, String> admin = Map.of("X-API-Key", Json.mapper().readTree(CliHarness.orchestrator(a.env(), workA,
                    "create-api-key", "--name", "admin", "--role", "admin", "--json").out()).get("key").asText());
            Http onA = a.http();
            String robotKey = onA.post("/api/v1/api-keys", "{\"name\":\"r\",\"role\":\"robot\"}", admin).json().get("key").asText();
            assertThat(onA.post("/api/v1/workflows", "{\"name\":\"Snippet\",\"workflow_data\":"
                    + Samples.text("snippet-two-set-variables.json") + "}", admin).status()).isEqualTo(201);

            try (TestRobot robot = TestRobot.connect(b.orchestrator().port(), robotKey)) {
                ObjectNode fields = Json.mapper().createObjectNode().put("robot_id", "robot-on-b").put("max_concurrent_jobs", 1);
                assertThat(robot.register(fields).get("type").asText()).isEqualTo("registered");
                for (int i = 0; i < 2; i++) {
                    assertThat(onA.post("/api/v1/jobs", "{\"workflow_name\":\"Snippet\"}", admin).status()).isEqualTo(201);
                    JsonNode assign = robot.next("job_assign", Duration.ofSeconds(10));
                    robot.call(TestRobot.report("job_started", assign));
                    ObjectNode done = TestRobot.report("job_completed", assign);
                    done.putObject("result").put("executed_nodes", 2).put("duration_ms", 5);
                    assertThat(robot.call(done).get("job_state").asText()).isEqualTo("succeeded");
                }

                await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
                    Scrape onAInstance = Scrape.of(onA.get("/metrics").body());
                    Scrape onBInstance = Scrape.of(b.http().get("/metrics").body());
                    assertThat(onAInstance.value("casare_jobs_enqueued_total")).isEqualTo(2);
                    assertThat(onBInstance.value("casare_jobs_enqueued_total")).isZero();
                    assertThat(onAInstance.value("casare_workflows_total", "status", "success")).isZero();
                    assertThat(onBInstance.value("casare_workflows_total", "status", "success")).isEqualTo(2);
                    assertThat(onBInstance.value("casare_job_run_seconds_count", "status", "success")).isEqualTo(2);
                    for (Scrape s : new Scrape[] {onAInstance, onBInstance}) {
                        assertThat(s.value("casare_robots_active")).isEqualTo(1);
                        assertThat(s.value("casare_robot_slots", "state", "free")).isEqualTo(1);
                        assertThat(s.value("casare_jobs", "state", "pending")).isZero();
                    }
                    assertThat(onAInstance.value("casare_instance_info", "database", "postgresql")).isEqualTo(1);
                    assertThat(onAInstance.find("casare_instance_info").getFirst().labels().get("instance_id"))
                            .isNotEqualTo(onBInstance.find("casare_instance_info").getFirst().labels().get("instance_id"));
                });
            }
        } finally {
            TestPostgres.dropDatabase(db);
        }
    }
}
