package com.casarerpa.robot;

import static com.casarerpa.robot.testing.Flows.waitSeconds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.casarerpa.common.cli.CliContext;
import com.casarerpa.common.cli.CommandRunner;
import com.casarerpa.common.json.Json;
import com.casarerpa.robot.cli.RobotCommand;
import com.casarerpa.robot.testing.Fleet;
import com.casarerpa.robot.testing.Flows;
import com.casarerpa.robot.testing.LocalRobot;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code casare-rpa robot status|config|start} as a user runs them: output, exit codes, one-line errors. */
class RobotCommandsTest {
    @TempDir
    Path server;

    @TempDir
    Path dir;

    record Result(int code, String out, String err) {}

    static Result run(Map<String, String> env, Path cwd, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = CommandRunner.run(RobotCommand.class, new CliContext(env, cwd, new PrintWriter(out, true), new PrintWriter(err, true)), args);
        return new Result(code, out.toString(), err.toString());
    }

    @Test
    void status_shows_the_robot_and_its_job_and_says_clearly_when_none_runs() throws Exception {
        Path robotDir = dir.resolve("robot");
        Result none = run(Map.of(), dir, "status", "--work-dir", robotDir.toString());
        assertThat(none.code()).isEqualTo(3);
        assertThat(none.err()).startsWith("error: no robot is running with work dir " + robotDir).doesNotContain("Exception");

        try (Fleet fleet = Fleet.start(server)) {
            fleet.deploy("Slow", Flows.chain("slow", waitSeconds(30)));
            try (LocalRobot robot = LocalRobot.start(fleet.wsUrl(), fleet.robotKey, robotDir, Map.of("robot.name", "status-robot", "robot.shutdown_grace_seconds", "0"))) {
                String jobId = fleet.submit("Slow", "");
                fleet.awaitState(jobId, Duration.ofSeconds(15), "running");
                await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                    Result status = run(Map.of(), dir, "status", "--work-dir", robotDir.toString());
                    assertThat(status.code()).as(status.err()).isZero();
                    assertThat(status.out()).contains(robot.agent().robotId().orElseThrow(), "status-robot", "connected", jobId,
                            "WaitNode");
                });
                Result json = run(Map.of(), dir, "status", "--json", "--work-dir", robotDir.toString());
                var parsed = Json.mapper().readTree(json.out());
                assertThat(parsed.get("state").asText()).isEqualTo("connected");
                assertThat(parsed.at("/jobs/0/job_id").asText()).isEqualTo(jobId);

                Result second = run(Map.of("CASARE_ROBOT_API_KEY", fleet.robotKey), dir, "start", "--url", fleet.wsUrl(),
                        "--work-dir", robotDir.toString());
                assertThat(second.code()).isEqualTo(1);
                assertThat(second.err()).contains("another robot is running with work dir");
            }
        }
    }

    @Test
    void start_without_url_or_with_a_bad_value_fails_with_one_line_naming_the_key() {
        Result noUrl = run(Map.of("CASARE_ROBOT_API_KEY", "crpa_x"), dir, "start");
        assertThat(noUrl.code()).isEqualTo(2);
        assertThat(noUrl.err().strip()).isEqualTo(
                "error: configuration: robot.url is required: give --url, set CASARE_ROBOT_URL, or write it in the configuration file");

        Result badUrl = run(Map.of("CASARE_ROBOT_API_KEY", "crpa_x"), dir, "start", "--url", "ftp://host");
        assertThat(badUrl.code()).isEqualTo(2);
        assertThat(badUrl.err()).startsWith("error: configuration: robot.url: expected a ws://").contains("(from flag --url)");

        Result badSlots = run(Map.of("CASARE_ROBOT_API_KEY", "crpa_x", "CASARE_ROBOT_MAX_JOBS", "0"), dir, "start",
                "--url", "ws://127.0.0.1:1");
        assertThat(badSlots.code()).isEqualTo(2);
        assertThat(badSlots.err()).contains("robot.max_jobs: expected an integer between 1 and 256, got \"0\"");

        Result noKey = run(Map.of(), dir, "start", "--url", "ws://127.0.0.1:1");
        assertThat(noKey.err()).contains("robot.api_key is required");
        assertThat(noKey.err().lines()).hasSize(1);
    }

    @Test
    void a_key_the_orchestrator_refuses_stops_the_robot_with_a_clear_error() throws Exception {
        try (Fleet fleet = Fleet.start(server)) {
            Result refused = run(Map.of("CASARE_ROBOT_API_KEY", "crpa_not_a_real_key"), dir, "start", "--url", fleet.wsUrl(),
                    "--work-dir", dir.resolve("r").toString());
            assertThat(refused.code()).isEqualTo(1);
            assertThat(refused.err().strip()).startsWith("error: the orchestrator refused the API key (401)")
                    .doesNotContain("crpa_not_a_real_key");
        }
    }

    @Test
    void config_shows_every_key_with_its_source_and_masks_the_key() throws Exception {
        Files.createDirectories(dir.resolve("config"));
        Files.writeString(dir.resolve("config/robot.yaml"), "robot:\n  url: ws://orchestrator:8000\n  max_jobs: 4\n");
        Result r = run(Map.of("CASARE_ROBOT_API_KEY", "crpa_secret_value"), dir, "config");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("robot.url", "ws://orchestrator:8000/ws/robots", "robot.max_jobs", "4",
                "environment (CASARE_ROBOT_API_KEY)", "****").doesNotContain("crpa_secret_value");

        Files.writeString(dir.resolve("config/robot.yaml"), "robot:\n  url: ws://orchestrator:8000\n  api_key: ${CASARE_ROBOT_API_KEY}\n");
        Result viaFile = run(Map.of("CASARE_ROBOT_API_KEY", "crpa_secret_value"), dir, "config");
        Result viaFileJson = run(Map.of("CASARE_ROBOT_API_KEY", "crpa_secret_value"), dir, "config", "--json");
        assertThat(viaFile.out()).containsPattern("robot\\.api_key +\\*\\*\\*\\* +file \\("
                + java.util.regex.Pattern.quote(dir.resolve("config/robot.yaml") + ":3, ${CASARE_ROBOT_API_KEY})"));
        assertThat(Json.mapper().readTree(viaFileJson.out()).at("/robot.api_key/variables/0").asText()).isEqualTo("CASARE_ROBOT_API_KEY");
        assertThat(viaFile.out() + viaFileJson.out()).doesNotContain("crpa_secret_value");

        Files.writeString(dir.resolve("config/robot.yaml"), "robot:\n  max_job: 4\n");
        Result typo = run(Map.of(), dir, "config");
        assertThat(typo.code()).isEqualTo(2);
        assertThat(typo.err()).contains("max_job");
    }
}
