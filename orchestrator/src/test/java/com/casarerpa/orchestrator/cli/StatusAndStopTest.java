package com.casarerpa.orchestrator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.casarerpa.common.json.Json;
import com.casarerpa.orchestrator.testing.CliHarness;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code status} and {@code stop} on the states a pid file can be in without a server: none,
 * left by a process that died, and naming a live process that is not the one that wrote it.
 * (The running case, with a daemon, is the cli module's DaemonIT.)
 */
class StatusAndStopTest {
    @TempDir
    Path dir;

    private Map<String, String> env() {
        return Map.of("CASARE_DATA_DIR", dir.resolve("data").toString());
    }

    @Test
    void without_a_pid_file_status_says_stopped_with_exit_3_and_stop_has_nothing_to_do() throws Exception {
        CliHarness.Result status = CliHarness.orchestrator(env(), dir, "status");
        assertThat(status.exitCode()).as(status.toString()).isEqualTo(3);
        assertThat(status.out()).contains("stopped").contains(dir.resolve("data/orchestrator.pid").toString());

        JsonNode json = Json.mapper().readTree(CliHarness.orchestrator(env(), dir, "status", "--json").out());
        assertThat(json.get("state").asText()).isEqualTo("stopped");

        CliHarness.Result stop = CliHarness.orchestrator(env(), dir, "stop");
        assertThat(stop.exitCode()).as(stop.toString()).isZero();
        assertThat(stop.out()).contains("not running");
    }

    @Test
    void a_pid_file_left_by_a_dead_process_is_dead_for_status_and_removed_by_stop() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        Path pidFile = dir.resolve("run/orchestrator.pid");
        Files.createDirectories(pidFile.getParent());
        Files.writeString(pidFile, gone.pid() + "\n");

        CliHarness.Result status = CliHarness.orchestrator(env(), dir, "status", "--pid-file", "run/orchestrator.pid");
        assertThat(status.exitCode()).as(status.toString()).isEqualTo(1);
        assertThat(status.out()).contains("dead").contains("pid " + gone.pid());

        CliHarness.Result stop = CliHarness.orchestrator(env(), dir, "stop", "--pid-file", "run/orchestrator.pid");
        assertThat(stop.exitCode()).as(stop.toString()).isZero();
        assertThat(stop.out()).contains("removed the stale pid file");
        assertThat(pidFile).doesNotExist();
        assertThat(CliHarness.orchestrator(env(), dir, "status", "--pid-file", "run/orchestrator.pid").exitCode()).isEqualTo(3);
    }

    @Test
    void a_pid_reused_by_another_process_is_not_signalled() throws Exception {
        // This JVM is alive, but the info beside the pid file says its process started at another time.
        long self = ProcessHandle.current().pid();
        Path pidFile = dir.resolve("data/orchestrator.pid");
        Files.createDirectories(pidFile.getParent());
        Files.writeString(pidFile, self + "\n");
        Files.writeString(dir.resolve("data/orchestrator.pid.json"), new InstanceInfo(self,
                java.util.Optional.of(java.time.Instant.parse("2001-01-01T00:00:00Z")), "http://127.0.0.1:1", "0", "db",
                java.util.Optional.empty(), java.time.Instant.now()).toJson());

        CliHarness.Result status = CliHarness.orchestrator(env(), dir, "status", "--json");
        assertThat(status.exitCode()).as(status.toString()).isEqualTo(1);
        CliHarness.Result stop = CliHarness.orchestrator(env(), dir, "stop");
        assertThat(stop.exitCode()).as(stop.toString()).isZero();
        assertThat(pidFile).doesNotExist();
        assertThat(ProcessHandle.current().isAlive()).isTrue();
    }

    @Test
    void a_negative_timeout_is_refused_naming_it() {
        CliHarness.Result stop = CliHarness.orchestrator(env(), dir, "stop", "--timeout", "-1");
        assertThat(stop.exitCode()).isEqualTo(2);
        assertThat(stop.err()).contains("--timeout");
    }
}
