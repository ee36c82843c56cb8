package com.casarerpa.robot.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.casarerpa.common.json.Json;
import com.casarerpa.orchestrator.testing.CliHarness;
import com.casarerpa.orchestrator.testing.Http;
import com.casarerpa.orchestrator.testing.RunningOrchestrator;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An orchestrator on a free port (PostgreSQL) with an admin key and a robot fleet key, and the
 * REST calls the robot tests make: deploy, submit, read jobs and their logs.
 */
public final class Fleet implements AutoCloseable {
    /** Tests poll the API; a budget that polling cannot exhaust. */
    public static final Map<String, String> GENEROUS = Map.of(
            "CASARE_ORCHESTRATOR_RATE_LIMIT_BURST", "100000",
            "CASARE_ORCHESTRATOR_RATE_LIMIT_REQUESTS_PER_MINUTE", "100000");

    private final RunningOrchestrator orchestrator;
    private final Path work;
    public final String adminKey;
    public final String robotKey;

    private Fleet(RunningOrchestrator orchestrator, Path work, String adminKey, String robotKey) {
        this.orchestrator = orchestrator;
        this.work = work;
        this.adminKey = adminKey;
        this.robotKey = robotKey;
    }

    /** A fresh PostgreSQL database and an orchestrator on it, with keys. */
    public static Fleet start(Path work) {
        return on(RunningOrchestrator.postgres(work, GENEROUS), work);
    }

    /** An orchestrator on an existing PostgreSQL database (not dropped on close), with keys. */
    public static Fleet startOn(Path work, String database) {
        return on(RunningOrchestrator.postgresOn(work, database, GENEROUS), work);
    }

    /** The same keys on another instance of the same database (a restarted orchestrator). */
    public Fleet withInstance(RunningOrchestrator other) {
        return new Fleet(other, work, adminKey, robotKey);
    }

    /** Keys on an orchestrator already running (another instance of a shared database). */
    public static Fleet on(RunningOrchestrator orchestrator, Path work) {
        CliHarness.Result created = CliHarness.orchestrator(orchestrator.env(), work, "create-api-key", "--name", "admin",
                "--role", "admin", "--json");
        assertThat(created.exitCode()).as(created.toString()).isZero();
        String admin = json(created.out()).get("key").asText();
        Http.Response robot = orchestrator.http().post("/api/v1/api-keys", "{\"name\":\"robots\",\"role\":\"robot\"}",
                Map.of("X-API-Key", admin));
        assertThat(robot.status()).as(robot.body()).isEqualTo(201);
        return new Fleet(orchestrator, work, admin, robot.json().get("key").asText());
    }

    public RunningOrchestrator orchestrator() {
        return orchestrator;
    }

    public int port() {
        return orchestrator.orchestrator().port();
    }

    /** The robot endpoint as a user writes it. */
    public String wsUrl() {
        return "ws://127.0.0.1:" + port();
    }

    public Http http() {
        return orchestrator.http();
    }

    public Map<String, String> admin() {
        return Map.of("X-API-Key", adminKey);
    }

    public void deploy(String name, String workflowJson) {
        Http.Response r = http().post("/api/v1/workflows", "{\"name\":\"" + name + "\",\"workflow_data\":" + workflowJson + "}", admin());
        assertThat(r.status()).as(r.body()).isIn(200, 201);
    }

    /** Submits a job of {@code workflow}; {@code extra} are more fields of the body ({@code "timeout_seconds":2}). */
    public String submit(String workflow, String extra) {
        String body = "{\"workflow_name\":\"" + workflow + "\"" + (extra.isEmpty() ? "" : "," + extra) + "}";
        Http.Response r = http().post("/api/v1/jobs", body, admin());
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json().get("id").asText();
    }

    public JsonNode job(String id) {
        Http.Response r = http().get("/api/v1/jobs/" + id, admin());
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json();
    }

    /** Waits until the job is in one of {@code states}; returns it. */
    public JsonNode awaitState(String id, Duration within, String... states) {
        Set<String> wanted = Set.of(states);
        JsonNode[] last = new JsonNode[1];
        await("job " + id + " in " + wanted).atMost(within).pollInterval(Duration.ofMillis(100)).until(() -> {
            last[0] = job(id);
            String state = last[0].get("state").asText();
            if (!wanted.contains(state) && isFinal(last[0])) {
                throw new AssertionError("job " + id + " ended " + state + ", not " + wanted + ": " + last[0]);
            }
            return wanted.contains(state);
        });
        return last[0];
    }

    public List<JsonNode> logs(String id) {
        Http.Response r = http().get("/api/v1/jobs/" + id + "/logs?limit=500", admin());
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        JsonNode page = r.json();
        JsonNode items = page.has("items") ? page.get("items") : page;
        return Json.mapper().convertValue(items, Json.mapper().getTypeFactory().constructCollectionType(List.class, JsonNode.class));
    }

    public JsonNode robot(String id) {
        Http.Response r = http().get("/api/v1/robots/" + id, admin());
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json();
    }

    public Path work() {
        return work;
    }

    /** The environment for a second instance on the same database at a fixed port. */
    public Map<String, String> envForRestart() {
        Map<String, String> env = new HashMap<>(GENEROUS);
        env.put("ORCHESTRATOR_PORT", Integer.toString(port()));
        return env;
    }

    private static boolean isFinal(JsonNode job) {
        return Set.of("succeeded", "failed", "cancelled", "timed_out").contains(job.get("state").asText());
    }

    private static JsonNode json(String text) {
        try {
            return Json.mapper().readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        orchestrator.close();
    }
}
