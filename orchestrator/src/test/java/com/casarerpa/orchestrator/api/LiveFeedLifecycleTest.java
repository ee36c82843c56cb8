package com.casarerpa.orchestrator.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.casarerpa.common.json.Json;
import com.casarerpa.orchestrator.testing.CliHarness;
import com.casarerpa.orchestrator.testing.EventStream;
import com.casarerpa.orchestrator.testing.Http;
import com.casarerpa.orchestrator.testing.RunningOrchestrator;
import com.casarerpa.orchestrator.testing.Samples;
import com.casarerpa.orchestrator.testing.Scrape;
import com.casarerpa.orchestrator.testing.TestPostgres;
import com.casarerpa.testkit.TestRobot;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The live feed's life: a revoked key ends it, a caller's feeds are bounded, a robot's log
 * batches reach a feed of its job, a stop ends feeds at once, and a change made on another
 * instance reaches a feed (PostgreSQL).
 */
class LiveFeedLifecycleTest {
    static final Duration WAIT = Duration.ofSeconds(10);
    /** Credentials checked again every second; two feeds per caller. */
    static final Map<String, String> ENV = Map.of("CASARE_ROBOTS_KEY_RECHECK_SECONDS", "1",
            "CASARE_ORCHESTRATOR_RATE_LIMIT_FEEDS_PER_CALLER", "2", "CASARE_ORCHESTRATOR_RATE_LIMIT_BURST", "1000");

    @TempDir
    Path workDir;

    static Map<String, String> key(String key) {
        return Map.of("X-API-Key", key);
    }

    @Test
    void a_revoked_key_ends_its_feeds_and_a_caller_over_its_limit_of_feeds_loses_its_oldest() {
        try (RunningOrchestrator server = RunningOrchestrator.embedded(workDir, ENV)) {
            Map<String, String> admin = key(server.adminKey(workDir));
            Http http = server.http();
            JsonNode viewer = http.post("/api/v1/api-keys", "{\"name\":\"watcher\",\"role\":\"viewer\"}", admin).json();
            int port = server.orchestrator().port();
            try (EventStream one = EventStream.open(port, "", key(viewer.get("key").asText()));
                    EventStream two = EventStream.open(port, "kinds=robot", key(viewer.get("key").asText()));
                    EventStream three = EventStream.open(port, "", key(viewer.get("key").asText()));
                    EventStream others = EventStream.open(port, "", admin)) {
                assertThat(one.status()).isEqualTo(200);
                assertThat(two.status()).isEqualTo(200);
                assertThat(three.status()).as("one more feed than the limit opens").isEqualTo(200);
                assertThat(one.endsWithin(WAIT)).as("and ends the caller's oldest").isTrue();
                assertThat(one.received()).anyMatch(e -> e.event().equals("end") && e.data().contains("replaced"));
                assertThat(others.status()).as("the limit is per caller").isEqualTo(200);
                await().atMost(WAIT).until(() -> feedsOpen(http) == 3);

                assertThat(http.delete("/api/v1/api-keys/" + viewer.get("id").asText(), admin).status()).isEqualTo(200);
                assertThat(two.endsWithin(WAIT)).isTrue();
                assertThat(three.endsWithin(WAIT)).isTrue();
                assertThat(two.received()).anyMatch(e -> e.event().equals("end") && e.data().contains("credentials"));
                assertThat(others.endsWithin(Duration.ofSeconds(2))).as("the admin's feed goes on").isFalse();
                await().atMost(WAIT).until(() -> feedsOpen(http) == 1);
            }
            EventStream again = EventStream.open(port, "", key(viewer.get("key").asText()));
            assertThat(again.status()).isEqualTo(401);
        }
    }

    /** {@code casare_live_feeds} as {@code /metrics} has it now. */
    private static double feedsOpen(Http http) {
        return Scrape.of(http.get("/metrics").body()).value("casare_live_feeds");
    }

    @Test
    void a_robots_log_batches_reach_a_feed_of_its_job_and_the_lines_are_read_after_its_seq() throws Exception {
        try (RunningOrchestrator server = RunningOrchestrator.embedded(workDir, ENV)) {
            Map<String, String> admin = key(server.adminKey(workDir));
            Http http = server.http();
            String robotKey = http.post("/api/v1/api-keys", "{\"name\":\"r\",\"role\":\"robot\"}", admin).json().get("key").asText();
            assertThat(http.post("/api/v1/workflows", "{\"name\":\"Snippet\",\"workflow_data\":"
                    + Samples.text("snippet-two-set-variables.json") + "}", admin).status()).isEqualTo(201);
            try (TestRobot robot = TestRobot.connect(server.orchestrator().port(), robotKey)) {
                ObjectNode fields = Json.mapper().createObjectNode().put("robot_id", "robot-logs");
                assertThat(robot.register(fields).get("type").asText()).isEqualTo("registered");
                String jobId = http.post("/api/v1/jobs", "{\"workflow_name\":\"Snippet\"}", admin).json().get("id").asText();
                JsonNode assign = robot.next("job_assign", Duration.ofSeconds(5));
                try (EventStream f = EventStream.open(server.orchestrator().port(), "job=" + jobId, admin)) {
                    assertThat(f.status()).isEqualTo(200);
                    robot.call(TestRobot.report("job_started", assign));
                    f.nextChange("job", jobId, "running", WAIT);
                    robot.call(logBatch(assign, 1, 3));
                    EventStream.Event first = f.next(e -> e.event().equals("log"), WAIT);
                    assertThat(first.json().get("job_id").asText()).isEqualTo(jobId);
                    long seq = first.json().get("seq").asLong();
                    JsonNode lines = http.get("/api/v1/jobs/" + jobId + "/logs?after_seq=0", admin).json().get("items");
                    assertThat(lines).hasSize(3);
                    assertThat(lines.get(2).get("id").asLong()).isEqualTo(seq);

                    robot.call(logBatch(assign, 4, 5));
                    EventStream.Event second = f.next(e -> e.event().equals("log"), WAIT);
                    assertThat(second.json().get("seq").asLong()).isGreaterThan(seq);
                    JsonNode newer = http.get("/api/v1/jobs/" + jobId + "/logs?after_seq=" + seq, admin).json().get("items");
                    assertThat(newer).extracting(l -> l.get("message").asText()).containsExactly("line 4", "line 5");
                    assertThat(http.get("/api/v1/jobs/" + jobId + "/logs?after_seq=-1", admin).status()).isEqualTo(400);
                }
            }
        }
    }

    private static ObjectNode logBatch(JsonNode assign, int from, int to) {
        ObjectNode batch = TestRobot.report("log_batch", assign);
        ArrayNode entries = batch.putArray("entries");
        for (int i = from; i <= to; i++) {
            entries.addObject().put("seq", i).put("timestamp", Instant.now().toString()).put("level", "info")
                    .put("message", "line " + i);
        }
        return batch;
    }

    @Test
    void a_stopping_instance_ends_its_feeds_at_once_instead_of_waiting_out_the_grace_period() {
        RunningOrchestrator server = RunningOrchestrator.embedded(workDir, ENV);
        EventStream f;
        try {
            f = EventStream.open(server.orchestrator().port(), "", key(server.adminKey(workDir)));
            assertThat(f.status()).isEqualTo(200);
        } finally {
            long start = System.nanoTime();
            server.close();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        }
        assertThat(f.endsWithin(Duration.ofSeconds(2))).isTrue();
    }

    @TempDir
    Path workB;

    @Test
    void a_change_made_on_another_instance_reaches_a_feed_here() throws Exception {
        String db = TestPostgres.createDatabase();
        try (RunningOrchestrator a = RunningOrchestrator.postgresOn(workDir, db, ENV);
                RunningOrchestrator b = RunningOrchestrator.postgresOn(workB, db, ENV)) {
            CliHarness.Result created = CliHarness.orchestrator(a.env(), workDir, "create-api-key", "--name", "admin",
                    "--role", "admin", "--json");
            Map<String, String> admin = key(Json.mapper().readTree(created.out()).get("key").asText());
            assertThat(b.http().post("/api/v1/workflows", "{\"name\":\"Snippet\",\"workflow_data\":"
                    + Samples.text("snippet-two-set-variables.json") + "}", admin).status()).isEqualTo(201);
            try (EventStream onA = EventStream.open(a.orchestrator().port(), "", admin)) {
                assertThat(onA.status()).isEqualTo(200);
                String jobId = b.http().post("/api/v1/jobs", "{\"workflow_name\":\"Snippet\"}", admin).json().get("id").asText();
                JsonNode seen = onA.nextChange("job", jobId, "pending", WAIT).json();
                assertThat(seen.get("remote").asBoolean()).isTrue();
                assertThat(seen.get("folder_id").asText()).as("carried across").isEqualTo("root");
                assertThat(seen.get("instance").asText()).isNotEqualTo(onA.received().getFirst().id().replaceAll("\\.\\d+$", ""));
                assertThat(b.http().post("/api/v1/jobs/" + jobId + "/cancel", "{}", admin).status()).isEqualTo(200);
                assertThat(onA.nextChange("job", jobId, "cancelled", WAIT).json().get("folder_id").asText())
                        .as("found by the feed").isEqualTo("root");
            }
        } finally {
            TestPostgres.dropDatabase(db);
        }
    }
}
