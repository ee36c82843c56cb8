package com.casarerpa.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.casarerpa.common.json.Json;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code start --daemon}, {@code status} and {@code stop} with the packaged jar, as a user runs
 * them: the daemon outlives the command that started it, the first admin key is shown to that
 * command and never written to the log file, a second daemon on the same pid file is refused,
 * and a daemon that cannot start says why from its log.
 */
class DaemonIT {
    private static final Duration COMMAND = Duration.ofSeconds(120);

    @TempDir
    Path workDir;

    private Map<String, String> embedded() {
        return Map.of("CASARE_DATA_DIR", workDir.resolve("data").toString());
    }

    private LauncherProcess run(String... args) throws Exception {
        LauncherProcess p = LauncherProcess.jar(workDir, embedded(), args);
        p.waitFor(COMMAND);
        return p;
    }

    @Test
    void a_daemon_starts_reports_its_status_refuses_a_twin_and_stops() throws Exception {
        LauncherProcess start = LauncherProcess.jar(workDir, embedded(), "orchestrator", "start", "--daemon", "--port", "0");
        assertThat(start.waitFor(COMMAND)).as(start.output()).isZero();
        String out = start.output();
        Matcher pid = Pattern.compile("started in the background: pid (\\d+)").matcher(out);
        assertThat(pid.find()).as(out).isTrue();
        Matcher address = Pattern.compile("address:\\s+(http://127\\.0\\.0\\.1:\\d+)").matcher(out);
        assertThat(address.find()).as(out).isTrue();
        Path logFile = workDir.resolve("data/orchestrator.log").toAbsolutePath();
        Path pidFile = workDir.resolve("data/orchestrator.pid").toAbsolutePath();
        assertThat(out).contains("log file: " + logFile).contains("pid file: " + pidFile);
        Matcher key = Pattern.compile("(?m)^\\s+(crpa_[A-Za-z0-9_-]{43})$").matcher(out);
        assertThat(key.find()).as("the first admin key, shown to whoever started the daemon: " + out).isTrue();

        long daemon = Long.parseLong(pid.group(1));
        assertThat(ProcessHandle.of(daemon).map(ProcessHandle::isAlive)).as("it outlives the start command").contains(true);
        assertThat(Files.readString(pidFile).strip()).isEqualTo(pid.group(1));
        HttpResponse<String> keys = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(address.group(1)
                + "/api/v1/api-keys")).header("Authorization", "Bearer " + key.group(1)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(keys.statusCode()).isEqualTo(200);
        String log = Files.readString(logFile);
        assertThat(log).contains("listening on").doesNotContain(key.group(1)).doesNotContain("crpa_");

        LauncherProcess status = run("orchestrator", "status");
        assertThat(status.waitFor(COMMAND)).as(status.output()).isZero();
        assertThat(status.output()).contains("running").contains("pid:           " + daemon).contains(address.group(1))
                .contains("healthy").contains("robots online: 0").contains("embedded").contains("log file:      " + logFile);
        JsonNode json = Json.mapper().readTree(String.join("\n", run("orchestrator", "status", "--json").stdout()));
        assertThat(json.get("state").asText()).isEqualTo("running");
        assertThat(json.get("pid").asLong()).isEqualTo(daemon);
        assertThat(json.get("health").get("status").asText()).isEqualTo("healthy");

        LauncherProcess twin = run("orchestrator", "start", "--daemon", "--port", "0");
        assertThat(twin.waitFor(COMMAND)).isEqualTo(1);
        assertThat(twin.lines()).as(twin.output()).hasSize(1);
        assertThat(twin.output()).startsWith("error: an orchestrator is already running with the pid file " + pidFile)
                .contains("pid " + daemon);

        LauncherProcess stop = run("orchestrator", "stop");
        assertThat(stop.waitFor(COMMAND)).as(stop.output()).isZero();
        assertThat(stop.output()).contains("sent SIGTERM").contains("stopped pid " + daemon);
        assertThat(ProcessHandle.of(daemon).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        assertThat(pidFile).doesNotExist();
        // The drain ran to its end before H2's own shutdown hook closed the embedded database.
        assertThat(Files.readString(logFile)).contains("orchestrator stopped").doesNotContain("error while stopping");

        LauncherProcess stopped = run("orchestrator", "status");
        assertThat(stopped.waitFor(COMMAND)).isEqualTo(3);
        assertThat(stopped.output()).contains("stopped");
    }

    @Test
    void a_daemon_that_cannot_start_says_why_from_its_log_and_leaves_no_pid_file() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            Path logFile = workDir.resolve("logs/server.log");
            LauncherProcess start = run("orchestrator", "start", "--daemon", "--port", Integer.toString(taken.getLocalPort()),
                    "--log-file", "logs/server.log");
            assertThat(start.waitFor(COMMAND)).isEqualTo(1);
            assertThat(start.output()).contains("error: the orchestrator exited during start-up").contains(logFile.toString())
                    .contains("port " + taken.getLocalPort()).contains("already in use");
            assertThat(workDir.resolve("data/orchestrator.pid")).doesNotExist();
        }
    }
}
