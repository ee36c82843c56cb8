package com.casarerpa.orchestrator.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.casarerpa.common.json.Json;
import com.casarerpa.orchestrator.testing.Http;
import com.casarerpa.orchestrator.testing.RunningOrchestrator;
import com.casarerpa.orchestrator.testing.Samples;
import com.casarerpa.orchestrator.testing.TrapClock;
import com.casarerpa.testkit.TestRobot;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every background loop of a running instance survives an {@link Error} thrown by one of its
 * passes: the dispatcher, the scheduler, the lease reaper and the robot connection supervisor
 * each fail once with a StackOverflowError (from the clock, on that loop's thread) and then do
 * their work as before.
 */
class BackgroundLoopsTest {
    private static final Duration WAIT = Duration.ofSeconds(15);

    @TempDir
    Path workDir;

    @Test
    void each_loop_runs_again_after_an_error() {
        TrapClock clock = new TrapClock(Instant.parse("2027-01-04T08:30:00Z"));
        try (RunningOrchestrator server = RunningOrchestrator.embedded(workDir, Map.of("CASARE_QUEUE_RETRY_DELAY_SECONDS", "0",
                // the awaits below poll the API faster than the default rate limit allows
                "CASARE_ORCHESTRATOR_RATE_LIMIT_REQUESTS_PER_MINUTE", "100000", "CASARE_ORCHESTRATOR_RATE_LIMIT_BURST", "1000"), clock)) {
            Http http = server.http();
            Map<String, String> admin = Map.of("X-API-Key", server.orchestrator().bootstrapKey().orElseThrow());
            String workflow = http.post("/api/v1/workflows", "{\"name\":\"Greeting\",\"workflow_data\":" + Samples.chain("Greeting", "hi")
                    + "}", admin).json().get("id").asText();
            String robotKey = http.post("/api/v1/api-keys", "{\"name\":\"r\",\"role\":\"robot\"}", admin).json().get("key").asText();
            try (TestRobot robot = TestRobot.connect(server.orchestrator().port(), robotKey);
                    TestRobot silent = TestRobot.connect(server.orchestrator().port(), robotKey)) {
                assertThat(robot.register(Json.mapper().createObjectNode().put("robot_id", "ws")).get("type").asText())
                        .isEqualTo("registered");

                clock.arm("casare-dispatcher", "casare-scheduler", "casare-lease-reaper", "casare-robot-channel");
                await().atMost(WAIT).until(() -> clock.sprung().size() == 4);

                // The dispatcher: a new job goes to the connected robot.
                String job = http.post("/api/v1/jobs", "{\"workflow_id\":\"" + workflow + "\"}", admin).json().get("id").asText();
                assertThat(robot.next("job_assign", WAIT).get("job_id").asText()).isEqualTo(job);

                // The lease reaper: a job running past its timeout on a REST robot is marked to stop.
                Map<String, String> rest = Map.of("X-API-Key", robotKey);
                http.post("/api/v1/robots/register", "{\"robot_id\":\"rest\",\"name\":\"rest\",\"capabilities\":[\"rest\"]}", rest);
                String slow = http.post("/api/v1/jobs", "{\"workflow_id\":\"" + workflow + "\",\"timeout_seconds\":1,"
                        + "\"required_capabilities\":[\"rest\"]}", admin).json().get("id").asText();
                assertThat(http.post("/api/v1/jobs/claim", "{\"robot_id\":\"rest\"}", rest).json().get("job_id").asText())
                        .isEqualTo(slow);
                await().atMost(WAIT).until(() -> "timed_out".equals(http.get("/api/v1/jobs/" + slow, admin).json()
                        .path("stopping").asText()));

                // The connection supervisor: a connection that never registers is closed after the deadline.
                clock.advance(Duration.ofMinutes(1));
                assertThat(silent.closeCode(WAIT)).isEqualTo(1008);

                // The scheduler: an hourly schedule fires when its hour comes.
                assertThat(http.post("/api/v1/schedules", "{\"name\":\"hourly\",\"workflow_id\":\"" + workflow
                        + "\",\"cron\":\"0 * * * *\"}", admin).status()).isEqualTo(201);
                clock.advance(Duration.ofHours(1));
                await().atMost(WAIT).until(() -> http.get("/api/v1/schedules/hourly/history", admin).json().path("items").size() == 1);
            }
        }
    }
}
