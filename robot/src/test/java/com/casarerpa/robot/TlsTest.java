package com.casarerpa.robot;

import static com.casarerpa.robot.testing.Flows.set;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.casarerpa.robot.agent.RobotAgent;
import com.casarerpa.robot.testing.Fleet;
import com.casarerpa.robot.testing.Flows;
import com.casarerpa.robot.testing.LocalRobot;
import com.casarerpa.robot.testing.TlsProxy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code wss://} through a TLS-terminating proxy with a private certificate. */
class TlsTest {
    @TempDir
    Path server;

    @TempDir
    Path certs;

    @TempDir
    Path robotDir;

    @TempDir
    Path untrusting;

    @Test
    void a_robot_given_the_ca_file_connects_over_wss_and_one_without_it_does_not() throws Exception {
        try (Fleet fleet = Fleet.start(server); TlsProxy tls = new TlsProxy(certs, fleet.port())) {
            fleet.deploy("Tls", Flows.chain("tls", set("over", "tls")));
            String url = "wss://localhost:" + tls.port();
            try (LocalRobot trusting = LocalRobot.start(url, fleet.robotKey, robotDir, Map.of("robot.ca_file", tls.caFile().toString()))) {
                String jobId = fleet.submit("Tls", "");
                assertThat(fleet.awaitState(jobId, Duration.ofSeconds(15), "succeeded").at("/result/variables/over").asText())
                        .isEqualTo("tls");
                assertThat(trusting.agent().state()).isEqualTo(RobotAgent.State.CONNECTED);
            }
            try (LocalRobot untrusted = LocalRobot.start(url, fleet.robotKey, untrusting, Map.of())) {
                await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
                        .until(() -> untrusted.agent().robotId().isEmpty() && untrusted.agent().state() != RobotAgent.State.CONNECTED);
            }
        }
    }
}
