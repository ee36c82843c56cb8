package com.casarerpa.robot;

import static com.casarerpa.robot.testing.Flows.log;
import static com.casarerpa.robot.testing.Flows.waitSeconds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.casarerpa.orchestrator.testing.ChildJvm;
import com.casarerpa.robot.cli.RobotMain;
import com.casarerpa.robot.testing.Fleet;
import com.casarerpa.robot.testing.Flows;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SIGTERM to a robot process: it stops taking work, lets its jobs finish within the grace, says goodbye. */
class ShutdownTest {
    @TempDir
    Path server;

    @TempDir
    Path robotDir;

    @Test
    void sigterm_lets_the_running_job_finish_then_the_robot_says_goodbye_and_exits() throws Exception {
        try (Fleet fleet = Fleet.start(server)) {
            fleet.deploy("Short", Flows.chain("short", log("working"), waitSeconds(3), log("done")));
            try (ChildJvm robot = startRobot(fleet, "30")) {
                String jobId = fleet.submit("Short", "");
                fleet.awaitState(jobId, Duration.ofSeconds(20), "running");
                String robotId = Files.readString(robotDir.resolve("robot-id")).strip();
                String second = fleet.submit("Short", "");

                ProcessHandle.of(robot.pid()).orElseThrow().destroy(); // SIGTERM
                JsonNode job = fleet.awaitState(jobId, Duration.ofSeconds(20), "succeeded");
                assertThat(job.get("attempts")).hasSize(1);
                ProcessHandle.of(robot.pid()).ifPresent(p -> p.onExit().orTimeout(20, TimeUnit.SECONDS).join());
                assertThat(fleet.robot(robotId).get("status").asText()).as("goodbye: offline at once").isEqualTo("offline");
                assertThat(fleet.job(second).get("state").asText()).as("no new work after SIGTERM").isEqualTo("pending");
                assertThat(robot.output()).anySatisfy(line -> assertThat(line).contains("shutting down"));
            }
        }
    }

    @Test
    void a_job_still_running_when_the_grace_ends_is_interrupted_and_goes_back_to_the_queue() throws Exception {
        try (Fleet fleet = Fleet.start(server)) {
            fleet.deploy("Long", Flows.chain("long", waitSeconds(120)));
            try (ChildJvm robot = startRobot(fleet, "1")) {
                String jobId = fleet.submit("Long", "");
                fleet.awaitState(jobId, Duration.ofSeconds(20), "running");

                ProcessHandle.of(robot.pid()).orElseThrow().destroy(); // SIGTERM
                JsonNode job = fleet.awaitState(jobId, Duration.ofSeconds(20), "pending");
                assertThat(job.get("attempts")).hasSize(1);
                assertThat(job.at("/attempts/0/outcome").asText()).isEqualTo("failed");
                assertThat(job.at("/error/type").asText()).isEqualTo("interrupted");
                await().atMost(Duration.ofSeconds(20)).until(() -> ProcessHandle.of(robot.pid()).isEmpty()
                        || !ProcessHandle.of(robot.pid()).get().isAlive());
            }
        }
    }

    private ChildJvm startRobot(Fleet fleet, String graceSeconds) {
        return ChildJvm.start(RobotMain.class, "start", "--url", fleet.wsUrl(), "--api-key", fleet.robotKey,
                "--work-dir", robotDir.toString(), "--shutdown-grace", graceSeconds);
    }
}
