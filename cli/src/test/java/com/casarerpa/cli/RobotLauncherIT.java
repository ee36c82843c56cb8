package com.casarerpa.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.casarerpa.common.json.Json;
import com.fasterxml.jackson.databind.JsonNode;
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

    @Test
    void deploy_then_a_robot_runs_the_job_to_succeeded_all_through_the_launcher() throws Exception {
        Map<String, String> serverEnv = Map.of("CASARE_DATA_DIR", workDir.resolve("data").toString());
        try (LauncherProcess server = LauncherProcess.jar(workDir, serverEnv, "orchestrator", "start", "--port", "0")) {
            String port = server.awaitLine("listening on http://127\\.0\\.0\\.1:(\\d+)", START);
            String admin = server.awaitLine("^\\s+(crpa_[A-Za-z0-9_-]{43})$", START);
            String api = "http://127.0.0.1:" + port;
            String robotKey = post(api + "/api/v1/api-keys", admin, "{\"name\":\"robots\",\"role\":\"robot\"}").get("key").asText();

            Path flow = workDir.resolve("hello.json");
            Files.writeString(flow, """
                    {"metadata": {"name": "Hello", "version": "1.0.0"},
                     "nodes": {
                       "start": {"node_id": "start", "node_type": "StartNode", "config": {}},
                       "set": {"node_id": "set", "node_type": "SetVariableNode", "config": {"variable_name": "greeting", "value": "hello {{who}}"}},
                       "log": {"node_id": "log", "node_type": "LogNode", "config": {"message": "greeting is {{greeting}}", "level": "info"}},
                       "end": {"node_id": "end", "node_type": "EndNode", "config": {}}},
                     "connections": [
                       {"source_node": "start", "source_port": "exec_out", "target_node": "set", "target_port": "exec_in"},
                       {"source_node": "set", "source_port": "exec_out", "target_node": "log", "target_port": "exec_in"},
                       {"source_node": "log", "source_port": "exec_out", "target_node": "end", "target_port": "exec_in"}],
                     "variables": {}, "settings": {"stop_on_error": true, "timeout": 60}}
                    """);
            try (LauncherProcess deploy = LauncherProcess.jar(workDir, Map.of(), "orchestrator", "deploy", flow.toString(),
                    "--url", api, "--api-key", admin)) {
                assertThat(deploy.waitFor(START)).as(deploy.output()).isZero();
            }

            Map<String, String> robotEnv = new HashMap<>();
            robotEnv.put("CASARE_ROBOT_API_KEY", robotKey);
            robotEnv.put("CASARE_ROBOT_WORK_DIR", workDir.resolve("robot").toString());
            robotEnv.put("CASARE_LOGGING_FORMAT", "json");
            try (LauncherProcess robot = LauncherProcess.jar(workDir, robotEnv, "robot", "start", "--url", "ws://127.0.0.1:" + port,
                    "--name", "launcher-robot")) {
                robot.awaitLine("registered as robot (\\S+)", START);

                String jobId = post(api + "/api/v1/jobs", admin, "{\"workflow_name\":\"Hello\",\"variables\":{\"who\":\"world\"}}")
                        .get("id").asText();
                JsonNode[] job = new JsonNode[1];
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> {
                    job[0] = get(api + "/api/v1/jobs/" + jobId, admin);
                    return job[0].get("state").asText().equals("succeeded");
                });
                assertThat(job[0].at("/result/variables/greeting").asText()).isEqualTo("hello world");
                await().atMost(Duration.ofSeconds(5)).until(() ->
                        get(api + "/api/v1/jobs/" + jobId + "/logs", admin).toString().contains("greeting is hello world"));

                try (LauncherProcess status = LauncherProcess.jar(workDir, robotEnv, "robot", "status")) {
                    assertThat(status.waitFor(START)).as(status.output()).isZero();
                    assertThat(status.output()).contains("launcher-robot").contains("connected");
                }

                int exit = robot.terminate(Duration.ofSeconds(40));
                assertThat(exit).as(robot.output()).isIn(0, 143);
                assertThat(robot.stdout()).as("logging.format json: one object per line").isNotEmpty().allSatisfy(line ->
                        assertThat(Json.mapper().readTree(line).has("message")).as(line).isTrue());
                assertThat(robot.output()).doesNotContain(robotKey);
            }
            try (LauncherProcess status = LauncherProcess.jar(workDir, Map.of("CASARE_ROBOT_WORK_DIR",
                    workDir.resolve("robot").toString()), "robot", "status")) {
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
