package com.casarerpa.orchestrator.testing;

import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A second JVM running a main class of the test classpath, for what needs another process
 * (file locks, H2's AUTO_SERVER). Its output is collected line by line; {@link #close()} kills it.
 */
public final class ChildJvm implements AutoCloseable {
    private final Process process;
    private final List<String> lines = new CopyOnWriteArrayList<>();

    private ChildJvm(Process process) {
        this.process = process;
        Thread reader = new Thread(this::collect, "child-jvm-" + process.pid());
        reader.setDaemon(true);
        reader.start();
    }

    public static ChildJvm start(Class<?> mainClass, String... args) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                mainClass.getName()));
        command.addAll(List.of(args));
        try {
            return new ChildJvm(new ProcessBuilder(command).redirectErrorStream(true).start());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits until the child prints {@code line} on a line of its own. */
    public ChildJvm awaitLine(String line) {
        await("child JVM prints '" + line + "'").atMost(Duration.ofSeconds(30))
                .failFast("child JVM exited: " + lines, () -> !process.isAlive())
                .until(() -> lines.contains(line));
        return this;
    }

    /** Waits until the child prints a line that starts with {@code prefix}, and returns the rest of it. */
    public String awaitLineStartingWith(String prefix) {
        await("child JVM prints '" + prefix + "…'").atMost(Duration.ofSeconds(60))
                .failFast("child JVM exited: " + lines, () -> !process.isAlive())
                .until(() -> lines.stream().anyMatch(l -> l.startsWith(prefix)));
        return lines.stream().filter(l -> l.startsWith(prefix)).findFirst().orElseThrow().substring(prefix.length());
    }

    /** Kills the child at once (SIGKILL: no shutdown hook, no drain, sockets dropped) and waits until it is gone. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /**
     * Sends SIGTERM (shutdown hooks run: an orchestrator drains) and waits for the exit code.
     * Through the handle: {@code Process.destroy()} would also close our end of its output.
     */
    public int terminate(Duration atMost) throws InterruptedException {
        sendTerm();
        return awaitExit(atMost);
    }

    /** Sends SIGTERM and returns at once. */
    public void sendTerm() {
        process.toHandle().destroy();
    }

    /** Waits for the child to exit and returns its exit code. */
    public int awaitExit(Duration atMost) throws InterruptedException {
        if (!process.waitFor(atMost.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("child JVM did not stop within " + atMost + " of SIGTERM: " + lines);
        }
        return process.exitValue();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public long pid() {
        return process.pid();
    }

    public List<String> output() {
        return List.copyOf(lines);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    private void collect() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                lines.add(line);
            }
        } catch (IOException e) {
            // the process died; its lines so far are kept
        }
    }
}
