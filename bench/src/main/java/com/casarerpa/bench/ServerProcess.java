package com.casarerpa.bench;

import com.casarerpa.common.json.Json;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An orchestrator server started as users start it ({@code casare-rpa orchestrator start}, the
 * packaged launcher jar, as a child JVM) on a fresh database: the schema is created and an admin
 * key made with the CLI first. Its output goes to {@code server.log} in the work directory.
 * Rate limits are raised far above what the benchmark sends; every other setting is the default.
 */
final class ServerProcess implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("listening on http://([^:]+):(\\d+)");
    /** Generous: on 2 cores shared with other runs a start has taken more than 90 s. */
    private static final Duration START_TIMEOUT = Duration.ofSeconds(180);
    /** The settings the benchmark sets; the server's defaults hold for everything else. */
    static final Map<String, String> SETTINGS = Map.of(
            "CASARE_ORCHESTRATOR_RATE_LIMIT_REQUESTS_PER_MINUTE", "100000000",
            "CASARE_ORCHESTRATOR_RATE_LIMIT_BURST", "10000000",
            // A simulated robot with 4 slots of no-op jobs sends far more than the 200 messages a
            // second a real robot's connection is allowed by default.
            "CASARE_ROBOTS_RATE_LIMIT_MESSAGES_PER_SECOND", "1000000",
            "CASARE_ROBOTS_RATE_LIMIT_BURST", "1000000");

    private final Process process;
    private final Undo.Step stop;
    private final Path log;
    private final String baseUrl;
    private final String adminKey;
    private final JsonNode config;

    private ServerProcess(Process process, Undo.Step stop, Path log, String baseUrl, String adminKey, JsonNode config) {
        this.process = process;
        this.stop = stop;
        this.log = log;
        this.baseUrl = baseUrl;
        this.adminKey = adminKey;
        this.config = config;
    }

    /**
     * Starts a server on a free port with {@code databaseEnv} ({@code DATABASE_URL} and its secret
     * for PostgreSQL, nothing for the embedded database in {@code workDir/data}).
     */
    static ServerProcess start(Path cliJar, Path workDir, Map<String, String> databaseEnv) throws Exception {
        Map<String, String> env = new HashMap<>(SETTINGS);
        env.putAll(databaseEnv);
        env.put("CASARE_DATA_DIR", workDir.resolve("data").toString());
        Cli cli = new Cli(cliJar, workDir, env);
        cli.run("orchestrator", "init-db");
        String key = Json.mapper().readTree(cli.run("orchestrator", "create-api-key", "--name", "bench admin", "--role", "admin",
                "--json")).get("key").asText();
        JsonNode config = Json.mapper().readTree(cli.run("orchestrator", "config", "--json"));

        Path log = workDir.resolve("server.log");
        Process p = cli.builder("orchestrator", "start", "--port", "0").redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        Undo.Step stop = Undo.push("the orchestrator, pid " + p.pid(), () -> stop(p));
        Undo.recordPid(p.pid());
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            Matcher m = LISTENING.matcher(Files.readString(log, StandardCharsets.UTF_8));
            if (m.find()) {
                return new ServerProcess(p, stop, log, "http://" + m.group(1) + ":" + m.group(2), key, config);
            }
            if (!p.isAlive()) {
                stop.close();
                throw new IllegalStateException("the orchestrator exited with " + p.exitValue() + " at start:\n" + tail(log));
            }
            Thread.sleep(100);
        }
        stop.close();
        throw new IllegalStateException("the orchestrator did not start within " + START_TIMEOUT.toSeconds() + " s:\n" + tail(log));
    }

    String baseUrl() {
        return baseUrl;
    }

    String adminKey() {
        return adminKey;
    }

    long pid() {
        return process.pid();
    }

    /** The effective configuration ({@code orchestrator config --json}, secrets masked). */
    JsonNode config() {
        return config;
    }

    /** Lines of the server log at WARN or ERROR, to show with the figures. */
    List<String> warnings() throws IOException {
        List<String> found = new ArrayList<>();
        for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
            if (line.contains(" WARN ") || line.contains(" ERROR ")) {
                found.add(line);
            }
        }
        return found;
    }

    @Override
    public void close() throws Exception {
        stop.close();
    }

    /** SIGTERM (the server drains and stops), then SIGKILL after 30 s. */
    private static void stop(Process process) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor();
        }
    }

    static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** The launcher jar run with the server's environment. */
    private record Cli(Path jar, Path workDir, Map<String, String> env) {
        ProcessBuilder builder(String... args) {
            List<String> command = new ArrayList<>();
            command.add(ProcessHandle.current().info().command().orElse("java"));
            command.add("-jar");
            command.add(jar.toString());
            command.addAll(List.of(args));
            ProcessBuilder b = new ProcessBuilder(command).directory(workDir.toFile());
            b.environment().putAll(env);
            return b;
        }

        String run(String... args) throws IOException, InterruptedException {
            Path errors = workDir.resolve("cli-stderr.txt");
            Process p = builder(args).redirectError(errors.toFile()).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (p.waitFor() != 0) {
                throw new IllegalStateException("casare-rpa " + String.join(" ", args) + " failed: "
                        + Files.readString(errors, StandardCharsets.UTF_8).strip());
            }
            return new String(out, StandardCharsets.UTF_8);
        }
    }
}
