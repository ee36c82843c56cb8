package com.casarerpa.orchestrator.ws;

import static org.assertj.core.api.Assertions.assertThat;

import com.casarerpa.orchestrator.domain.Job;
import com.casarerpa.orchestrator.domain.RetryPolicy;
import com.casarerpa.orchestrator.store.Database;
import com.casarerpa.orchestrator.store.DatabaseUrl;
import com.casarerpa.orchestrator.store.Jdbi3;
import com.casarerpa.orchestrator.store.JobReaping;
import com.casarerpa.orchestrator.store.JobReports;
import com.casarerpa.orchestrator.store.JobStore;
import com.casarerpa.orchestrator.store.PoolSettings;
import com.casarerpa.orchestrator.testing.CliHarness;
import com.casarerpa.orchestrator.testing.Http;
import com.casarerpa.orchestrator.testing.RunningOrchestrator;
import com.casarerpa.orchestrator.testing.Samples;
import com.casarerpa.testkit.TestRobot;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;

/**
 * A running orchestrator for robot channel tests: an admin key, a fleet robot key, a deployed
 * workflow, and the queue's stores on a second connection pool, to submit and cancel jobs and
 * read them back as the jobs API would.
 */
final class ChannelServer implements AutoCloseable {
    final RunningOrchestrator server;
    final Http http;
    final Map<String, String> admin;
    final String robotKey;
    final String workflowId;
    final JobStore jobs;
    final JobReports reports;
    /** Ends expired leases now, as the server's reaper would on its next pass. */
    final JobReaping reaping;
    private final Database side;
    private final List<TestRobot> robots = new ArrayList<>();

    private ChannelServer(RunningOrchestrator server, Path workDir) {
        this.server = server;
        this.http = server.http();
        String adminKey = server.orchestrator().bootstrapKey().orElseGet(() -> CliHarness.orchestrator(server.env(), workDir,
                "create-api-key", "--name", "a", "--role", "admin", "--json").out().replaceAll("(?s).*\"key\" : \"([^\"]+)\".*", "$1"));
        this.admin = Map.of("X-API-Key", adminKey);
        this.robotKey = key("robot", "Fleet");
        Http.Response deployed = http.post("/api/v1/workflows", "{\"name\":\"Greeting\",\"workflow_data\":"
                + Samples.chain("greeting", "hello") + "}", admin);
        assertThat(deployed.status()).as(deployed.body()).isEqualTo(201);
        this.workflowId = deployed.json().get("id").asText();
        this.side = Database.open(server.env().containsKey("DATABASE_URL")
                ? DatabaseUrl.parse(server.env().get("DATABASE_URL")) : DatabaseUrl.embedded(workDir.resolve("data")),
                PoolSettings.forCommand());
        this.jobs = new JobStore(Jdbi3.of(side));
        this.reports = new JobReports(Jdbi3.of(side), side.dialect(), new RetryPolicy(Duration.ZERO, Duration.ZERO), new Random(1));
        this.reaping = new JobReaping(Jdbi3.of(side), side.dialect(), reports);
    }

    static ChannelServer embedded(Path workDir) {
        return embedded(workDir, Map.of());
    }

    /** With more configuration (short robot timings, say) in {@code env}. */
    static ChannelServer embedded(Path workDir, Map<String, String> env) {
        return new ChannelServer(RunningOrchestrator.embedded(workDir, withNoRetryDelay(env)), workDir);
    }

    static ChannelServer postgres(Path workDir) {
        return postgres(workDir, Map.of());
    }

    static ChannelServer postgres(Path workDir, Map<String, String> env) {
        return new ChannelServer(RunningOrchestrator.postgres(workDir, withNoRetryDelay(env)), workDir);
    }

    /** Another instance on the PostgreSQL database of {@code db}, with its own keys and workflow. */
    static ChannelServer postgresOn(Path workDir, String database, Map<String, String> env) {
        return new ChannelServer(RunningOrchestrator.postgresOn(workDir, database, withNoRetryDelay(env)), workDir);
    }

    /** An instance on the PostgreSQL database at {@code url} (through a {@code TcpProxy}, say), not dropped. */
    static ChannelServer postgresAt(Path workDir, String url, Map<String, String> env) {
        return new ChannelServer(RunningOrchestrator.postgresAt(workDir, url, withNoRetryDelay(env)), workDir);
    }

    private static Map<String, String> withNoRetryDelay(Map<String, String> env) {
        Map<String, String> all = new java.util.HashMap<>(env);
        all.putIfAbsent("CASARE_QUEUE_RETRY_DELAY_SECONDS", "0");
        return all;
    }

    /** A new API key of this role (a robot key bound to {@code robotId} when given). */
    String key(String role, String name) {
        return key(role, name, null);
    }

    String key(String role, String name, String robotId) {
        Http.Response r = http.post("/api/v1/api-keys", "{\"name\":\"" + name + "\",\"role\":\"" + role + "\""
                + (robotId == null ? "" : ",\"robot_id\":\"" + robotId + "\"") + "}", admin);
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json().get("key").asText();
    }

    /** SQL on the server's database, beside the server (folders, bindings the API does not make yet). */
    org.jdbi.v3.core.Jdbi sql() {
        return Jdbi3.of(side);
    }

    int port() {
        return server.orchestrator().port();
    }

    /** A connected robot on the fleet key (closed with the server). */
    TestRobot robot() {
        return track(TestRobot.connect(port(), robotKey));
    }

    TestRobot track(TestRobot robot) {
        robots.add(robot);
        return robot;
    }

    /** Submits a job of the deployed workflow, as the jobs API would, and wakes the dispatcher. */
    String submit(List<String> capabilities) {
        return submit(capabilities, 3);
    }

    String submit(List<String> capabilities, int maxRetries) {
        String id = "job_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        jobs.submit(new JobStore.NewJob(id, workflowId, 1, 10, "{\"region\":\"emea\"}", capabilities, List.of(), Optional.empty(),
                Optional.empty(), maxRetries, Optional.of(600), "api", "test"));
        server.orchestrator().dispatchSignal().wake();
        return id;
    }

    String submit() {
        return submit(List.of());
    }

    Job job(String id) {
        return jobs.find(id).orElseThrow();
    }

    @Override
    public void close() {
        robots.forEach(TestRobot::close);
        side.close();
        server.close();
    }
}
