package com.casarerpa.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * However a benchmark run ends early, it leaves no orchestrator running and no work directory
 * behind: SIGTERM to the benchmark's JVM, Ctrl-C (SIGINT) to {@code scripts/bench}, and a kill -9
 * of the JVM under the script. A short embedded-database run, stopped during its warm-up.
 */
@Tag("ops")
class BenchCleanupIT {
    private static final Path ROOT = Path.of(System.getProperty("casare.root", "..")).toAbsolutePath().normalize();
    private static final Path BENCH_JAR = Path.of(System.getProperty("casare.bench.jar", "target/casare-bench.jar")).toAbsolutePath();
    private static final Path CLI_JAR = ROOT.resolve("cli/target/casare-rpa.jar");
    private static final List<String> SHORT_RUN = List.of("--database", "embedded", "--submit-only", "--submit-clients", "2",
            "--warmup", "300", "--submit-duration", "5", "--json", "results.json");
    private static final Pattern SERVER = Pattern.compile("server pid (\\d+) at");

    @TempDir
    Path work;

    private final List<Process> started = new ArrayList<>();

    /** After a failed test, what the run left is not left on the machine too. */
    @AfterEach
    void stopWhatIsLeft() {
        for (Process p : started) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
    }

    @Test
    void sigterm_to_the_benchmark_stops_its_orchestrator_and_removes_its_work_directory() throws Exception {
        List<String> command = new ArrayList<>(List.of(java(), "-Dcasare.cli.jar=" + CLI_JAR, "-D" + Bench.WORK_PROPERTY + "=" + work,
                "-jar", BENCH_JAR.toString()));
        command.addAll(SHORT_RUN);
        Run run = start(command);
        ProcessHandle server = run.server();
        assertThat(Files.list(work).toList()).as("its work directory while it runs").isNotEmpty();

        run.process.toHandle().destroy();

        run.awaitEnd();
        assertGone(server, run);
    }

    @Test
    void ctrl_c_to_scripts_bench_stops_its_orchestrator_and_removes_its_files() throws Exception {
        Run run = start(script());
        ProcessHandle server = run.server();

        new ProcessBuilder("kill", "-INT", Long.toString(run.process.pid())).start().waitFor();

        run.awaitEnd();
        assertGone(server, run);
    }

    @Test
    void kill_9_of_the_benchmarks_jvm_under_scripts_bench_still_stops_its_orchestrator() throws Exception {
        Run run = start(script());
        ProcessHandle server = run.server();
        ProcessHandle jvm = run.process.toHandle().children()
                .filter(p -> p.info().commandLine().orElse("").contains("casare-bench.jar")).findFirst().orElseThrow();

        jvm.destroyForcibly();

        run.awaitEnd();
        assertThat(run.output()).contains("left 1 process(es) running: stopping pid " + server.pid());
        assertGone(server, run);
    }

    private void assertGone(ProcessHandle server, Run run) throws IOException {
        Awaitility.await().atMost(Duration.ofSeconds(45)).until(() -> !server.isAlive());
        try (Stream<Path> left = Files.list(work)) {
            assertThat(left.filter(p -> !p.getFileName().toString().equals("results.json")).toList())
                    .as("files left behind; output:\n%s", run.output()).isEmpty();
        }
    }

    /** {@code scripts/bench} with its temporary files in {@link #work}. */
    private List<String> script() throws IOException {
        // The reactor has just built both jars from these sources: tell the script so, or it builds again.
        FileTime now = FileTime.from(Instant.now());
        Files.setLastModifiedTime(CLI_JAR, now);
        Files.setLastModifiedTime(BENCH_JAR, now);
        List<String> command = new ArrayList<>(List.of(ROOT.resolve("scripts/bench").toString()));
        command.addAll(SHORT_RUN);
        return command;
    }

    private Run start(List<String> command) throws IOException {
        Run run = Run.start(command, work);
        started.add(run.process);
        return run;
    }

    private static String java() {
        return ProcessHandle.current().info().command().orElse("java");
    }

    /** A benchmark process and its output, line by line. */
    private record Run(Process process, List<String> lines) {
        static Run start(List<String> command, Path work) throws IOException {
            ProcessBuilder b = new ProcessBuilder(command).directory(work.toFile()).redirectErrorStream(true);
            b.environment().put("TMPDIR", work.toString());
            b.environment().put("JAVA_HOME", Path.of(java()).getParent().getParent().toString());
            Run run = new Run(b.start(), new CopyOnWriteArrayList<>());
            Thread.ofVirtual().start(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(run.process.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line = r.readLine(); line != null; line = r.readLine()) {
                        run.lines.add(line);
                    }
                } catch (IOException ignored) {
                    // ended
                }
            });
            return run;
        }

        /** The orchestrator the run started, once it listens. */
        ProcessHandle server() {
            long[] pid = new long[1];
            Awaitility.await().atMost(Duration.ofSeconds(300)).pollInterval(Duration.ofMillis(100)).until(() -> {
                for (String line : lines) {
                    Matcher m = SERVER.matcher(line);
                    if (m.find()) {
                        pid[0] = Long.parseLong(m.group(1));
                        return true;
                    }
                }
                if (!process.isAlive()) {
                    throw new AssertionError("the benchmark ended before its server started:\n" + output());
                }
                return false;
            });
            return ProcessHandle.of(pid[0]).orElseThrow(() -> new AssertionError("no process " + pid[0]));
        }

        void awaitEnd() throws InterruptedException {
            if (!process.waitFor(90, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("the benchmark did not end within 90 s:\n" + output());
            }
        }

        String output() {
            return String.join("\n", lines);
        }
    }
}
