package com.casarerpa.orchestrator.ws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.casarerpa.common.json.Json;
import com.casarerpa.orchestrator.store.JobStore;
import com.casarerpa.testkit.TestRobot;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A robot that stops reading (while it still sends): the server's writes to it stop completing,
 * and after the heartbeat timeout (3 s here) the server gives the connection up (4008, then a
 * drop, since a robot that reads nothing cannot read a close frame either). On PostgreSQL,
 * because it takes tens of MB of job_assign to fill the TCP buffers.
 */
class StalledRobotTest {
    @TempDir
    Path workDir;
    ChannelServer s;

    @BeforeEach
    void start() {
        s = ChannelServer.postgres(workDir, Map.of("CASARE_ROBOTS_HEARTBEAT_INTERVAL_SECONDS", "1",
                "CASARE_ROBOTS_HEARTBEAT_TIMEOUT_SECONDS", "3"));
    }

    @AfterEach
    void stop() {
        s.close();
    }

    static ObjectNode heartbeat() {
        ObjectNode m = TestRobot.message("heartbeat");
        m.putArray("jobs");
        return m;
    }

    @Test
    void a_robot_that_stops_reading_is_dropped_once_a_send_has_not_completed_within_the_heartbeat_timeout() {
        TestRobot robot = s.robot();
        robot.register(Json.mapper().createObjectNode().put("robot_id", "stuck").put("max_concurrent_jobs", 16));
        robot.stopReading();
        String big = "{\"blob\":\"" + "x".repeat(2 * 1024 * 1024) + "\"}";
        for (int i = 0; i < 12; i++) {
            s.jobs.submit(new JobStore.NewJob("job_stuck_" + i, s.workflowId, 1, 10, big,
                    List.of(), List.of(), Optional.empty(), Optional.empty(), 0,
                    Optional.empty(), "api", "test"));
        }
        s.server.orchestrator().dispatchSignal().wake();
        long start = System.nanoTime();
        // It keeps heartbeating (the server reads it), so only the stalled writes can end the connection.
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(500)).until(() -> {
            try {
                robot.sendRaw(heartbeat().toString());
                return robot.isClosed();
            } catch (RuntimeException dropped) {
                return true;
            }
        });
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofSeconds(3));
    }

}
