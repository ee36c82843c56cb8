package com.casarerpa.orchestrator.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.casarerpa.common.json.Json;
import com.casarerpa.orchestrator.domain.RetryPolicy;
import com.casarerpa.orchestrator.store.Database;
import com.casarerpa.orchestrator.store.DatabaseUrl;
import com.casarerpa.orchestrator.store.Jdbi3;
import com.casarerpa.orchestrator.store.JobClaims;
import com.casarerpa.orchestrator.store.JobReports;
import com.casarerpa.orchestrator.store.PoolSettings;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.jdbi.v3.core.Jdbi;

/**
 * A whole orchestrator (H2 quick start or PostgreSQL) for job API tests: an admin key, a real
 * HTTP client, and the queue's own stores on the same database, so a test can play a robot
 * (claim, fail, complete) the way the robot channel will. {@code queue.max_retries} is
 * {@value #DEFAULT_MAX_RETRIES}, to tell the configured default from the built-in one.
 */
public final class JobApiServer implements AutoCloseable {
    public static final int DEFAULT_MAX_RETRIES = 2;
    private static final Map<String, String> ENV = Map.of("CASARE_QUEUE_MAX_RETRIES", String.valueOf(DEFAULT_MAX_RETRIES),
            "CASARE_ORCHESTRATOR_RATE_LIMIT_BURST", "100000");

    public final RunningOrchestrator server;
    public final Http http;
    public final String adminKey;
    public final Database database;
    public final Jdbi jdbi;
    public final JobClaims claims;
    public final JobReports reports;

    private JobApiServer(RunningOrchestrator server, Path workDir, DatabaseUrl url) {
        this.server = server;
        this.http = server.http();
        this.adminKey = server.orchestrator().bootstrapKey().orElseGet(() -> {
            CliHarness.Result r = CliHarness.orchestrator(server.env(), workDir, "create-api-key", "--name", "Admin Key",
                    "--role", "admin", "--json");
            assertThat(r.exitCode()).as(r.toString()).isZero();
            return json(r.out()).get("key").asText();
        });
        this.database = Database.open(url, PoolSettings.forCommand());
        this.jdbi = Jdbi3.of(database);
        this.claims = new JobClaims(jdbi, database.dialect());
        this.reports = reports(Duration.ZERO);
    }

    public static JobApiServer embedded(Path workDir) {
        RunningOrchestrator server = RunningOrchestrator.embedded(workDir, ENV);
        return new JobApiServer(server, workDir, DatabaseUrl.embedded(Path.of(server.env().get("CASARE_DATA_DIR"))));
    }

    public static JobApiServer postgres(Path workDir) {
        RunningOrchestrator server = RunningOrchestrator.postgres(workDir, ENV);
        return new JobApiServer(server, workDir, DatabaseUrl.parse(server.env().get("DATABASE_URL")));
    }

    /** On {@code database}, with a clock the test moves (the database keeps its own). */
    public static JobApiServer on(TestDatabase database, Path workDir, java.time.Clock clock) {
        if (database.isPostgres()) {
            RunningOrchestrator server = RunningOrchestrator.postgres(workDir, ENV, clock);
            return new JobApiServer(server, workDir, DatabaseUrl.parse(server.env().get("DATABASE_URL")));
        }
        RunningOrchestrator server = RunningOrchestrator.embedded(workDir, ENV, clock);
        return new JobApiServer(server, workDir, DatabaseUrl.embedded(Path.of(server.env().get("CASARE_DATA_DIR"))));
    }

    /** Robot reports whose failures wait {@code retryDelay} before the next attempt. */
    public JobReports reports(Duration retryDelay) {
        return new JobReports(jdbi, database.dialect(), new RetryPolicy(retryDelay, RetryPolicy.DEFAULT_CAP), new Random(7));
    }

    /** A robot with no capabilities in the default environment, taking up to {@code limit} jobs. */
    public List<JobClaims.Claim> claim(String robotId, int limit) {
        return claims.claim(new JobClaims.Claimer(robotId, Set.of(), Optional.of("default"), limit, 300));
    }

    /** Every job gone, so each test sees only its own (workflows stay; tests name theirs uniquely). */
    public void deleteAllJobs() {
        jdbi.useHandle(h -> h.execute("DELETE FROM jobs"));
    }

    public Map<String, String> admin() {
        return Map.of("Authorization", "Bearer " + adminKey);
    }

    public Http.Response post(String path, String body) {
        return http.post(path, body, admin());
    }

    public Http.Response get(String path) {
        return http.get(path, admin());
    }

    /** Deploys a small workflow under {@code name} (again: its next version) and returns its id. */
    public String deploy(String name) {
        Http.Response r = post("/api/v1/workflows", "{\"name\":\"" + name + "\",\"workflow_data\":"
                + Samples.chain(name, "a") + "}");
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json().get("id").asText();
    }

    /** Submits and expects 201; returns the job. */
    public JsonNode submitted(String body) {
        Http.Response r = post("/api/v1/jobs", body);
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json();
    }

    public JsonNode job(String id) {
        Http.Response r = get("/api/v1/jobs/" + id);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json();
    }

    /** The ids of the items of an answer (a page, a batch), in order. */
    public static List<String> ids(Http.Response r) {
        assertThat(r.status()).as(r.body().length() > 500 ? r.body().substring(0, 500) : r.body()).isBetween(200, 201);
        List<String> ids = new java.util.ArrayList<>();
        r.json().get("items").forEach(j -> ids.add(j.get("id").asText()));
        return ids;
    }

    public static JsonNode json(String text) {
        try {
            return Json.mapper().readTree(text);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }

    @Override
    public void close() {
        database.close();
        server.close();
    }
}
