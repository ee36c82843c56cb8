package com.casarerpa.robot;

import static com.casarerpa.robot.testing.Flows.log;
import static com.casarerpa.robot.testing.Flows.set;
import static com.casarerpa.robot.testing.Flows.waitSeconds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.casarerpa.robot.testing.Fleet;
import com.casarerpa.robot.testing.Flows;
import com.casarerpa.robot.testing.LocalRobot;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The robot against a real orchestrator: it registers, runs jobs, streams their logs, obeys cancel and timeouts. */
class RobotRunsJobsTest {
    @TempDir
    Path server;

    @TempDir
    Path robotDir;

    @Test
    void a_robot_registers_runs_a_job_and_its_logs_and_result_reach_the_orchestrator() throws Exception {
        try (Fleet fleet = Fleet.start(server)) {
            fleet.deploy("Greeting", Flows.chain("greeting", set("greeting", "hello"), log("said {{greeting}}")));
            try (LocalRobot robot = LocalRobot.start(fleet.wsUrl(), fleet.robotKey, robotDir,
                    Map.of("robot.name", "Test robot", "robot.capabilities", "browser, desktop"))) {
                await().atMost(Duration.ofSeconds(10)).until(() -> robot.agent().robotId().isPresent());
                String robotId = robot.agent().robotId().orElseThrow();
                assertThat(Files.readString(robotDir.resolve("robot-id")).strip()).isEqualTo(robotId);
                JsonNode registered = fleet.robot(robotId);
                assertThat(registered.get("name").asText()).isEqualTo("Test robot");
                assertThat(registered.get("capabilities")).extracting(JsonNode::asText).containsExactlyInAnyOrder("browser", "desktop");
                assertThat(registered.get("protocol").asText()).isEqualTo("websocket");

                String jobId = fleet.submit("Greeting", "\"variables\":{\"region\":\"emea\"}");
                JsonNode job = fleet.awaitState(jobId, Duration.ofSeconds(15), "succeeded");
                assertThat(job.get("robot_id").asText()).isEqualTo(robotId);
                assertThat(job.at("/result/variables/greeting").asText()).isEqualTo("hello");
                assertThat(job.at("/result/variables/region").asText()).isEqualTo("emea");
                assertThat(job.at("/result/executed_nodes").asInt()).isEqualTo(4);

                await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(fleet.logs(jobId))
                        .extracting(e -> e.get("message").asText())
                        .anySatisfy(m -> assertThat(m).contains("said hello")));
            }
        }
    }

    @Test
    void a_cancel_stops_the_running_node_and_the_job_ends_cancelled() throws Exception {
        try (Fleet fleet = Fleet.start(server)) {
            fleet.deploy("Slow", Flows.chain("slow", log("before the wait"), waitSeconds(120), log("never")));
            try (LocalRobot robot = LocalRobot.start(fleet.wsUrl(), fleet.robotKey, robotDir, Map.of())) {
                String jobId = fleet.submit("Slow", "");
                fleet.awaitState(jobId, Duration.ofSeconds(15), "running");
                // logs stream while the job runs: the first line arrives before the wait is over
                await().atMost(Duration.ofSeconds(5)).until(() -> fleet.logs(jobId).stream()
                        .anyMatch(e -> e.get("message").asText().contains("before the wait")));
                assertThat(fleet.http().post("/api/v1/jobs/" + jobId + "/cancel", "{}", fleet.admin()).status()).isEqualTo(202);

                long asked = System.nanoTime();
                fleet.awaitState(jobId, Duration.ofSeconds(10), "cancelled");
                assertThat(Duration.ofNanos(System.nanoTime() - asked)).isLessThan(Duration.ofSeconds(5));
                List<String> messages = fleet.logs(jobId).stream().map(e -> e.get("message").asText()).toList();
                assertThat(messages).anySatisfy(m -> assertThat(m).contains("before the wait"));
                assertThat(messages).noneSatisfy(m -> assertThat(m).contains("never"));
                await().atMost(Duration.ofSeconds(5)).until(() -> robot.agent().state().name().equals("CONNECTED"));
            }
        }
    }

    @Test
    void a_cancel_kills_the_command_the_job_is_running() throws Exception {
        try (Fleet fleet = Fleet.start(server)) {
            fleet.deploy("Sleepy", Flows.chain("sleepy",
                    new Flows.Node("RunCommandNode", "{\"command\":\"sleep\",\"args\":\"97\"}")));
            try (LocalRobot robot = LocalRobot.start(fleet.wsUrl(), fleet.robotKey, robotDir,
                    Map.of("robot.run_command.enabled", "true", "robot.run_command.allowed_executables", "sleep"))) {
                String jobId = fleet.submit("Sleepy", "");
                await().atMost(Duration.ofSeconds(15)).until(() -> sleeps().count() == 1);
                assertThat(fleet.http().post("/api/v1/jobs/" + jobId + "/cancel", "{}", fleet.admin()).status()).isEqualTo(202);
                fleet.awaitState(jobId, Duration.ofSeconds(10), "cancelled");
                await().atMost(Duration.ofSeconds(5)).until(() -> sleeps().count() == 0);
            }
        }
    }

    /** The {@code sleep 97} processes this JVM started. */
    private static java.util.stream.Stream<ProcessHandle> sleeps() {
        return ProcessHandle.current().descendants().filter(ProcessHandle::isAlive)
                .filter(p -> p.info().commandLine().orElse("").contains("sleep 97"));
    }

    @Test
    void a_job_past_its_timeout_is_stopped_and_ends_timed_out() throws Exception {
        try (Fleet fleet = Fleet.start(server)) {
            fleet.deploy("Slow", Flows.chain("slow", waitSeconds(120)));
            try (LocalRobot robot = LocalRobot.start(fleet.wsUrl(), fleet.robotKey, robotDir, Map.of())) {
                String jobId = fleet.submit("Slow", "\"timeout_seconds\":2");
                JsonNode job = fleet.awaitState(jobId, Duration.ofSeconds(20), "timed_out");
                assertThat(job.get("attempts")).hasSize(1);
            }
        }
    }
}
