package com.casarerpa.orchestrator.ws;

import static com.casarerpa.testkit.TestRobot.message;
import static com.casarerpa.testkit.TestRobot.report;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.casarerpa.common.json.Json;
import com.casarerpa.orchestrator.domain.JobState;
import com.casarerpa.orchestrator.testing.BothDatabases;
import com.casarerpa.orchestrator.testing.CliHarness;
import com.casarerpa.orchestrator.testing.Http;
import com.casarerpa.orchestrator.testing.JobApiServer;
import com.casarerpa.orchestrator.testing.TestDatabase;
import com.casarerpa.testkit.TestRobot;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;

/**
 * Who is calling, on both robot transports: a key bound to a robot id takes the id from the fleet
 * key that registered it, at once and for good; a late REST report is judged as the calling key's
 * robot, not as the job's new holder. On PostgreSQL and H2.
 */
class RobotIdentityTest {
    private static final String ROBOT_S = "robot-S";

    @Nested
    @BothDatabases
    class Contract {
        @Parameter
        TestDatabase database;
        @TempDir
        Path workDir;
        ChannelServer s;
        Map<String, String> fleet;

        ChannelServer start() {
            return database.isPostgres() ? ChannelServer.postgres(workDir) : ChannelServer.embedded(workDir);
        }

        @BeforeEach
        void setUp() {
            s = start();
            fleet = Map.of("X-Api-Key", s.robotKey);
        }

        @AfterEach
        void tearDown() {
            s.close();
        }

        @Test
        void over_the_websocket_a_key_bound_to_a_robot_takes_it_from_the_fleet_key_that_registered_it() {
            TestRobot squatter = s.robot();
            assertThat(squatter.register(id(ROBOT_S)).get("type").asText()).isEqualTo("registered");
            String jobId = s.submit();
            JsonNode assign = squatter.next("job_assign");

            s.key("robot", "Robot S", ROBOT_S);

            ObjectNode forged = report("job_completed", assign);
            forged.putObject("result").put("executed_nodes", 99).put("duration_ms", 1).put("forged", true);
            JsonNode refused = squatter.call(forged);
            assertThat(refused.path("code").asText()).as(refused.toString()).isEqualTo("forbidden");
            assertThat(refused.get("message").asText()).contains(ROBOT_S).contains("bound");
            assertThat(squatter.closeCode()).isEqualTo(4003);
            assertThat(s.job(jobId).state()).isNotEqualTo(JobState.SUCCEEDED);
            assertThat(s.job(jobId).result()).isEmpty();

            // An idle connection hears it at its next message, a heartbeat.
            TestRobot idle = s.robot();
            idle.register(id("robot-U"));
            s.key("robot", "Robot U", "robot-U");
            JsonNode beat = idle.call(message("heartbeat").set("jobs", Json.mapper().createArrayNode()));
            assertThat(beat.get("code").asText()).as(beat.toString()).isEqualTo("forbidden");
            assertThat(idle.closeCode()).isEqualTo(4003);

            TestRobot owner = s.track(TestRobot.connect(s.port(), s.key("robot", "Robot S again", ROBOT_S)));
            assertThat(owner.register(Json.mapper().createObjectNode()).get("robot_id").asText()).isEqualTo(ROBOT_S);
            JsonNode mine = owner.next("job_assign", Duration.ofSeconds(10));
            assertThat(mine.get("job_id").asText()).isEqualTo(jobId);
            assertThat(owner.call(report("job_started", mine)).get("type").asText()).isEqualTo("ack");
            ObjectNode done = report("job_completed", mine);
            done.putObject("result").put("executed_nodes", 3).put("duration_ms", 20);
            assertThat(owner.call(done).get("type").asText()).isEqualTo("ack");
            assertThat(s.job(jobId).state()).isEqualTo(JobState.SUCCEEDED);
            assertThat(s.job(jobId).result().orElseThrow()).doesNotContain("forged");

            // Registering again does not move the robot back to the fleet key, nor displace its connection.
            TestRobot again = s.robot();
            assertThat(again.register(id(ROBOT_S)).get("code").asText()).isEqualTo("forbidden");
            assertThat(again.closeCode()).isEqualTo(4003);
            assertThat(owner.call(message("heartbeat").set("jobs", Json.mapper().createArrayNode())).get("type").asText())
                    .isEqualTo("ack");
            assertThat(owner.pending("error")).isEmpty();
            assertThat(owner.isClosed()).isFalse();
        }

        @Test
        void over_rest_a_key_bound_to_a_robot_takes_it_from_the_fleet_key_that_registered_it() {
            assertThat(register(fleet, ROBOT_S).status()).isEqualTo(200);
            String jobId = s.submit();
            assertThat(s.http.post("/api/v1/jobs/claim", "{}", fleet).json().get("job_id").asText()).isEqualTo(jobId);

            CliHarness.Result created = CliHarness.orchestrator(s.server.env(), workDir, "create-api-key", "--name", "Robot S",
                    "--role", "robot", "--robot-id", ROBOT_S, "--json");
            assertThat(created.exitCode()).as(created.toString()).isZero();
            JsonNode boundKey = JobApiServer.json(created.out());
            Map<String, String> bound = Map.of("X-Api-Key", boundKey.get("key").asText());

            Http.Response forged = s.http.post("/api/v1/jobs/" + jobId + "/complete", "{\"result\":{\"forged\":true}}", fleet);
            assertThat(forged.status()).as(forged.body()).isEqualTo(403);
            assertThat(forged.json().at("/error/message").asText()).contains(ROBOT_S);
            assertThat(s.job(jobId).state()).isEqualTo(JobState.RUNNING);
            assertThat(s.job(jobId).result()).isEmpty();
            assertThat(s.http.post("/api/v1/jobs/" + jobId + "/complete", "{\"result\":{}}",
                    Map.of("X-Api-Key", s.robotKey, "X-Robot-Id", ROBOT_S)).status()).isEqualTo(403);
            assertThat(s.http.post("/api/v1/robots/" + ROBOT_S + "/heartbeat", "{}", fleet).status()).isEqualTo(403);
            assertThat(register(fleet, ROBOT_S).status()).isEqualTo(403);
            Http.Response claim = s.http.post("/api/v1/jobs/claim", "{}", fleet);
            assertThat(claim.status()).as("the fleet key speaks for no robot now").isEqualTo(400);

            assertThat(register(bound, ROBOT_S).status()).isEqualTo(200);
            Http.Response done = s.http.post("/api/v1/jobs/" + jobId + "/complete", "{\"result\":{\"executed_nodes\":3}}", bound);
            assertThat(done.status()).as(done.body()).isEqualTo(200);
            assertThat(s.job(jobId).result().orElseThrow()).contains("executed_nodes");

            // A revoked bound key does not give the id back to the fleet key.
            assertThat(s.http.delete("/api/v1/api-keys/" + boundKey.get("id").asText(), s.admin).status()).isEqualTo(200);
            assertThat(register(fleet, ROBOT_S).status()).isEqualTo(403);
            assertThat(s.http.post("/api/v1/robots/" + ROBOT_S + "/heartbeat", "{}", fleet).status()).isEqualTo(403);
        }

        @Test
        void a_key_cannot_be_bound_to_an_id_no_robot_can_register() {
            for (String bad : List.of("robot S", "", "robot/S", "r".repeat(201), "robot\\u00e9")) {
                Http.Response r = s.http.post("/api/v1/api-keys", "{\"name\":\"k\",\"role\":\"robot\",\"robot_id\":\"" + bad + "\"}",
                        s.admin);
                assertThat(r.status()).as(bad + ": " + r.body()).isEqualTo(400);
                assertThat(r.json().at("/error/details/field").asText()).isEqualTo("robot_id");
            }
            CliHarness.Result cli = CliHarness.orchestrator(s.server.env(), workDir, "create-api-key", "--name", "k",
                    "--role", "robot", "--robot-id", "robot S");
            assertThat(cli.exitCode()).as(cli.toString()).isEqualTo(2);
            assertThat(cli.err().strip()).as(cli.toString()).startsWith("error: --robot-id:").doesNotContain("\n").doesNotContain("Exception");

            for (String good : List.of("robot-vm-a96bcfb5", "a@b:c.d_e")) {
                Http.Response r = s.http.post("/api/v1/api-keys", "{\"name\":\"k\",\"role\":\"robot\",\"robot_id\":\"" + good + "\"}",
                        s.admin);
                assertThat(r.status()).as(r.body()).isEqualTo(201);
                assertThat(register(Map.of("X-Api-Key", r.json().get("key").asText()), good).status()).isEqualTo(200);
            }
        }

        @Test
        void a_late_rest_report_after_another_key_s_robot_took_the_job_is_a_stale_lease() {
            Map<String, String> other = Map.of("X-Api-Key", s.key("robot", "Other fleet"));
            register(fleet, "robot-late");
            register(other, "robot-next");
            String jobId = s.submit();
            JsonNode claimed = s.http.post("/api/v1/jobs/claim", "{\"visibility_timeout_seconds\":1}", fleet).json();
            assertThat(claimed.get("job_id").asText()).isEqualTo(jobId);
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                s.reaping.expireLeases(10);
                return s.job(jobId).state() == JobState.PENDING;
            });
            assertThat(s.http.post("/api/v1/jobs/claim", "{}", other).json().get("job_id").asText()).isEqualTo(jobId);

            for (Map<String, String> late : List.of(fleet, Map.of("X-Api-Key", s.robotKey, "X-Robot-Id", "robot-late"))) {
                Http.Response complete = s.http.post("/api/v1/jobs/" + jobId + "/complete", "{\"result\":{\"late\":true}}", late);
                assertThat(complete.status()).as(complete.body()).isEqualTo(409);
                assertThat(complete.json().at("/error/code").asText()).isEqualTo("stale_lease");
                assertThat(complete.json().at("/error/details/job_id").asText()).isEqualTo(jobId);
                assertThat(s.http.post("/api/v1/jobs/" + jobId + "/fail", "{}", late).status()).isEqualTo(409);
            }
            assertThat(s.job(jobId).state()).isEqualTo(JobState.RUNNING);
            assertThat(s.job(jobId).robotId()).contains("robot-next");
            assertThat(s.job(jobId).result()).isEmpty();
            assertThat(s.http.post("/api/v1/jobs/" + jobId + "/complete", "{\"result\":{}}", other).status()).isEqualTo(200);
        }

        Http.Response register(Map<String, String> key, String robotId) {
            return s.http.post("/api/v1/robots/register", "{\"robot_id\":\"" + robotId + "\",\"name\":\"" + robotId + "\"}", key);
        }

        static ObjectNode id(String robotId) {
            return Json.mapper().createObjectNode().put("robot_id", robotId);
        }
    }
}
