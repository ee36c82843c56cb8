package com.casarerpa.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;

/** A {@code casare-rpa} process started as a user would, with its output collected line by line. */
final class LauncherProcess implements AutoCloseable {
    static final Path ROOT = Path.of(System.getProperty("casare.root", "..")).toAbsolutePath().normalize();
    static final Path JAR = Path.of(System.getProperty("casare.jar", "target/casare-rpa.jar")).toAbsolutePath();

    private final Process process;
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final List<String> stdout = new CopyOnWriteArrayList<>();
    private final List<String> stderr = new CopyOnWriteArrayList<>();
    private final Thread outReader;
    private final Thread errReader;

    private LauncherProcess(Process process) {
        this.process = process;
        this.outReader = read(process.getInputStream(), stdout);
        this.errReader = read(process.getErrorStream(), stderr);
    }

    private Thread read(java.io.InputStream stream, List<String> into) {
        return Thread.ofVirtual().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    into.add(line);
                    lines.add(line);
                }
            } catch (IOException ignored) {
                // process ended
            }
        });
    }

    /** Runs the packaged jar with the JVM that runs the tests. */
    static LauncherProcess jar(Path workDir, Map<String, String> env, String... args) throws IOException {
        return jar(JAR, workDir, env, args);
    }

    /** Runs another packaged jar (the robot's own) with the JVM that runs the tests. */
    static LauncherProcess jar(Path jar, Path workDir, Map<String, String> env, String... args) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new java.util.ArrayList<>(List.of(java, "-jar", jar.toString()));
        command.addAll(List.of(args));
        return start(workDir, env, command);
    }

    /** Runs the {@code ./casare-rpa} script at the repository root. */
    static LauncherProcess script(Path workDir, Map<String, String> env, String... args) throws IOException {
        List<String> command = new java.util.ArrayList<>(List.of(ROOT.resolve("casare-rpa").toString()));
        command.addAll(List.of(args));
        return start(workDir, env, command);
    }

    /** Runs {@code command} (a script of the release archive, a platform's start command). */
    static LauncherProcess command(Path workDir, Map<String, String> env, String... command) throws IOException {
        return start(workDir, env, List.of(command));
    }

    private static LauncherProcess start(Path workDir, Map<String, String> env, List<String> command) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("CASARE_") || k.startsWith("ORCHESTRATOR_") || k.equals("DATABASE_URL")
                || k.equals("PORT") || k.equals("JAVA_OPTS"));
        pb.environment().putAll(env);
        return new LauncherProcess(pb.start());
    }

    /** Waits for a line matching {@code regex} and returns its first group (or the whole line). */
    String awaitLine(String regex, Duration atMost) {
        Pattern pattern = Pattern.compile(regex);
        String[] found = new String[1];
        Awaitility.await().atMost(atMost).pollInterval(Duration.ofMillis(50)).until(() -> {
            for (String line : lines) {
                Matcher m = pattern.matcher(line);
                if (m.find()) {
                    found[0] = m.groupCount() > 0 ? m.group(1) : line;
                    return true;
                }
            }
            if (!process.isAlive()) {
                throw new AssertionError("process ended (exit " + process.exitValue() + ") before printing /" + regex + "/:\n" + output());
            }
            return false;
        });
        return found[0];
    }

    /** Sends SIGTERM and waits for the exit code. */
    int terminate(Duration atMost) throws InterruptedException {
        // Through the handle: Process.destroy() would also close our end of its output.
        process.toHandle().destroy();
        return waitFor(atMost);
    }

    int waitFor(Duration atMost) throws InterruptedException {
        if (!process.waitFor(atMost.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("process did not end within " + atMost + ":\n" + output());
        }
        outReader.join(Duration.ofSeconds(10));
        errReader.join(Duration.ofSeconds(10));
        return process.exitValue();
    }

    /** Standard output only. */
    List<String> stdout() {
        return stdout;
    }

    /** Both streams, in the order lines arrived. */
    String output() {
        return String.join("\n", lines);
    }

    /** Lines of both streams, in the order they arrived. */
    List<String> lines() {
        return lines;
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
