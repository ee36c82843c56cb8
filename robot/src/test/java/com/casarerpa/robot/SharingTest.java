package com.casarerpa.robot;

import static com.casarerpa.robot.testing.Flows.waitSeconds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.casarerpa.robot.testing.Fleet;
import com.casarerpa.robot.testing.Flows;
import com.casarerpa.robot.testing.LocalRobot;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Slots: one robot runs up to max_jobs at once; two robots share a queue. */
class SharingTest {
    @TempDir
    Path server;

    @TempDir
    Path robotA;

    @TempDir
    Path robotB;

    @Test
    void a_robot_with_three_slots_runs_three_jobs_at_once_and_no_more() throws Exception {
        try (Fleet fleet = Fleet.start(server)) {
            fleet.deploy("Wait", Flows.chain("wait", waitSeconds(3)));
            try (LocalRobot robot = LocalRobot.start(fleet.wsUrl(), fleet.robotKey, robotA, Map.of("robot.max_jobs", "3"))) {
                List<String> jobs = new ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    jobs.add(fleet.submit("Wait", ""));
                }
                await().atMost(Duration.ofSeconds(10)).until(() ->
                        jobs.stream().filter(id -> fleet.job(id).get("state").asText().equals("running")).count() == 3);
                assertThat(jobs.stream().map(id -> fleet.job(id).get("state").asText())).containsOnlyOnce("pending");
                for (String id : jobs) {
                    fleet.awaitState(id, Duration.ofSeconds(20), "succeeded");
                }
            }
        }
    }

    @Test
    void two_robots_share_the_load_and_every_job_runs_once() throws Exception {
        try (Fleet fleet = Fleet.start(server)) {
            fleet.deploy("Wait", Flows.chain("wait", waitSeconds(1)));
            try (LocalRobot a = LocalRobot.start(fleet.wsUrl(), fleet.robotKey, robotA, Map.of("robot.name", "A"));
                    LocalRobot b = LocalRobot.start(fleet.wsUrl(), fleet.robotKey, robotB, Map.of("robot.name", "B"))) {
                await().atMost(Duration.ofSeconds(10)).until(() -> a.agent().robotId().isPresent() && b.agent().robotId().isPresent());
                assertThat(a.agent().robotId()).isNotEqualTo(b.agent().robotId());
                List<String> jobs = new ArrayList<>();
                for (int i = 0; i < 6; i++) {
                    jobs.add(fleet.submit("Wait", ""));
                }
                Set<String> ranOn = new HashSet<>();
                for (String id : jobs) {
                    JsonNode job = fleet.awaitState(id, Duration.ofSeconds(30), "succeeded");
                    assertThat(job.get("attempts")).hasSize(1);
                    ranOn.add(job.get("robot_id").asText());
                }
                assertThat(ranOn).containsExactlyInAnyOrder(a.agent().robotId().orElseThrow(), b.agent().robotId().orElseThrow());
            }
        }
    }
}
