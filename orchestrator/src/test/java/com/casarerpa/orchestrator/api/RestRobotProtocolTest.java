package com.casarerpa.orchestrator.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.casarerpa.common.json.Json;
import com.casarerpa.orchestrator.domain.Job;
import com.casarerpa.orchestrator.domain.JobState;
import com.casarerpa.orchestrator.store.Database;
import com.casarerpa.orchestrator.store.DatabaseUrl;
import com.casarerpa.orchestrator.store.Jdbi3;
import com.casarerpa.orchestrator.store.JobStore;
import com.casarerpa.orchestrator.store.PoolSettings;
import com.casarerpa.orchestrator.testing.BothDatabases;
import com.casarerpa.orchestrator.testing.Http;
import com.casarerpa.orchestrator.testing.RunningOrchestrator;
import com.casarerpa.orchestrator.testing.TestDatabase;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;

/** The REST pull sequence of existing CasareRPA robots (COMPAT.md), replayed step by step. */
class RestRobotProtocolTest {
    private static final String ROBOT = "robot-vm-a96bcfb5";

    @Nested
    @BothDatabases
    class Contract {
        @Parameter
        TestDatabase database;
        @TempDir
        Path workDir;

        RunningOrchestrator server;
        Database side;
        JobStore jobs;
        Http http;
        Map<String, String> robotKey;
        Map<String, String> admin;
        String workflowId;

        RunningOrchestrator start() {
            return database.isPostgres() ? RunningOrchestrator.postgres(workDir) : RunningOrchestrator.embedded(workDir);
        }

        @BeforeEach
        void setUp() throws Exception {
            server = start();
            http = server.http();
            admin = Map.of("X-API-Key", server.orchestrator().bootstrapKey()
                    .orElseGet(() -> com.casarerpa.orchestrator.testing.CliHarness.orchestrator(server.env(), workDir,
                            "create-api-key", "--name", "a", "--role", "admin", "--json").out().replaceAll("(?s).*\"key\" : \"([^\"]+)\".*", "$1")));
            String key = http.post("/api/v1/api-keys", "{\"name\":\"Robot Production 1\",\"role\":\"robot\"}", admin).json().get("key").asText();
            robotKey = Map.of("X-Api-Key", key);
            String sample = com.casarerpa.orchestrator.testing.Samples.text("batch_2_2_xml.json");
            Http.Response deployed = http.post("/api/v1/workflows", "{\"name\":\"XML\",\"workflow_data\":" + sample + "}", admin);
            assertThat(deployed.status()).as(deployed.body()).isEqualTo(201);
            workflowId = deployed.json().get("id").asText();
            side = Database.open(server.env().containsKey("DATABASE_URL")
                    ? DatabaseUrl.parse(server.env().get("DATABASE_URL")) : DatabaseUrl.embedded(workDir.resolve("data")),
                    PoolSettings.forCommand());
            jobs = new JobStore(Jdbi3.of(side));
            List<String> nodeTypes = Jdbi3.of(side).withHandle(h -> h.createQuery(
                            "SELECT node_type FROM workflow_node_types WHERE workflow_id = :w ORDER BY node_type")
                    .bind("w", workflowId).mapTo(String.class).list());
            assertThat(nodeTypes).as("a deploy records the node types of the version").containsExactly("LogNode", "SetVariableNode");
        }

        @AfterEach
        void tearDown() {
            side.close();
            server.close();
        }

        String submit() {
            String id = "job_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
            jobs.submit(new JobStore.NewJob(id, workflowId, 1, 10, "{\"greeting\":\"hi\"}", List.of(), List.of(),
                    Optional.empty(), Optional.empty(), 3, Optional.empty(), "api", "test"));
            return id;
        }

        Job job(String id) {
            return jobs.find(id).orElseThrow();
        }

        @Test
        void the_observed_sequence_of_the_existing_agent_works_as_written() throws Exception {
            assertThat(http.get("/health").status()).isEqualTo(200);
            Http.Response unknown = http.get("/api/v1/metrics/robots/" + ROBOT, robotKey);
            assertThat(unknown.status()).isEqualTo(404);

            Http.Response registered = http.post("/api/v1/robots/register", "{\"robot_id\":\"" + ROBOT + "\",\"name\":\"Robot-vm\","
                    + "\"hostname\":\"vm\",\"capabilities\":[\"browser\",\"high_memory\"],\"environment\":\"default\","
                    + "\"max_concurrent_jobs\":1,\"tags\":[]}", robotKey);
            assertThat(registered.status()).as(registered.body()).isEqualTo(200);
            assertThat(registered.json().get("status").asText()).isEqualTo("online");
            Http.Response idle = http.put("/api/v1/robots/" + ROBOT + "/status", "{\"status\":\"idle\"}", robotKey);
            assertThat(idle.status()).as(idle.body()).isEqualTo(200);

            String claimBody = "{\"environment\":\"default\",\"limit\":1,\"visibility_timeout_seconds\":30}";
            Http.Response nothing = http.post("/api/v1/jobs/claim", claimBody, robotKey);
            assertThat(nothing.status()).isEqualTo(200);
            assertThat(nothing.body()).isEqualTo("null");

            String first = submit();
            JsonNode claimed = http.post("/api/v1/jobs/claim", claimBody, robotKey).json();
            assertThat(claimed.get("job_id").asText()).isEqualTo(first);
            assertThat(claimed.get("workflow_id").asText()).isEqualTo(workflowId);
            assertThat(claimed.get("workflow_name").asText()).isEqualTo("XML");
            assertThat(claimed.get("workflow_json").isTextual()).isTrue();
            assertThat(Json.mapper().readTree(claimed.get("workflow_json").asText()).at("/nodes/set_xml/node_type").asText())
                    .isEqualTo("SetVariableNode");
            assertThat(claimed.get("variables").get("greeting").asText()).isEqualTo("hi");
            assertThat(claimed.get("retry_count").asInt()).isZero();
            assertThat(claimed.get("max_retries").asInt()).isEqualTo(3);
            assertThat(claimed.get("priority").asInt()).isEqualTo(10);
            assertThat(claimed.has("created_at") && claimed.has("claimed_at") && claimed.has("environment")).isTrue();
            assertThat(job(first).state()).isEqualTo(JobState.RUNNING);

            // one slot: nothing more while it holds a job
            String second = submit();
            assertThat(http.post("/api/v1/jobs/claim", claimBody, robotKey).body()).isEqualTo("null");

            JsonNode beat = http.post("/api/v1/robots/" + ROBOT + "/heartbeat", "{\"cpu_percent\":12.5,\"memory_percent\":40.0,"
                    + "\"current_job_count\":1,\"max_concurrent_jobs\":1}", robotKey).json();
            assertThat(beat.get("ok").asBoolean()).isTrue();
            assertThat(beat.get("timestamp").asText()).isNotBlank();

            JsonNode extended = http.post("/api/v1/jobs/" + first + "/extend-lease", "{\"extension_seconds\":30}", robotKey).json();
            assertThat(extended.get("extended").asBoolean()).isTrue();
            assertThat(extended.get("job_id").asText()).isEqualTo(first);

            JsonNode metrics = http.get("/api/v1/metrics/robots/" + ROBOT, robotKey).json();
            assertThat(metrics.get("robot_id").asText()).isEqualTo(ROBOT);
            assertThat(metrics.get("hostname").asText()).isEqualTo("vm");
            assertThat(metrics.get("current_job_id").asText()).isEqualTo(first);
            assertThat(metrics.get("cpu_percent").asDouble()).isEqualTo(12.5);
            assertThat(metrics.has("memory_mb") && metrics.has("last_heartbeat") && metrics.has("status")).isTrue();

            Http.Response done = http.post("/api/v1/jobs/" + first + "/complete", "{\"result\":{\"executed_nodes\":3,\"duration_ms\":36}}", robotKey);
            assertThat(done.json().get("completed").asBoolean()).isTrue();
            assertThat(http.post("/api/v1/jobs/" + first + "/complete", "{\"result\":{\"executed_nodes\":3,\"duration_ms\":36}}", robotKey)
                    .status()).as("a repeated completion is harmless").isEqualTo(200);
            assertThat(job(first).state()).isEqualTo(JobState.SUCCEEDED);
            assertThat(Json.mapper().readTree(job(first).result().orElseThrow()).get("executed_nodes").asInt()).isEqualTo(3);

            JsonNode secondClaim = http.post("/api/v1/jobs/claim", claimBody, robotKey).json();
            assertThat(secondClaim.get("job_id").asText()).isEqualTo(second);
            JsonNode failed = http.post("/api/v1/jobs/" + second + "/fail", "{\"error_message\":\"Element not found\"}", robotKey).json();
            assertThat(failed.get("status").asText()).isEqualTo("pending");
            assertThat(job(second).errorMessage()).contains("Element not found");

            Http.Response notHeld = http.post("/api/v1/jobs/" + second + "/complete", "{}", robotKey);
            assertThat(notHeld.status()).isEqualTo(409);
            assertThat(notHeld.json().at("/error/code").asText()).isEqualTo("stale_lease");
            assertThat(job(second).state()).isEqualTo(JobState.PENDING);
        }

        @Test
        void release_gives_a_job_back_at_once_and_a_larger_claim_returns_an_array() {
            http.post("/api/v1/robots/register", "{\"robot_id\":\"r2\",\"name\":\"R2\",\"max_concurrent_jobs\":3}", robotKey);
            String a = submit();
            JsonNode one = http.post("/api/v1/jobs/claim", "{\"robot_id\":\"r2\"}", robotKey).json();
            assertThat(one.get("job_id").asText()).isEqualTo(a);
            JsonNode released = http.post("/api/v1/jobs/" + a + "/release", "{}", robotKey).json();
            assertThat(released.get("released").asBoolean()).isTrue();
            assertThat(job(a).state()).isEqualTo(JobState.PENDING);

            submit();
            submit();
            JsonNode many = http.post("/api/v1/jobs/claim", "{\"robot_id\":\"r2\",\"limit\":5}", robotKey).json();
            assertThat(many.isArray()).isTrue();
            assertThat(many).hasSize(3);
        }

        @Test
        void a_lease_longer_than_3600_seconds_is_400_naming_the_field_as_on_the_websocket() {
            http.post("/api/v1/robots/register", "{\"robot_id\":\"r3\",\"name\":\"R3\",\"max_concurrent_jobs\":2}", robotKey);
            String a = submit();
            Http.Response tooLong = http.post("/api/v1/jobs/claim", "{\"robot_id\":\"r3\",\"visibility_timeout_seconds\":3601}", robotKey);
            assertThat(tooLong.status()).as(tooLong.body()).isEqualTo(400);
            assertThat(tooLong.json().at("/error/details/field").asText()).isEqualTo("visibility_timeout_seconds");
            assertThat(job(a).state()).as("nothing claimed").isEqualTo(JobState.PENDING);
            Http.Response tooMany = http.post("/api/v1/jobs/claim", "{\"robot_id\":\"r3\",\"limit\":101}", robotKey);
            assertThat(tooMany.status()).as(tooMany.body()).isEqualTo(400);
            assertThat(tooMany.json().at("/error/details/field").asText()).isEqualTo("limit");

            JsonNode claimed = http.post("/api/v1/jobs/claim", "{\"robot_id\":\"r3\",\"visibility_timeout_seconds\":3600}", robotKey).json();
            assertThat(claimed.get("job_id").asText()).isEqualTo(a);
            java.time.Instant expires = job(a).leaseExpiresAt().orElseThrow();
            Http.Response longer = http.post("/api/v1/jobs/" + a + "/extend-lease", "{\"robot_id\":\"r3\",\"extension_seconds\":7200}", robotKey);
            assertThat(longer.status()).as(longer.body()).isEqualTo(400);
            assertThat(longer.json().at("/error/details/field").asText()).isEqualTo("extension_seconds");
            assertThat(job(a).leaseExpiresAt()).as("the lease unchanged").contains(expires);
        }

        @Test
        void a_heartbeat_with_a_percentage_outside_0_to_100_is_400_naming_it_and_records_nothing() {
            http.post("/api/v1/robots/register", "{\"robot_id\":\"gauge\",\"name\":\"Gauge\"}", robotKey);
            for (String body : new String[] {"{\"cpu_percent\":101}", "{\"cpu_percent\":-1}", "{\"memory_percent\":250.5}",
                    "{\"memory_mb\":-5}", "{\"current_job_count\":-1}"}) {
                Http.Response r = http.post("/api/v1/robots/gauge/heartbeat", body, robotKey);
                String field = body.substring(2, body.indexOf('"', 2));
                assertThat(r.status()).as(body).isEqualTo(400);
                assertThat(r.json().at("/error/details/field").asText()).isEqualTo(field);
            }
            JsonNode metrics = http.get("/api/v1/metrics/robots/gauge", robotKey).json();
            assertThat(metrics.path("cpu_percent").isNull() || metrics.path("cpu_percent").isMissingNode()).as(metrics.toString()).isTrue();

            assertThat(http.post("/api/v1/robots/gauge/heartbeat", "{\"cpu_percent\":100,\"memory_percent\":0}", robotKey).status())
                    .isEqualTo(200);
        }

        @Test
        void a_robot_key_acts_only_as_its_robots_and_maintenance_stops_new_work() {
            http.post("/api/v1/robots/register", "{\"robot_id\":\"mine\",\"name\":\"Mine\"}", robotKey);
            String otherKey = http.post("/api/v1/api-keys", "{\"name\":\"other\",\"role\":\"robot\"}", admin).json().get("key").asText();
            Map<String, String> other = Map.of("X-API-Key", otherKey);
            assertThat(http.post("/api/v1/robots/mine/heartbeat", "{}", other).status()).isEqualTo(403);
            assertThat(http.post("/api/v1/robots/register", "{\"robot_id\":\"mine\",\"name\":\"Stolen\"}", other).status()).isEqualTo(403);
            assertThat(http.get("/api/v1/metrics/robots/nobody", other).status()).isEqualTo(404);

            String bound = http.post("/api/v1/api-keys", "{\"name\":\"bound\",\"role\":\"robot\",\"robot_id\":\"solo\"}", admin)
                    .json().get("key").asText();
            assertThat(http.post("/api/v1/robots/register", "{\"robot_id\":\"someone-else\",\"name\":\"x\"}",
                    Map.of("X-API-Key", bound)).status()).isEqualTo(403);
            assertThat(http.post("/api/v1/robots/register", "{\"name\":\"Solo\"}", Map.of("X-API-Key", bound)).json()
                    .get("id").asText()).isEqualTo("solo");

            submit();
            assertThat(http.post("/api/v1/robots/mine/maintenance", "{\"enabled\":true}", admin).json().get("status").asText())
                    .isEqualTo("maintenance");
            assertThat(http.post("/api/v1/jobs/claim", "{\"robot_id\":\"mine\"}", robotKey).body()).isEqualTo("null");
            http.post("/api/v1/robots/mine/maintenance", "{\"enabled\":false}", admin);
            assertThat(http.post("/api/v1/jobs/claim", "{\"robot_id\":\"mine\"}", robotKey).json().has("job_id")).isTrue();

            JsonNode fleet = http.get("/api/v1/robots", admin).json().get("items");
            assertThat(fleet).extracting(r -> r.get("id").asText()).contains("mine", "solo");
            assertThat(http.get("/health").json().get("robots_online").asInt()).isGreaterThanOrEqualTo(2);
        }
    }
}
