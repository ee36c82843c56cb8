package com.casarerpa.orchestrator.testing;

import static org.awaitility.Awaitility.await;

import com.casarerpa.common.json.Json;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's Prometheus ({@code /usr/bin/prometheus}, package {@code prometheus}) on a free
 * loopback port, with a configuration of its own in a temporary directory: one scrape job
 * {@code casare} of one target every second, and the rule files given. Queries go through its
 * HTTP API; {@link #close()} stops the process (SIGTERM, then SIGKILL).
 */
public final class LocalPrometheus implements AutoCloseable {
    public static final Path PROMETHEUS = Path.of("/usr/bin/prometheus");
    public static final Path PROMTOOL = Path.of("/usr/bin/promtool");
    public static final String JOB = "casare";
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final Process process;
    private final Path log;
    private final String base;

    private LocalPrometheus(Process process, Path log, int port) {
        this.process = process;
        this.log = log;
        this.base = "http://127.0.0.1:" + port;
    }

    /** Fails, saying how to install them, when Debian's prometheus or promtool is missing. */
    public static void requireInstalled() {
        for (Path tool : List.of(PROMETHEUS, PROMTOOL)) {
            if (!Files.isExecutable(tool)) {
                throw new AssertionError(tool + " is missing: install Debian's Prometheus with "
                        + "`apt-get install -y prometheus` (scripts/test does so when it runs as root)");
            }
        }
    }

    /** {@code promtool ARGS}: its exit code and its output (stdout and stderr). */
    public static ToolResult promtool(String... args) {
        requireInstalled();
        List<String> command = new ArrayList<>(List.of(PROMTOOL.toString()));
        command.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("promtool did not end within 60 s: " + out);
            }
            return new ToolResult(p.exitValue(), out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public record ToolResult(int exitCode, String output) {}

    /**
     * Starts Prometheus in {@code dir} scraping {@code http://target/metrics} (job {@value #JOB},
     * every second) with these rule files, and waits until it is ready.
     */
    public static LocalPrometheus start(Path dir, String target, List<Path> ruleFiles) {
        requireInstalled();
        StringBuilder config = new StringBuilder("""
                global:
                  scrape_interval: 1s
                  evaluation_interval: 1s
                scrape_configs:
                  - job_name: %s
                    metrics_path: /metrics
                    static_configs:
                      - targets: ["%s"]
                """.formatted(JOB, target));
        if (!ruleFiles.isEmpty()) {
            config.append("rule_files:\n");
            ruleFiles.forEach(f -> config.append("  - \"").append(f.toAbsolutePath()).append("\"\n"));
        }
        try {
            Path configFile = Files.writeString(dir.resolve("prometheus.yml"), config);
            Path log = dir.resolve("prometheus.log");
            int port = freePort();
            Process p = new ProcessBuilder(PROMETHEUS.toString(), "--config.file=" + configFile,
                    "--storage.tsdb.path=" + Files.createDirectories(dir.resolve("data")),
                    "--web.listen-address=127.0.0.1:" + port)
                    .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            LocalPrometheus prometheus = new LocalPrometheus(p, log, port);
            try {
                // Refused connections are expected until it has bound its port.
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                        .ignoreException(UncheckedIOException.class).until(() -> {
                    if (!p.isAlive()) {
                        throw new AssertionError("prometheus exited with " + p.exitValue() + ":\n" + prometheus.log());
                    }
                    return prometheus.get("/-/ready").statusCode() == 200;
                });
            } catch (RuntimeException | AssertionError e) {
                prometheus.close();
                throw e;
            }
            return prometheus;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /**
     * {@code GET /api/v1/query?query=EXPR} (evaluated now): the whole answer, {@code status}
     * {@code success} or {@code error} (with {@code errorType} and {@code error}).
     */
    public JsonNode query(String expr) {
        return json(get("/api/v1/query?query=" + URLEncoder.encode(expr, StandardCharsets.UTF_8)));
    }

    /** {@code GET /api/v1/rules}: the rule groups Prometheus loaded, with each rule's health. */
    public JsonNode rules() {
        return json(get("/api/v1/rules"));
    }

    /** {@code GET /api/v1/targets}: the scrape targets with their health and last error. */
    public JsonNode targets() {
        return json(get("/api/v1/targets"));
    }

    /** What Prometheus has printed so far. */
    public String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    private static JsonNode json(HttpResponse<String> response) {
        try {
            return Json.mapper().readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON (HTTP " + response.statusCode() + "): " + response.body(), e);
        }
    }

    private HttpResponse<String> get(String path) {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10)).GET().build();
            return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        Processes.stop(process);
    }
}
