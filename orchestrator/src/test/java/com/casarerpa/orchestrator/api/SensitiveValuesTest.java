package com.casarerpa.orchestrator.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.casarerpa.common.json.Json;
import com.casarerpa.orchestrator.domain.Role;
import com.casarerpa.orchestrator.testing.Http;
import com.casarerpa.orchestrator.testing.RunningOrchestrator;
import com.casarerpa.testkit.TestRobot;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Values of sensitive variables (declared {@code "sensitive": true}, or under a secret-looking
 * name) are shown as {@code ***} in every read, to viewers, operators and admins alike: workflow,
 * version, export, deploy answer, job, job list, job result, schedule. Only an admin's export that
 * asks for them carries them; a robot still gets them in its assignment.
 */
class SensitiveValuesTest {
    private static final String MASK = "\"***\"";
    /** Declared sensitive, under a harmless name: only the declaration hides it. */
    private static final String DECLARED = "pin-4711-declared";
    private static final String BY_NAME = "pw-by-name-0815";
    private static final String PLAIN_SECRET = "tok-plain-value-42";
    /** Under a secret-looking key inside a plain object value. */
    private static final String NESTED = "conn-pass-55";
    private static final String JOB_SECRET = "job-db-password-77";
    private static final String JOB_DECLARED = "job-customer-pin-88";
    private static final String RESULT_SECRET = "result-api-token-99";
    private static final List<String> SECRETS = List.of(DECLARED, BY_NAME, PLAIN_SECRET, NESTED, JOB_SECRET, JOB_DECLARED, RESULT_SECRET);

    @TempDir
    static Path work;

    private static RunningOrchestrator server;
    private static Http http;
    private static final Map<Role, Map<String, String>> keys = new EnumMap<>(Role.class);
    private static String workflowId;
    private static Http.Response deployAnswer;

    @BeforeAll
    static void start() {
        server = RunningOrchestrator.embedded(work, Map.of("CASARE_ORCHESTRATOR_RATE_LIMIT_BURST", "10000"));
        http = server.http();
        String admin = server.orchestrator().bootstrapKey().orElseThrow();
        keys.put(Role.ADMIN, Map.of("X-API-Key", admin));
        for (Role role : List.of(Role.OPERATOR, Role.VIEWER, Role.ROBOT)) {
            Http.Response r = http.post("/api/v1/api-keys", "{\"name\":\"" + role.wireName() + "\",\"role\":\"" + role.wireName()
                    + "\"}", keys.get(Role.ADMIN));
            keys.put(role, Map.of("X-API-Key", r.json().get("key").asText()));
        }
        Http.Response deployed = http.post("/api/v1/workflows", "{\"name\":\"Payroll\",\"workflow_data\":" + definition() + "}",
                keys.get(Role.OPERATOR));
        assertThat(deployed.status()).as(deployed.body()).isEqualTo(201);
        deployAnswer = deployed;
        workflowId = deployed.json().get("id").asText();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void every_role_reads_workflows_and_exports_with_sensitive_values_masked() {
        assertHidden(deployAnswer);
        for (Role role : List.of(Role.VIEWER, Role.OPERATOR, Role.ADMIN)) {
            for (String path : List.of("/api/v1/workflows/" + workflowId, "/api/v1/workflows/" + workflowId + "/versions/1",
                    "/api/v1/workflows/export", "/api/v1/workflows/export?workflow=Payroll")) {
                Http.Response r = http.get(path, keys.get(role));
                assertThat(r.status()).as(role + " " + path + ": " + r.body()).isEqualTo(200);
                assertHidden(r);
                assertThat(r.body()).as(role + " " + path).contains("\"emea\"");
            }
        }
        JsonNode data = http.get("/api/v1/workflows/" + workflowId, keys.get(Role.VIEWER)).json().get("workflow_data");
        assertThat(data.at("/variables/customer_pin/default_value").asText()).isEqualTo("***");
        assertThat(data.at("/variables/customer_pin/sensitive").asBoolean()).isTrue();
        assertThat(data.at("/variables/db_password/default_value").asText()).isEqualTo("***");
        assertThat(data.at("/variables/api_token").asText()).isEqualTo("***");
        assertThat(data.at("/variables/connection/host").asText()).isEqualTo("db");
        assertThat(data.at("/variables/connection/password").asText()).isEqualTo("***");
        assertThat(data.at("/variables/empty_secret/default_value").asText()).as("nothing to hide").isEmpty();
        JsonNode version = http.get("/api/v1/workflows/export", keys.get(Role.VIEWER)).json().at("/workflows/0/versions/0");
        assertThat(version.get("masked_variables")).extracting(JsonNode::asText)
                .containsExactly("customer_pin", "db_password", "api_token", "connection");
    }

    @Test
    void only_an_admin_export_that_asks_carries_the_values() {
        for (Role role : List.of(Role.VIEWER, Role.OPERATOR)) {
            Http.Response refused = http.get("/api/v1/workflows/export?include_secrets=true", keys.get(role));
            assertThat(refused.status()).as(role + ": " + refused.body()).isEqualTo(403);
            assertThat(refused.body()).doesNotContain(DECLARED);
        }

        Http.Response full = http.get("/api/v1/workflows/export?include_secrets=true", keys.get(Role.ADMIN));
        Http.Response one = http.get("/api/v1/workflows/export?workflow=" + workflowId + "&include_secrets=true", keys.get(Role.ADMIN));

        for (Http.Response r : List.of(full, one)) {
            assertThat(r.status()).as(r.body()).isEqualTo(200);
            assertThat(r.body()).contains(DECLARED, BY_NAME, PLAIN_SECRET, NESTED).doesNotContain(MASK);
            assertThat(r.header("Cache-Control")).isEqualTo("no-store");
            assertThat(r.json().get("secrets_included").asBoolean()).isTrue();
            assertThat(r.json().at("/workflows/0/versions/0").has("masked_variables")).isFalse();
        }
        JsonNode audit = http.get("/api/v1/audit?action=workflow.export_secrets", keys.get(Role.ADMIN)).json();
        assertThat(audit.toString()).contains(workflowId);
    }

    @Test
    void every_role_reads_jobs_and_schedules_with_sensitive_values_masked_while_the_robot_gets_them() throws Exception {
        try (TestRobot robot = TestRobot.connect(server.orchestrator().port(), keys.get(Role.ROBOT).get("X-API-Key"))) {
            ObjectNode fields = Json.mapper().createObjectNode().put("robot_id", "robot-secrets").put("max_concurrent_jobs", 1);
            assertThat(robot.register(fields).get("type").asText()).isEqualTo("registered");

            Http.Response submitted = http.post("/api/v1/jobs", "{\"workflow_id\":\"" + workflowId + "\",\"variables\":{"
                    + "\"db_password\":\"" + JOB_SECRET + "\",\"customer_pin\":\"" + JOB_DECLARED + "\",\"region\":\"emea\","
                    + "\"nested\":{\"login\":{\"user\":\"u\",\"password\":\"" + JOB_SECRET + "\"}}}}", keys.get(Role.OPERATOR));
            assertThat(submitted.status()).as(submitted.body()).isEqualTo(201);
            assertHidden(submitted);
            String jobId = submitted.json().get("id").asText();

            JsonNode assign = robot.next("job_assign", Duration.ofSeconds(5));
            assertThat(assign.at("/variables/db_password").asText()).isEqualTo(JOB_SECRET);
            assertThat(assign.at("/variables/customer_pin").asText()).isEqualTo(JOB_DECLARED);
            assertThat(assign.at("/workflow/variables/customer_pin/default_value").asText()).isEqualTo(DECLARED);
            robot.call(TestRobot.report("job_started", assign));
            ObjectNode done = TestRobot.report("job_completed", assign);
            done.putObject("result").put("executed_nodes", 2).put("duration_ms", 5).putObject("variables")
                    .put("api_token", RESULT_SECRET).put("customer_pin", RESULT_SECRET).put("out", "ok");
            assertThat(robot.call(done).get("type").asText()).isEqualTo("ack");
            await().atMost(Duration.ofSeconds(5)).until(() ->
                    http.get("/api/v1/jobs/" + jobId, keys.get(Role.ADMIN)).json().get("state").asText().equals("succeeded"));

            Http.Response schedule = http.post("/api/v1/schedules", "{\"name\":\"Nightly payroll\",\"workflow_id\":\"" + workflowId
                    + "\",\"cron\":\"30 2 * * *\",\"job\":{\"variables\":{\"api_token\":\"" + PLAIN_SECRET + "\"}}}", keys.get(Role.ADMIN));
            assertThat(schedule.status()).as(schedule.body()).isEqualTo(201);
            assertHidden(schedule);

            for (Role role : List.of(Role.VIEWER, Role.OPERATOR, Role.ADMIN)) {
                for (String path : List.of("/api/v1/jobs/" + jobId, "/api/v1/jobs?workflow_id=" + workflowId, "/api/v1/schedules")) {
                    Http.Response r = http.get(path, keys.get(role));
                    assertThat(r.status()).as(role + " " + path + ": " + r.body()).isEqualTo(200);
                    assertHidden(r);
                }
                JsonNode job = http.get("/api/v1/jobs/" + jobId, keys.get(role)).json();
                assertThat(job.at("/variables/region").asText()).isEqualTo("emea");
                assertThat(job.at("/variables/customer_pin").asText()).as("declared by the workflow").isEqualTo("***");
                assertThat(job.at("/variables/nested/login/user").asText()).isEqualTo("u");
                assertThat(job.at("/result/variables/out").asText()).isEqualTo("ok");
                assertThat(job.at("/result/variables/api_token").asText()).isEqualTo("***");
            }
        }
    }

    private static void assertHidden(Http.Response r) {
        assertThat(r.body()).contains(MASK);
        for (String secret : SECRETS) {
            assertThat(r.body()).as(r.body()).doesNotContain(secret);
        }
    }

    /** Start, one node, end; a variable block with every kind of sensitive value, and a plain one. */
    private static String definition() {
        return "{\"metadata\":{\"name\":\"Payroll\"},\"nodes\":{"
                + "\"start\":{\"node_id\":\"start\",\"node_type\":\"StartNode\",\"config\":{}},"
                + "\"end\":{\"node_id\":\"end\",\"node_type\":\"EndNode\",\"config\":{}}},"
                + "\"connections\":[{\"source_node\":\"start\",\"source_port\":\"exec_out\",\"target_node\":\"end\","
                + "\"target_port\":\"exec_in\"}],"
                + "\"variables\":{"
                + "\"customer_pin\":{\"name\":\"customer_pin\",\"type\":\"string\",\"default_value\":\"" + DECLARED + "\",\"sensitive\":true},"
                + "\"db_password\":{\"name\":\"db_password\",\"type\":\"string\",\"default_value\":\"" + BY_NAME + "\"},"
                + "\"api_token\":\"" + PLAIN_SECRET + "\","
                + "\"connection\":{\"host\":\"db\",\"password\":\"" + NESTED + "\"},"
                + "\"empty_secret\":{\"type\":\"string\",\"default_value\":\"\",\"sensitive\":true},"
                + "\"region\":{\"type\":\"string\",\"default_value\":\"emea\"}},"
                + "\"settings\":{\"stop_on_error\":true,\"timeout\":60}}";
    }
}
