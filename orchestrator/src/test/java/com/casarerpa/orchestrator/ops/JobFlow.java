package com.casarerpa.orchestrator.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.casarerpa.orchestrator.testing.Http;
import com.casarerpa.orchestrator.testing.Samples;
import com.casarerpa.testkit.RobotLog;
import com.casarerpa.testkit.RobotSetup;
import com.casarerpa.testkit.Robots;
import com.casarerpa.testkit.TestRobot;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** What the operations tests do through the REST API: a workflow, a robot key, a job run to the end by a robot. */
final class JobFlow {
    static final Duration WAIT = Duration.ofSeconds(30);

    private final Http http;
    private final Map<String, String> admin;

    JobFlow(Http http, String adminKey) {
        this.http = http;
        this.admin = Map.of("X-API-Key", adminKey);
    }

    Map<String, String> admin() {
        return admin;
    }

    /** Deploys a small workflow named {@code name} and returns its id. */
    String deploy(String name) {
        Http.Response r = http.post("/api/v1/workflows", "{\"name\":\"" + name + "\",\"workflow_data\":"
                + Samples.chain(name, "hello") + "}", admin);
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json().get("id").asText();
    }

    /** A new API key of {@code role}. */
    String key(String role, String name) {
        Http.Response r = http.post("/api/v1/api-keys", "{\"name\":\"" + name + "\",\"role\":\"" + role + "\"}", admin);
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json().get("key").asText();
    }

    /** Connects a robot (a {@link Robots} one, reconnecting) to the instance on {@code port}. */
    void robot(Robots robots, int port, String robotId) {
        robots.start(RobotSetup.resilient(key("robot", robotId), robotId, List.of(TestRobot.uri(port))), new RobotLog());
    }

    String submit(String workflowId) {
        Http.Response r = http.post("/api/v1/jobs", "{\"workflow_id\":\"" + workflowId + "\"}", admin);
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json().get("id").asText();
    }

    void awaitState(String jobId, String state) {
        await(jobId + " " + state).atMost(WAIT).pollInterval(Duration.ofMillis(100))
                .until(() -> http.get("/api/v1/jobs/" + jobId, admin).json().get("state").asText().equals(state));
    }
}
