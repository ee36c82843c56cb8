package com.casarerpa.orchestrator.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.casarerpa.orchestrator.testing.Http;
import com.casarerpa.orchestrator.testing.RunningOrchestrator;
import com.casarerpa.orchestrator.testing.Samples;
import com.casarerpa.orchestrator.testing.Scrape;
import com.casarerpa.orchestrator.testing.TestDatabase;
import com.casarerpa.testkit.TestRobot;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

/**
 * A real server for the metrics tests, on either database: an admin key, a robot key, the
 * {@code Snippet} workflow deployed; {@code /metrics} read over HTTP as Prometheus reads it.
 */
final class MetricsServer implements AutoCloseable {
    final RunningOrchestrator server;
    final Http http;
    final Map<String, String> admin;
    final String robotKey;

    MetricsServer(TestDatabase database, Path workDir, Map<String, String> env, Clock clock) {
        server = database.isPostgres() ? RunningOrchestrator.postgres(workDir, env, clock)
                : RunningOrchestrator.embedded(workDir, env, clock);
        http = server.http();
        admin = Map.of("X-API-Key", server.adminKey(workDir));
        robotKey = http.post("/api/v1/api-keys", "{\"name\":\"robot\",\"role\":\"robot\"}", admin).json().get("key").asText();
        Http.Response deployed = http.post("/api/v1/workflows", "{\"name\":\"Snippet\",\"workflow_data\":"
                + Samples.text("snippet-two-set-variables.json") + "}", admin);
        assertThat(deployed.status()).as(deployed.body()).isEqualTo(201);
    }

    Scrape scrape() {
        Http.Response r = http.get("/metrics");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.header("Content-Type")).isEqualTo(Metrics.CONTENT_TYPE);
        return Scrape.of(r.body());
    }

    /** A robot connected with the robot key and registered with these fields. */
    TestRobot robot(ObjectNode fields) {
        TestRobot robot = TestRobot.connect(server.orchestrator().port(), robotKey);
        assertThat(robot.register(fields).get("type").asText()).isEqualTo("registered");
        return robot;
    }

    /** Submits a job of {@code Snippet}, with more fields ({@code ,"max_retries":1}); returns its id. */
    String submit(String more) {
        Http.Response r = http.post("/api/v1/jobs", "{\"workflow_name\":\"Snippet\"" + more + "}", admin);
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json().get("id").asText();
    }

    @Override
    public void close() {
        server.close();
    }
}
