package com.casarerpa.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.casarerpa.common.json.Json;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The release archive, {@code casare-rpa-<version>.tar.gz}, unpacked in a temporary directory and
 * run as on a machine that has a Java runtime and nothing else: no Maven, no sources on the
 * {@code PATH}. Its systemd units pass {@code systemd-analyze verify} against the unpacked files.
 */
class ReleaseArchiveIT {
    private static final Duration START = Duration.ofSeconds(60);

    @TempDir
    Path tmp;

    @Test
    void the_archive_runs_the_orchestrator_with_only_a_java_runtime_and_builds_nothing() throws Exception {
        Path home = ReleaseArchive.unpack(tmp.resolve("opt"));
        assertThat(home.resolve("bin/casare-rpa")).isExecutable();
        for (String file : List.of("lib/casare-rpa.jar", "lib/java.sh", "README.md", "config/orchestrator.yaml.example",
                "config/robot.yaml.example", "systemd/casare-orchestrator.service", "systemd/casare-robot.service",
                "systemd/orchestrator.env.example", "systemd/robot.env.example", "docs/operations.md", "examples/hello.json")) {
            assertThat(home.resolve(file)).as(file).isRegularFile();
        }
        try (Stream<Path> all = Files.walk(home)) {
            assertThat(all.map(p -> p.getFileName().toString())).as("no sources, no build files")
                    .doesNotContain("pom.xml", "src", "target");
        }
        Path run = Files.createDirectories(tmp.resolve("run"));
        Map<String, String> machine = ReleaseArchive.machine(ReleaseArchive.tools(tmp.resolve("tools")).toString(),
                Map.of("CASARE_DATA_DIR", run.resolve("data").toString()));

        try (LauncherProcess version = LauncherProcess.command(run, machine, home.resolve("bin/casare-rpa").toString(), "--version")) {
            assertThat(version.waitFor(START)).as(version.output()).isZero();
            assertThat(version.output()).contains("casare-rpa " + ReleaseArchive.VERSION);
        }
        try (LauncherProcess server = LauncherProcess.command(run, machine, home.resolve("bin/casare-rpa").toString(),
                "orchestrator", "start", "--port", "0")) {
            String port = server.awaitLine("listening on http://127\\.0\\.0\\.1:(\\d+)", START);
            HttpResponse<String> health = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).as(health.body()).isEqualTo(200);
            assertThat(Json.mapper().readTree(health.body()).get("status").asText()).isEqualTo("healthy");
            assertThat(server.terminate(Duration.ofSeconds(60))).as(server.output()).isIn(0, 143);
            assertThat(server.output()).contains("orchestrator stopped");
        }
        assertThat(run.resolve("data/initial-admin.key")).as("the embedded database was made in CASARE_DATA_DIR").isRegularFile();
        try (Stream<Path> all = Files.walk(home)) {
            assertThat(all.filter(p -> p.getFileName().toString().equals("target"))).as("it built nothing").isEmpty();
        }
    }

    /**
     * JAVA_OPTS, then CASARE_JAVA_OPTS, reach the JVM in that order (the later -Xmx wins), through
     * both launchers; a runtime without javac is enough for the archive's; none at all is one clear
     * error.
     */
    @Test
    void java_opts_then_casare_java_opts_reach_the_jvm_and_a_jre_is_enough() throws Exception {
        Path home = ReleaseArchive.unpack(tmp.resolve("opt"));
        Path tools = ReleaseArchive.tools(tmp.resolve("tools"));
        Path noJvms = Files.createDirectories(tmp.resolve("no-jvms"));
        // A JRE: bin/java only (a link to the real one, which finds its own libraries).
        Path jre = Files.createDirectories(tmp.resolve("jre/bin")).getParent();
        Files.createSymbolicLink(jre.resolve("bin/java"), ReleaseArchive.JAVA_HOME.resolve("bin/java"));
        Map<String, String> opts = Map.of("JAVA_OPTS", "-Xmx64m -XX:+PrintFlagsFinal", "CASARE_JAVA_OPTS", "-Xmx96m");
        String bin = home.resolve("bin/casare-rpa").toString();

        Map<String, String> onJre = new java.util.HashMap<>(ReleaseArchive.machine(tools.toString(), opts));
        onJre.put("JAVA_HOME", jre.toString());
        onJre.put("CASARE_JVM_DIR", noJvms.toString());
        try (LauncherProcess p = LauncherProcess.command(tmp, onJre, bin, "--version")) {
            assertThat(p.waitFor(START)).as(p.output()).isZero();
            assertThat(maxHeap(p)).isEqualTo(96L << 20);
            assertThat(p.output()).contains("casare-rpa " + ReleaseArchive.VERSION);
        }
        try (LauncherProcess p = LauncherProcess.script(tmp, opts, "--version")) {
            assertThat(p.waitFor(START)).as(p.output()).isZero();
            assertThat(maxHeap(p)).as("./casare-rpa of the source tree").isEqualTo(96L << 20);
        }

        Map<String, String> noJava = new java.util.HashMap<>(ReleaseArchive.machine(tools.toString(), Map.of()));
        noJava.put("JAVA_HOME", tmp.resolve("nothing").toString());
        noJava.put("CASARE_JVM_DIR", noJvms.toString());
        try (LauncherProcess p = LauncherProcess.command(tmp, noJava, bin, "--version")) {
            assertThat(p.waitFor(START)).isEqualTo(1);
            assertThat(p.output()).startsWith("error: CasareRPA needs Java (a JRE or a JDK) 21 or newer and found none");
        }
    }

    @Test
    void the_systemd_units_verify_and_outlast_the_drain_and_their_configuration_examples_load() throws Exception {
        Path home = ReleaseArchive.unpack(tmp.resolve("opt"));
        Path units = Files.createDirectories(tmp.resolve("units"));
        List<Path> verified = new ArrayList<>();
        try (Stream<Path> files = Files.list(home.resolve("systemd"))) {
            for (Path unit : files.filter(f -> f.toString().endsWith(".service")).toList()) {
                // systemd-analyze checks that ExecStart's program exists: point it at this archive.
                Path copy = units.resolve(unit.getFileName());
                Files.writeString(copy, Files.readString(unit).replace("/opt/casare-rpa/", home + "/"));
                verified.add(copy);
            }
        }
        assertThat(verified).extracting(p -> p.getFileName().toString())
                .containsExactlyInAnyOrder("casare-orchestrator.service", "casare-robot.service");
        for (Path unit : verified) {
            try (LauncherProcess verify = LauncherProcess.command(units, Map.of(), "systemd-analyze", "verify", unit.toString())) {
                assertThat(verify.waitFor(START)).as(verify.output()).isZero();
                assertThat(verify.lines()).as("no warning about " + unit.getFileName())
                        .noneMatch(line -> line.contains(unit.getFileName().toString()));
            }
        }

        // The orchestrator drains for up to 20 s (requests) + 15 s (robot reports); the robot for its
        // shutdown grace. systemd must wait longer before SIGKILL.
        String orchestrator = Files.readString(home.resolve("systemd/casare-orchestrator.service"));
        assertThat(setting(orchestrator, "TimeoutStopSec")).isGreaterThan(20 + 15);
        assertThat(setting(orchestrator, "LimitNOFILE")).isGreaterThanOrEqualTo(65536);
        Map<String, String> machine = ReleaseArchive.machine(ReleaseArchive.tools(tmp.resolve("tools")).toString(), Map.of());
        String bin = home.resolve("bin/casare-rpa").toString();
        try (LauncherProcess config = LauncherProcess.command(tmp, machine, bin, "robot", "config", "--json",
                "--config", home.resolve("config/robot.yaml.example").toString())) {
            assertThat(config.waitFor(START)).as(config.output()).isZero();
            JsonNode settings = Json.mapper().readTree(String.join("\n", config.stdout()));
            long grace = settings.get("robot.shutdown_grace_seconds").get("value").asLong();
            String robot = Files.readString(home.resolve("systemd/casare-robot.service"));
            assertThat(setting(robot, "TimeoutStopSec")).as("above the shutdown grace of the example").isGreaterThan(grace);
        }
        try (LauncherProcess config = LauncherProcess.command(tmp, machine, bin, "orchestrator", "config", "--json",
                "--config", home.resolve("config/orchestrator.yaml.example").toString())) {
            assertThat(config.waitFor(START)).as(config.output()).isZero();
            JsonNode settings = Json.mapper().readTree(String.join("\n", config.stdout())).get("settings");
            assertThat(settings.get("orchestrator.workers").get("value").asText()).isEqualTo("4");
            assertThat(settings.get("logging.format").get("value").asText()).isEqualTo("json");
        }
    }

    private static long maxHeap(LauncherProcess p) {
        Matcher m = Pattern.compile("\\bMaxHeapSize\\s+=\\s+(\\d+)").matcher(p.output());
        assertThat(m.find()).as("-XX:+PrintFlagsFinal printed MaxHeapSize:\n" + p.output()).isTrue();
        return Long.parseLong(m.group(1));
    }

    /** The number a unit file gives {@code key} ({@code TimeoutStopSec=60}). */
    private static long setting(String unit, String key) {
        Matcher m = Pattern.compile("(?m)^" + key + "=(\\d+)\\s*$").matcher(unit);
        assertThat(m.find()).as(key + " in the unit").isTrue();
        return Long.parseLong(m.group(1));
    }
}
