package com.casarerpa.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.casarerpa.common.json.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged command line, run as separate processes the way a user runs it. */
class LauncherIT {
    private static final Duration START = Duration.ofSeconds(60);
    private static final String LISTENING = "listening on http://127\\.0\\.0\\.1:(\\d+)";

    @TempDir
    Path workDir;

    private Map<String, String> embedded() {
        return Map.of("CASARE_DATA_DIR", workDir.resolve("data").toString());
    }

    private static HttpResponse<String> get(String port, String path) throws Exception {
        return HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void start_serves_health_on_the_embedded_database_and_sigterm_stops_it_cleanly() throws Exception {
        try (LauncherProcess server = LauncherProcess.jar(workDir, embedded(), "orchestrator", "start", "--port", "0")) {
            String port = server.awaitLine(LISTENING, START);
            assertThat(server.lines().subList(0, 3)).anySatisfy(line -> assertThat(line).contains("embedded H2"));

            String key = server.awaitLine("^\\s+(crpa_[A-Za-z0-9_-]{43})$", START);
            assertThat(server.output()).contains("First start: created an admin API key");
            Path keyFile = workDir.resolve("data").resolve("initial-admin.key").toAbsolutePath();
            assertThat(server.output()).contains("It is also in " + keyFile + " (readable only by this account)");
            assertThat(Files.readString(keyFile).strip()).isEqualTo(key);
            HttpResponse<String> keys = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/api-keys"))
                            .header("Authorization", "Bearer " + key).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(keys.statusCode()).isEqualTo(200);
            assertThat(get(port, "/api/v1/api-keys").statusCode()).isEqualTo(401);

            HttpResponse<String> health = get(port, "/health");
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(Json.mapper().readTree(health.body()).get("status").asText()).isEqualTo("healthy");

            // The dashboard and its libraries are in the packaged jar.
            assertThat(server.output()).contains("Open the dashboard at http://127.0.0.1:" + port + "/");
            HttpResponse<String> page = get(port, "/");
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.body()).contains("/assets/app.js");
            assertThat(get(port, "/assets/app.js").statusCode()).isEqualTo(200);
            assertThat(get(port, "/webjars/lit-html/3.3.1/lit-html.js").statusCode()).isEqualTo(200);
            assertThat(get(port, "/webjars/uplot/1.6.30/dist/uPlot.esm.js").statusCode()).isEqualTo(200);

            int exit = server.terminate(Duration.ofSeconds(30));
            assertThat(exit).as(server.output()).isIn(0, 143);
            assertThat(server.output()).contains("stopping HTTP server").contains("orchestrator stopped");
        }
        // The lock and the database were released: a new server starts on the same data,
        // and the admin key is not made (nor shown) again.
        try (LauncherProcess again = LauncherProcess.jar(workDir, embedded(), "orchestrator", "start", "--port", "0")) {
            again.awaitLine(LISTENING, START);
            again.terminate(Duration.ofSeconds(30));
            assertThat(again.output()).doesNotContain("crpa_").doesNotContain("First start");
        }
    }

    @Test
    void a_second_server_on_the_same_data_directory_exits_with_one_clear_line() throws Exception {
        try (LauncherProcess first = LauncherProcess.jar(workDir, embedded(), "orchestrator", "start", "--port", "0")) {
            first.awaitLine(LISTENING, START);
            try (LauncherProcess second = LauncherProcess.jar(workDir, embedded(), "orchestrator", "start", "--port", "0")) {
                assertThat(second.waitFor(START)).isEqualTo(1);
                assertThat(second.output()).contains("error: cannot start: the embedded database in")
                        .contains("already in use").doesNotContain("Exception");
            }
            // CLI commands still work beside the running server.
            try (LauncherProcess status = LauncherProcess.jar(workDir, embedded(), "orchestrator", "db-status")) {
                assertThat(status.waitFor(START)).as(status.output()).isZero();
                assertThat(status.output()).contains("applied");
            }
            first.terminate(Duration.ofSeconds(30));
        }
    }

    @Test
    void json_logging_writes_one_object_per_line_to_stdout_and_the_log_file() throws Exception {
        Path logFile = workDir.resolve("logs/orchestrator.log");
        Map<String, String> env = new java.util.HashMap<>(embedded());
        env.put("CASARE_LOGGING_FORMAT", "json");
        env.put("CASARE_LOGGING_PATH", logFile.toString());
        try (LauncherProcess server = LauncherProcess.jar(workDir, env, "orchestrator", "start", "--port", "0")) {
            server.awaitLine(LISTENING, START);
            server.terminate(Duration.ofSeconds(30));
            assertThat(server.stdout()).isNotEmpty().allSatisfy(line ->
                    assertThat(Json.mapper().readTree(line).has("message")).as(line).isTrue());
        }
        assertThat(Files.readAllLines(logFile)).isNotEmpty().allSatisfy(line ->
                assertThat(Json.mapper().readTree(line).get("level").asText()).isNotBlank());
    }

    @Test
    void version_and_help_on_every_level() throws Exception {
        for (String[] args : new String[][] {{"--version"}, {"--help"}, {"orchestrator", "--help"}, {"orchestrator", "start", "--help"}}) {
            try (LauncherProcess p = LauncherProcess.jar(workDir, Map.of(), args)) {
                assertThat(p.waitFor(START)).as(p.output()).isZero();
                assertThat(p.output()).containsAnyOf("casare-rpa 0.", "Usage: casare-rpa");
            }
        }
    }

    @Test
    void a_command_run_with_debug_ends_without_the_jdks_exit_stack_trace() throws Exception {
        for (String[] args : new String[][] {{"orchestrator", "db-status", "--debug"}, {"robot", "config", "--debug"}}) {
            try (LauncherProcess p = LauncherProcess.jar(workDir, embedded(), args)) {
                assertThat(p.waitFor(START)).as(p.output()).isZero();
                assertThat(p.output()).as(String.join(" ", args)).contains(" DEBUG ")
                        .doesNotContain("Runtime.exit").doesNotContain("java.lang.Throwable")
                        .doesNotContainPattern("(?m)^\\s+at ");
            }
        }
    }

    @Test
    void an_unknown_command_is_one_line_and_exit_2() throws Exception {
        try (LauncherProcess p = LauncherProcess.jar(workDir, Map.of(), "orchestrator", "strat")) {
            assertThat(p.waitFor(START)).isEqualTo(2);
            assertThat(p.lines()).hasSize(1);
            assertThat(p.output()).startsWith("error: ").contains("strat").contains("casare-rpa orchestrator --help");
        }
    }

    @Test
    void the_script_finds_a_jdk_21_without_java_home_or_path() throws Exception {
        Map<String, String> env = Map.of("JAVA_HOME", "/nonexistent", "PATH", "/usr/bin:/bin");
        try (LauncherProcess p = LauncherProcess.script(workDir, env, "--version")) {
            assertThat(p.waitFor(START)).as(p.output()).isZero();
            assertThat(p.output()).contains("casare-rpa 0.");
        }
    }

    @Test
    void the_script_says_clearly_when_no_jdk_21_exists() throws Exception {
        Path emptyJvmDir = Files.createDirectories(workDir.resolve("jvm"));
        // /usr/bin may hold an older java (17 on Debian 12): it must not be taken.
        Map<String, String> env = Map.of("JAVA_HOME", "/nonexistent", "PATH", "/usr/bin:/bin",
                "CASARE_JVM_DIR", emptyJvmDir.toString());
        try (LauncherProcess p = LauncherProcess.script(workDir, env, "--version")) {
            assertThat(p.waitFor(START)).isEqualTo(1);
            assertThat(p.output()).contains("needs a JDK 21 or newer");
        }
    }
}
