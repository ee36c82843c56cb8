package com.casarerpa.robot;

import static com.casarerpa.robot.testing.Flows.log;
import static com.casarerpa.robot.testing.Flows.waitSeconds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.casarerpa.orchestrator.testing.RunningOrchestrator;
import com.casarerpa.orchestrator.testing.TcpProxy;
import com.casarerpa.orchestrator.testing.TestPostgres;
import com.casarerpa.robot.agent.RobotAgent;
import com.casarerpa.robot.testing.Fleet;
import com.casarerpa.robot.testing.Flows;
import com.casarerpa.robot.testing.LocalRobot;
import com.casarerpa.robot.testing.StatusFile;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The robot survives the orchestrator going away: it keeps running its job, reconnects with
 * backoff, resumes under the same identity and reports what finished while it was away.
 */
class ReconnectTest {
    @TempDir
    Path server;

    @TempDir
    Path server2;

    @TempDir
    Path robotDir;

    @Test
    void a_job_that_finished_while_the_network_was_down_is_reported_when_the_robot_is_back() throws Exception {
        try (Fleet fleet = Fleet.start(server); TcpProxy network = new TcpProxy("127.0.0.1", fleet.port())) {
            fleet.deploy("Offline", Flows.chain("offline", log("started"), waitSeconds(2), log("finished offline")));
            try (LocalRobot robot = LocalRobot.start("ws://127.0.0.1:" + network.port(), fleet.robotKey, robotDir, Map.of())) {
                String jobId = fleet.submit("Offline", "");
                fleet.awaitState(jobId, Duration.ofSeconds(15), "running");
                String robotId = robot.agent().robotId().orElseThrow();

                network.cut();
                await().atMost(Duration.ofSeconds(5)).until(() -> robot.agent().state() == RobotAgent.State.DISCONNECTED);
                // the run goes on without the server, and ends while the robot cannot report it
                await().atMost(Duration.ofSeconds(10)).until(() -> "reporting".equals(StatusFile.jobState(robotDir, jobId)));
                assertThat(fleet.job(jobId).get("state").asText()).isEqualTo("running");

                network.restore();
                JsonNode job = fleet.awaitState(jobId, Duration.ofSeconds(20), "succeeded");
                assertThat(job.get("attempts")).hasSize(1);
                assertThat(job.get("robot_id").asText()).isEqualTo(robotId);
                assertThat(robot.agent().robotId()).contains(robotId);
                await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(fleet.logs(jobId))
                        .extracting(e -> e.get("message").asText())
                        .anySatisfy(m -> assertThat(m).contains("finished offline")));
            }
        }
    }

    @Test
    void the_orchestrator_restarts_mid_job_and_the_robot_resumes_the_job_on_the_new_instance() throws Exception {
        String db = TestPostgres.createDatabase();
        Fleet first = Fleet.startOn(server, db);
        fleetDeploy(first);
        try (LocalRobot robot = LocalRobot.start(first.wsUrl(), first.robotKey, robotDir, Map.of())) {
            String jobId = first.submit("Restart", "");
            first.awaitState(jobId, Duration.ofSeconds(15), "running");
            String robotId = robot.agent().robotId().orElseThrow();

            Map<String, String> samePort = first.envForRestart();
            first.close();
            await().atMost(Duration.ofSeconds(15)).until(() -> robot.agent().state() == RobotAgent.State.DISCONNECTED);
            try (RunningOrchestrator again = RunningOrchestrator.postgresOn(server2, db, samePort)) {
                Fleet second = first.withInstance(again);
                JsonNode job = second.awaitState(jobId, Duration.ofSeconds(30), "succeeded");
                assertThat(job.get("attempts")).as("resumed, not re-run").hasSize(1);
                assertThat(job.get("robot_id").asText()).isEqualTo(robotId);
                assertThat(second.robot(robotId).get("status").asText()).isIn("online", "busy");
            }
        } finally {
            TestPostgres.dropDatabase(db);
        }
    }

    private static void fleetDeploy(Fleet fleet) {
        fleet.deploy("Restart", Flows.chain("restart", log("before"), waitSeconds(4), log("after")));
    }
}
