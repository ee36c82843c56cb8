package com.casarerpa.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.casarerpa.common.json.Json;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole path a user takes, every step a separate {@code casare-rpa} process: start the
 * orchestrator, deploy a workflow file, start a robot, submit a job, watch it succeed with its
 * logs, look at the robot's status, stop the robot with SIGTERM.
 */
class RobotLauncherIT {
    private static final Duration START = Duration.ofSeconds(60);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path workDir;

    /**
     * README's "Your first job", step by step as written there (only the port is a free one): the
     * admin key from {@code data/initial-admin.key}, {@code deploy examples/hello.json} and
     * {@code create-api-key} on the embedded database beside the server, a robot, a job.
     */
    @Test
    void the_readme_quick_start_runs_as_written_all_through_the_launcher() throws Exception {
        copyExamples();
        try (LauncherProcess server = LauncherProcess.jar(workDir, Map.of(), "orchestrator", "start", "--port", "0")) {
            String port = server.awaitLine("listening on http://127\\.0\\.0\\.1:(\\d+)", START);
            String printed = server.awaitLine("^\\s+(crpa_[A-Za-z0-9_-]{43})$", START);
            String admin = Files.readString(workDir.resolve("data/initial-admin.key")).strip();
            assertThat(admin).isEqualTo(printed);
            String api = "http://127.0.0.1:" + port;

            try (LauncherProcess deploy = LauncherProcess.jar(workDir, Map.of(), "orchestrator", "deploy", "examples/hello.json")) {
                assertThat(deploy.waitFor(START)).as(deploy.output()).isZero();
                assertThat(deploy.output()).startsWith("Deployed \"hello\" as wf_").contains("version 1 (new workflow; 4 nodes");
            }
            String robotKey;
            try (LauncherProcess create = LauncherProcess.jar(workDir, Map.of(), "orchestrator", "create-api-key", "--name", "robot-1",
                    "--role", "robot")) {
                assertThat(create.waitFor(START)).as(create.output()).isZero();
                robotKey = create.output().replaceAll("(?s).*\\n\\s+(crpa_[A-Za-z0-9_-]{43})\\n.*", "$1");
                assertThat(robotKey).startsWith("crpa_").hasSize(48);
            }
            try (LauncherProcess schedule = LauncherProcess.jar(workDir, Map.of(), "orchestrator", "deploy", "examples/hello.json",
                    "--trigger", "schedule", "--cron", "0 9 * * 1-5", "--timezone", "Europe/Berlin")) {
                assertThat(schedule.waitFor(START)).as(schedule.output()).isZero();
                assertThat(get(api + "/api/v1/schedules", admin).toString()).contains("0 9 * * 1-5").contains("Europe/Berlin");
            }

            Map<String, String> robotEnv = new HashMap<>();
            robotEnv.put("CASARE_ROBOT_API_KEY", robotKey);
            robotEnv.put("CASARE_LOGGING_FORMAT", "json");
            try (LauncherProcess robot = LauncherProcess.jar(workDir, robotEnv, "robot", "start", "--url", "ws://127.0.0.1:" + port,
                    "--name", "robot-1")) {
                robot.awaitLine("registered as robot (\\S+)", START);

                String jobId = post(api + "/api/v1/jobs", admin, "{\"workflow_name\": \"hello\", \"variables\": {\"name\": \"RPA team\"}}")
                        .get("id").asText();
                JsonNode[] job = new JsonNode[1];
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> {
                    job[0] = get(api + "/api/v1/jobs/" + jobId, admin);
                    return job[0].get("state").asText().equals("succeeded");
                });
                assertThat(job[0].at("/result/variables/greeting").asText()).isEqualTo("Hello, RPA team!");
                await().atMost(Duration.ofSeconds(5)).until(() ->
                        get(api + "/api/v1/jobs/" + jobId + "/logs", admin).toString().contains("\"message\":\"Hello, RPA team!\""));

                try (LauncherProcess status = LauncherProcess.jar(workDir, robotEnv, "robot", "status")) {
                    assertThat(status.waitFor(START)).as(status.output()).isZero();
                    assertThat(status.output()).contains("robot-1").contains("connected");
                }

                int exit = robot.terminate(Duration.ofSeconds(40));
                assertThat(exit).as(robot.output()).isIn(0, 143);
                assertThat(robot.stdout()).as("logging.format json: one object per line").isNotEmpty().allSatisfy(line ->
                        assertThat(Json.mapper().readTree(line).has("message")).as(line).isTrue());
                assertThat(robot.output()).doesNotContain(robotKey);
            }
            try (LauncherProcess status = LauncherProcess.jar(workDir, Map.of(), "robot", "status")) {
                assertThat(status.waitFor(START)).isEqualTo(3);
                assertThat(status.output()).startsWith("error: no robot is running with work dir");
            }
            server.terminate(Duration.ofSeconds(30));
        }
    }

    @Test
    void the_robot_artifact_runs_on_its_own_and_holds_no_database_driver_or_web_server() throws Exception {
        Path jar = LauncherProcess.ROOT.resolve("robot/target/casare-robot.jar");
        try (var files = Files.list(jar.resolveSibling("lib"))) {
            List<String> libs = files.map(p -> p.getFileName().toString()).toList();
            assertThat(libs).anyMatch(n -> n.startsWith("casare-engine")).anyMatch(n -> n.startsWith("casare-common"))
                    .noneMatch(n -> n.matches("(postgresql|h2|HikariCP|flyway|jdbi3|javalin|jetty|casare-orchestrator).*"));
        }
        try (LauncherProcess p = LauncherProcess.jar(jar, workDir, Map.of(), "--version")) {
            assertThat(p.waitFor(START)).as(p.output()).isZero();
            assertThat(p.output()).contains("casare-rpa 0.");
        }
        try (LauncherProcess p = LauncherProcess.jar(jar, workDir, Map.of(), "status")) {
            assertThat(p.waitFor(START)).isEqualTo(3);
            assertThat(p.output()).startsWith("error: no robot is running with work dir");
        }
    }

    @Test
    void robot_help_works_through_the_launcher() throws Exception {
        for (String[] args : new String[][] {{"robot", "--help"}, {"robot", "start", "--help"}, {"robot", "status", "--help"}}) {
            try (LauncherProcess p = LauncherProcess.jar(workDir, Map.of(), args)) {
                assertThat(p.waitFor(START)).as(p.output()).isZero();
                assertThat(p.output()).contains("Usage: casare-rpa robot");
            }
        }
    }

    private void copyExamples() throws IOException {
        Path examples = Files.createDirectories(workDir.resolve("examples"));
        try (var files = Files.list(LauncherProcess.ROOT.resolve("examples"))) {
            for (Path file : files.toList()) {
                Files.copy(file, examples.resolve(file.getFileName()));
            }
        }
    }

    private static JsonNode post(String url, String key, String body) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("X-API-Key", key)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return Json.mapper().readTree(r.body());
    }

    private static JsonNode get(String url, String key) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("X-API-Key", key).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return Json.mapper().readTree(r.body());
    }
}
