package com.casarerpa.orchestrator.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import com.casarerpa.common.json.Json;
import com.casarerpa.orchestrator.testing.BothDatabases;
import com.casarerpa.orchestrator.testing.Http;
import com.casarerpa.orchestrator.testing.Scrape;
import com.casarerpa.orchestrator.testing.ShiftedClock;
import com.casarerpa.orchestrator.testing.TestDatabase;
import com.casarerpa.testkit.TestRobot;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;

/**
 * The series moved by robots and the scheduler, on a real server on each database: a schedule's
 * fire and its lag, a WebSocket robot's connection, messages and dispatch latency, the message
 * rate limit, a REST robot's claim, leases that expire (a REST lease left to run out, a
 * WebSocket robot that stops heartbeating) and reports under those dead leases on both
 * transports. Each test's jobs need a capability only its own robot has, so no test's robot takes
 * another's work; in order, so each sees only its own robots connected.
 */
@BothDatabases
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RobotAndScheduleSeriesTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @Parameter
    TestDatabase database;
    ShiftedClock clock;
    MetricsServer server;
    Map<String, String> robotKey;

    @BeforeParameterizedClassInvocation
    void start(TestDatabase database, @TempDir Path workDir) {
        // Robots silent for 3 s are given up; 2 messages a second per connection, 10 at once.
        clock = new ShiftedClock();
        server = new MetricsServer(database, workDir, Map.of("CASARE_QUEUE_RETRY_DELAY_SECONDS", "0",
                "CASARE_ORCHESTRATOR_RATE_LIMIT_BURST", "10000", "CASARE_ROBOTS_HEARTBEAT_INTERVAL_SECONDS", "1",
                "CASARE_ROBOTS_HEARTBEAT_TIMEOUT_SECONDS", "3", "CASARE_ROBOTS_RATE_LIMIT_MESSAGES_PER_SECOND", "2",
                "CASARE_ROBOTS_RATE_LIMIT_BURST", "10"), clock);
        robotKey = Map.of("X-API-Key", server.robotKey);
    }

    @AfterParameterizedClassInvocation
    void stop() {
        server.close();
    }

    private Scrape scrape() {
        return server.scrape();
    }

    private static double moved(Scrape before, Scrape after, String name, String... labels) {
        return after.value(name, labels) - before.value(name, labels);
    }

    /**
     * One job handed to a robot over {@code transport}, with a latency of more than nothing and
     * less than {@code within} seconds (the test's own measure from before its submit).
     */
    private static final double CLAIM_OVERLAP_SECONDS = 0.5;

    private static void assertOneDispatch(Scrape before, Scrape after, String transport, double within) {
        after.assertMovedSince(before, 1, "casare_dispatch_latency_seconds_count", "transport", transport);
        // The server adds the time since it called the claim to the wait the database measured up to the claim's
        // transaction start, so the stretch between the two (a pooled connection taken, BEGIN) counts twice: on a
        // busy machine up to a few hundred ms (seen in CI). A latency off by more than that is a fault.
        assertThat(moved(before, after, "casare_dispatch_latency_seconds_sum", "transport", transport)).isPositive()
                .isLessThan(within + CLAIM_OVERLAP_SECONDS);
    }

    private TestRobot robot(String id, String capability) {
        ObjectNode fields = Json.mapper().createObjectNode().put("robot_id", id).put("max_concurrent_jobs", 1);
        fields.putArray("capabilities").add(capability);
        return server.robot(fields);
    }

    /** A job only a robot with {@code capability} takes. */
    private String submit(String capability) {
        return server.submit(",\"max_retries\":3,\"required_capabilities\":[\"" + capability + "\"]");
    }

    private String state(String jobId) {
        return server.http.get("/api/v1/jobs/" + jobId, server.admin).json().get("state").asText();
    }

    private static void runToSuccess(TestRobot robot, JsonNode assign) {
        assertThat(robot.call(TestRobot.report("job_started", assign)).get("type").asText()).isEqualTo("ack");
        ObjectNode done = TestRobot.report("job_completed", assign);
        done.putObject("result").put("executed_nodes", 2).put("duration_ms", 5);
        assertThat(robot.call(done).get("job_state").asText()).isEqualTo("succeeded");
    }

    private static void goodbye(TestRobot robot) {
        assertThat(robot.call(TestRobot.message("goodbye").put("reason", "shutdown")).get("type").asText()).isEqualTo("ack");
        robot.close();
    }

    @Test
    @Order(1)
    void a_scheduled_fire_records_its_lag() {
        Scrape before = scrape();
        clock.boundaryIn(Duration.ofMillis(1200));
        Http.Response created = server.http.post("/api/v1/schedules", "{\"name\":\"minutely\",\"workflow_name\":\"Snippet\",\"cron\":\"* * * * *\","
                + "\"job\":{\"required_capabilities\":[\"nobody-has-this\"]}}", server.admin);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String history = "/api/v1/schedules/" + created.json().get("id").asText() + "/history";
        await().atMost(WAIT).until(() -> server.http.get(history, server.admin).json().get("items").size() == 1);
        assertThat(server.http.post("/api/v1/schedules/minutely/disable", "{}", server.admin).status()).isEqualTo(200);
        JsonNode fire = server.http.get(history, server.admin).json().at("/items/0");
        assertThat(fire.get("outcome").asText()).isEqualTo("started");

        Scrape after = scrape();
        after.assertMovedSince(before, 1, "casare_schedule_lag_seconds_count");
        assertThat(moved(before, after, "casare_schedule_lag_seconds_sum")).as("the lag the history shows")
                .isCloseTo(fire.get("lag_ms").asLong() / 1000.0, within(1e-9));
        after.assertMovedSince(before, 0, "casare_schedule_duplicate_fires_total");
    }

    @Test
    @Order(2)
    void a_websocket_robot_moves_connections_messages_and_dispatch_latency() {
        await().atMost(WAIT).until(() -> scrape().value("casare_websocket_connections") == 0);
        Scrape before = scrape();
        try (TestRobot robot = robot("robot-ws", "ws")) {
            assertThat(scrape().value("casare_websocket_connections")).isEqualTo(1);
            long start = System.nanoTime();
            submit("ws");
            JsonNode assign = robot.next("job_assign", WAIT);
            double took = (System.nanoTime() - start) / 1e9;
            runToSuccess(robot, assign);
            robot.sendRaw("not json");
            assertThat(robot.next("error", WAIT).get("code").asText()).isEqualTo("invalid_request");
            assertThat(robot.call(TestRobot.message("no_such_type")).get("code").asText()).isEqualTo("unknown_type");
            goodbye(robot);

            Scrape after = scrape();
            assertOneDispatch(before, after, "websocket", took);
            after.assertMovedSince(before, 0, "casare_dispatch_latency_seconds_count", "transport", "rest");
        }
        await().atMost(WAIT).untilAsserted(() -> {
            Scrape after = scrape();
            assertThat(after.value("casare_websocket_connections")).isZero();
            Map.of("register", 1, "job_started", 1, "job_completed", 1, "goodbye", 1, "invalid", 2, "heartbeat", 0)
                    .forEach((type, n) -> after.assertMovedSince(before, n, "casare_websocket_messages_total", "direction", "in",
                            "type", type));
            Map.of("registered", 1, "job_assign", 1, "ack", 3, "error", 2, "job_cancel", 0)
                    .forEach((type, n) -> after.assertMovedSince(before, n, "casare_websocket_messages_total", "direction", "out",
                            "type", type));
            after.assertMovedSince(before, 0, "casare_stale_reports_total", "transport", "websocket");
        });
    }

    @Test
    @Order(3)
    void messages_over_a_connections_rate_are_refused_and_counted() {
        Scrape before = scrape();
        try (TestRobot robot = robot("robot-chatty", "chatty")) {
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                ObjectNode beat = TestRobot.message("heartbeat");
                beat.putArray("jobs");
                ids.add(robot.request(beat));
            }
            long refused = ids.stream().map(id -> robot.awaitMessage(m -> id.equals(m.path("reply_to").asText(null))))
                    .filter(m -> "rate_limited".equals(m.path("code").asText())).count();
            assertThat(refused).as("a burst of 10 (register took one), then 2 a second").isPositive();
            Scrape after = scrape();
            after.assertMovedSince(before, refused, "casare_rate_limited_total", "scope", "robot_messages");
            after.assertMovedSince(before, 20, "casare_websocket_messages_total", "direction", "in", "type", "heartbeat");
            after.assertMovedSince(before, 0, "casare_rate_limited_total", "scope", "api");
        }
    }

    @Test
    @Order(4)
    void expired_leases_and_reports_under_them_on_both_transports() {
        Scrape before = scrape();
        // A REST robot claims a job with a 1 s lease and never renews it.
        Http.Response registered = server.http.post("/api/v1/robots/register", "{\"robot_id\":\"robot-rest\",\"name\":\"REST\","
                + "\"capabilities\":[\"rest\"],\"max_concurrent_jobs\":1}", robotKey);
        assertThat(registered.status()).as(registered.body()).isEqualTo(200);
        long start = System.nanoTime();
        String restJob = submit("rest");
        Http.Response claimed = server.http.post("/api/v1/jobs/claim", "{\"robot_id\":\"robot-rest\",\"visibility_timeout_seconds\":1}",
                robotKey);
        double took = (System.nanoTime() - start) / 1e9;
        assertThat(claimed.json().get("job_id").asText()).as(claimed.body()).isEqualTo(restJob);
        await().atMost(WAIT).until(() -> state(restJob).equals("pending"));
        Http.Response late = server.http.post("/api/v1/jobs/" + restJob + "/complete", "{\"robot_id\":\"robot-rest\",\"result\":{}}", robotKey);
        assertThat(late.status()).as(late.body()).isEqualTo(409);
        assertThat(late.json().at("/error/code").asText()).isEqualTo("stale_lease");

        // A WebSocket robot starts its job and falls silent: given up after 3 s, its lease ends.
        String wsJob = submit("silent");
        JsonNode first;
        try (TestRobot silent = robot("robot-silent", "silent")) {
            first = silent.next("job_assign", WAIT);
            assertThat(silent.call(TestRobot.report("job_started", first)).get("job_state").asText()).isEqualTo("running");
            assertThat(silent.closeCode(WAIT)).isEqualTo(4008);
        }
        await().atMost(WAIT).until(() -> state(wsJob).equals("pending"));
        // Back again, it reports the attempt whose lease expired, then runs the job it is given anew.
        try (TestRobot back = robot("robot-silent", "silent")) {
            ObjectNode done = TestRobot.report("job_completed", first);
            done.putObject("result").put("executed_nodes", 2).put("duration_ms", 5);
            JsonNode refused = back.call(done);
            assertThat(refused.get("code").asText()).as(refused.toString()).isEqualTo("stale_lease");
            assertThat(refused.at("/details/reason").asText()).isEqualTo("expired");
            runToSuccess(back, back.next("job_assign", WAIT));
            goodbye(back);
        }

        Scrape after = scrape();
        assertOneDispatch(before, after, "rest", took);
        after.assertMovedSince(before, 2, "casare_dispatch_latency_seconds_count", "transport", "websocket");
        after.assertMovedSince(before, 2, "casare_lease_expiries_total");
        after.assertMovedSince(before, 2, "casare_job_retries_total");
        after.assertMovedSince(before, 1, "casare_stale_reports_total", "transport", "rest");
        after.assertMovedSince(before, 1, "casare_stale_reports_total", "transport", "websocket");
    }
}
