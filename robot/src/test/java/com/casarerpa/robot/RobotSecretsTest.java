package com.casarerpa.robot;

import static com.casarerpa.robot.testing.Flows.log;
import static com.casarerpa.robot.testing.Flows.set;
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

/** A workflow that gets hold of the robot's key anyway cannot send it to the orchestrator, where viewers read jobs. */
class RobotSecretsTest {
    @TempDir
    Path server;

    @TempDir
    Path robotDir;

    @Test
    void the_robots_key_is_masked_in_the_error_logs_and_result_of_a_job_that_read_it() throws Exception {
        Flows.Node read = new Flows.Node("ReadFileNode", "{\"file_path\":\"found.txt\"}");
        try (Fleet fleet = Fleet.start(server)) {
            fleet.deploy("Copy", Flows.chain("copy", read, set("copied", "{{n1.content}}"), log("read {{n1.content}}")));
            fleet.deploy("Fail", Flows.chain("fail", read,
                    new Flows.Node("ThrowErrorNode", "{\"error_type\":\"Leak\",\"error_message\":\"failed with {{n1.content}}\"}")));
            Files.createDirectories(robotDir.resolve("files"));
            Files.writeString(robotDir.resolve("files/found.txt"), fleet.robotKey);
            try (LocalRobot robot = LocalRobot.start(fleet.wsUrl(), fleet.robotKey, robotDir, Map.of())) {
                String copyId = fleet.submit("Copy", "");
                String failId = fleet.submit("Fail", "\"max_retries\":0");

                JsonNode copied = fleet.awaitState(copyId, Duration.ofSeconds(15), "succeeded");
                JsonNode failed = fleet.awaitState(failId, Duration.ofSeconds(15), "failed");

                await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(fleet.logs(copyId))
                        .extracting(e -> e.get("message").asText()).contains("read ***"));
                assertThat(copied.at("/result/variables/copied").asText()).isEqualTo("***");
                assertThat(failed.at("/error/message").asText()).isEqualTo("failed with ***");
                assertThat(List.of(copied, failed, fleet.logs(copyId), fleet.logs(failId)).toString()).doesNotContain(fleet.robotKey);
            }
        }
    }
}
