package com.casarerpa.orchestrator.api;

import static org.assertj.core.api.Assertions.assertThat;

import static org.awaitility.Awaitility.await;

import com.casarerpa.common.json.Json;
import com.casarerpa.orchestrator.testing.Http;
import com.casarerpa.orchestrator.testing.RunningOrchestrator;
import com.casarerpa.orchestrator.testing.Samples;
import com.casarerpa.testkit.TestRobot;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** "Why is this job still pending?" answered from the fleet (DESIGN.md §5). */
class WaitingReasonTest {
    @TempDir
    Path workDir;

    @Test
    void the_reason_follows_the_fleet() throws Exception {
        try (RunningOrchestrator server = RunningOrchestrator.embedded(workDir)) {
            Http http = server.http();
            Map<String, String> admin = Map.of("X-API-Key", server.orchestrator().bootstrapKey().orElseThrow());
            String sample = com.casarerpa.orchestrator.testing.Samples.text("batch_2_2_xml.json");
            http.post("/api/v1/workflows", "{\"name\":\"XML\",\"workflow_data\":" + sample + "}", admin);
            Map<String, String> robot = Map.of("X-API-Key",
                    http.post("/api/v1/api-keys", "{\"name\":\"r\",\"role\":\"robot\"}", admin).json().get("key").asText());
            String job = http.post("/api/v1/jobs", "{\"workflow_name\":\"XML\",\"required_capabilities\":[\"desktop\"]}", admin)
                    .json().get("id").asText();

            assertThat(reason(http, admin, job)).isEqualTo("no robot online");
            http.post("/api/v1/robots/register", "{\"robot_id\":\"web\",\"name\":\"web\",\"capabilities\":[\"browser\"]}", robot);
            assertThat(reason(http, admin, job)).isEqualTo("no online robot has capability desktop");
            http.post("/api/v1/robots/register", "{\"robot_id\":\"desk\",\"name\":\"desk\",\"capabilities\":[\"desktop\"],"
                    + "\"max_concurrent_jobs\":1}", robot);
            http.post("/api/v1/robots/desk/maintenance", "{\"enabled\":true}", admin);
            assertThat(reason(http, admin, job)).isEqualTo("every robot that can run it is in maintenance");
            http.post("/api/v1/robots/desk/maintenance", "{\"enabled\":false}", admin);
            assertThat(reason(http, admin, job)).isEqualTo("waiting for the next claim of a free robot");

            String second = http.post("/api/v1/jobs", "{\"workflow_name\":\"XML\",\"required_capabilities\":[\"desktop\"]}", admin)
                    .json().get("id").asText();
            assertThat(http.post("/api/v1/jobs/claim", "{\"robot_id\":\"desk\"}", robot).json().get("job_id").asText()).isEqualTo(job);
            assertThat(reason(http, admin, second)).isEqualTo("all slots busy on the 1 robot(s) that can run it");
        }
    }

    /** The chain sample runs StartNode, SetVariableNode and EndNode; WebSocket robots list the node types they run. */
    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void a_job_needing_a_node_type_no_online_robot_runs_names_it(String database) throws Exception {
        try (RunningOrchestrator server = database.equals("h2") ? RunningOrchestrator.embedded(workDir)
                : RunningOrchestrator.postgres(workDir)) {
            Http http = server.http();
            Map<String, String> admin = Map.of("X-API-Key", server.adminKey(workDir));
            http.post("/api/v1/workflows", "{\"name\":\"Greeting\",\"workflow_data\":" + Samples.chain("Greeting", "hi") + "}",
                    admin);
            String robotKey = http.post("/api/v1/api-keys", "{\"name\":\"r\",\"role\":\"robot\"}", admin).json().get("key").asText();
            String job = http.post("/api/v1/jobs", "{\"workflow_name\":\"Greeting\"}", admin).json().get("id").asText();

            try (TestRobot partial = TestRobot.connect(server.orchestrator().port(), robotKey);
                    TestRobot setter = TestRobot.connect(server.orchestrator().port(), robotKey)) {
                partial.register(offering("partial", "StartNode", "EndNode", "HttpRequestNode"));
                await().atMost(Duration.ofSeconds(10)).until(() -> reason(http, admin, job),
                        r -> r.equals("no online robot runs node type SetVariableNode"));

                setter.register(offering("setter", "SetVariableNode"));
                await().atMost(Duration.ofSeconds(10)).until(() -> reason(http, admin, job), r -> r.equals(
                        "no online robot runs all of its workflow's node types (each is run by some robot, none runs them all)"));
                assertThat(http.get("/api/v1/jobs/" + job, admin).json().get("state").asText())
                        .as("neither robot was sent the job").isEqualTo("pending");

                // A REST agent lists no node types: it runs any, as the claim has it.
                http.post("/api/v1/robots/register", "{\"robot_id\":\"rest\",\"name\":\"rest\"}", Map.of("X-API-Key", robotKey));
                assertThat(reason(http, admin, job)).isEqualTo("waiting for the next claim of a free robot");
            }
        }
    }

    private static ObjectNode offering(String robotId, String... nodeTypes) {
        ObjectNode fields = Json.mapper().createObjectNode().put("robot_id", robotId);
        List.of(nodeTypes).forEach(fields.putArray("node_types")::add);
        return fields;
    }

    private static String reason(Http http, Map<String, String> admin, String job) {
        return http.get("/api/v1/jobs/" + job, admin).json().get("waiting_reason").asText();
    }
}
