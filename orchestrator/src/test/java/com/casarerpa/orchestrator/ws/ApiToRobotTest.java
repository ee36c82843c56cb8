package com.casarerpa.orchestrator.ws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.casarerpa.common.json.Json;
import com.casarerpa.orchestrator.testing.CliHarness;
import com.casarerpa.orchestrator.testing.Http;
import com.casarerpa.orchestrator.testing.RunningOrchestrator;
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
 * The whole path of a job through two instances on one PostgreSQL: submitted through the REST
 * API of one, pushed to a WebSocket robot connected to the other, completed there; and a cancel
 * asked on the first reaches the robot on the second.
 */
class ApiToRobotTest {
    @TempDir
    Path workA;

    @TempDir
    Path workB;

    @Test
    void a_job_submitted_on_one_instance_runs_on_a_robot_of_the_other_and_a_cancel_follows_it() throws Exception {
        String db = TestPostgres.createDatabase();
        // the test polls job states through the API: a budget that polling cannot exhaust
        Map<String, String> generous = Map.of("CASARE_ORCHESTRATOR_RATE_LIMIT_BURST", "1000");
        try (RunningOrchestrator a = RunningOrchestrator.postgresOn(workA, db, generous);
                RunningOrchestrator b = RunningOrchestrator.postgresOn(workB, db, generous)) {
            CliHarness.Result created = CliHarness.orchestrator(a.env(), workA, "create-api-key", "--name", "admin",
                    "--role", "admin", "--json");
            Map<String, String> admin = Map.of("X-API-Key", Json.mapper().readTree(created.out()).get("key").asText());
            Http onA = a.http();
            String robotKey = onA.post("/api/v1/api-keys", "{\"name\":\"r\",\"role\":\"robot\"}", admin).json().get("key").asText();
            String sample = com.casarerpa.orchestrator.testing.Samples.text("snippet-two-set-variables.json");
            assertThat(onA.post("/api/v1/workflows", "{\"name\":\"Snippet\",\"workflow_data\":" + sample + "}", admin).status())
                    .isEqualTo(201);

            try (TestRobot robot = TestRobot.connect(b.orchestrator().port(), robotKey)) {
                ObjectNode fields = Json.mapper().createObjectNode().put("robot_id", "robot-on-b").put("max_concurrent_jobs", 2);
                assertThat(robot.register(fields).get("type").asText()).isEqualTo("registered");

                Http.Response submitted = onA.post("/api/v1/jobs", "{\"workflow_name\":\"Snippet\",\"variables\":{\"x\":1}}", admin);
                assertThat(submitted.status()).as(submitted.body()).isEqualTo(201);
                String jobId = submitted.json().get("id").asText();

                JsonNode assign = robot.next("job_assign", Duration.ofSeconds(5));
                assertThat(assign.get("job_id").asText()).isEqualTo(jobId);
                assertThat(assign.at("/workflow/nodes").isObject()).isTrue();
                robot.call(TestRobot.report("job_started", assign));
                ObjectNode done = TestRobot.report("job_completed", assign);
                done.putObject("result").put("executed_nodes", 2).put("duration_ms", 5);
                assertThat(robot.call(done).get("type").asText()).isEqualTo("ack");
                await().atMost(Duration.ofSeconds(5)).until(() ->
                        onA.get("/api/v1/jobs/" + jobId, admin).json().get("state").asText().equals("succeeded"));

                String second = onA.post("/api/v1/jobs", "{\"workflow_name\":\"Snippet\"}", admin).json().get("id").asText();
                JsonNode assign2 = robot.next("job_assign", Duration.ofSeconds(5));
                assertThat(assign2.get("job_id").asText()).isEqualTo(second);
                robot.call(TestRobot.report("job_started", assign2));
                Http.Response cancel = onA.post("/api/v1/jobs/" + second + "/cancel", "{}", admin);
                assertThat(cancel.status()).as(cancel.body()).isEqualTo(202);

                JsonNode stop = robot.next("job_cancel", Duration.ofSeconds(5));
                assertThat(stop.get("job_id").asText()).isEqualTo(second);
                assertThat(stop.get("reason").asText()).isEqualTo("cancelled");
                JsonNode confirmed = robot.call(TestRobot.report("job_cancelled", assign2).put("reason", "cancelled"));
                assertThat(confirmed.get("type").asText()).as(confirmed.toString()).isEqualTo("ack");
                await().atMost(Duration.ofSeconds(5)).until(() ->
                        onA.get("/api/v1/jobs/" + second, admin).json().get("state").asText().equals("cancelled"));
            }
        } finally {
            TestPostgres.dropDatabase(db);
        }
    }
}
