package com.casarerpa.orchestrator.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.casarerpa.common.json.Json;
import com.casarerpa.orchestrator.api.HttpApi;
import com.casarerpa.orchestrator.testing.BothDatabases;
import com.casarerpa.orchestrator.testing.Http;
import com.casarerpa.orchestrator.testing.Scrape;
import com.casarerpa.orchestrator.testing.TestDatabase;
import com.casarerpa.testkit.TestRobot;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
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
 * A real server on each database, real jobs run by a robot over the WebSocket, a schedule fired
 * and webhooks delivered; then {@code /metrics} read over HTTP: each series moved by exactly
 * what happened. The shared gauges show the queue and the fleet as the database holds them.
 * In order: the counters' test wants no other test's jobs moving at the same time.
 */
@BothDatabases
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MetricsEndpointTest {
    private static final Duration WAIT = Duration.ofSeconds(15);

    @Parameter
    TestDatabase database;
    MetricsServer server;
    Http http;
    Map<String, String> admin;

    @BeforeParameterizedClassInvocation
    void start(TestDatabase database, @TempDir Path workDir) {
        server = new MetricsServer(database, workDir, Map.of("CASARE_QUEUE_RETRY_DELAY_SECONDS", "0",
                "CASARE_ORCHESTRATOR_RATE_LIMIT_BURST", "10000", "CASARE_DATABASE_POOL_SIZE", "4"), Clock.systemUTC());
        http = server.http;
        admin = server.admin;
    }

    @AfterParameterizedClassInvocation
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private Scrape scrape() {
        return server.scrape();
    }

    private TestRobot robot(String id, int slots) {
        return server.robot(Json.mapper().createObjectNode().put("robot_id", id).put("max_concurrent_jobs", slots));
    }

    private String submit(String more) {
        return server.submit(more);
    }

    private void awaitState(String jobId, String state) {
        await().atMost(WAIT).until(() -> http.get("/api/v1/jobs/" + jobId, admin).json().get("state").asText().equals(state));
    }

    /** Takes the next assignment, starts it, completes it. */
    private static void runToSuccess(TestRobot robot) {
        JsonNode assign = robot.next("job_assign", WAIT);
        robot.call(TestRobot.report("job_started", assign));
        ObjectNode done = TestRobot.report("job_completed", assign);
        done.putObject("result").put("executed_nodes", 2).put("duration_ms", 5);
        assertThat(robot.call(done).get("job_state").asText()).isEqualTo("succeeded");
    }

    private static String fail(TestRobot robot) {
        JsonNode assign = robot.next("job_assign", WAIT);
        robot.call(TestRobot.report("job_started", assign));
        ObjectNode failed = TestRobot.report("job_failed", assign);
        failed.putObject("error").put("type", "NodeError").put("message", "boom");
        return robot.call(failed).get("job_state").asText();
    }

    @Test
    @Order(1)
    void jobs_schedules_webhooks_and_requests_move_their_series_by_what_happened() {
        Scrape before = scrape();
        try (TestRobot robot = robot("robot-counted", 1)) {
            String a = submit("");
            runToSuccess(robot);
            awaitState(a, "succeeded");

            String b = submit(",\"max_retries\":1");
            assertThat(fail(robot)).isEqualTo("pending");
            assertThat(fail(robot)).isEqualTo("failed");
            awaitState(b, "failed");

            String c = submit("");
            JsonNode assign = robot.next("job_assign", WAIT);
            robot.call(TestRobot.report("job_started", assign));
            assertThat(http.post("/api/v1/jobs/" + c + "/cancel", "{}", admin).status()).isEqualTo(202);
            robot.next("job_cancel", WAIT);
            robot.call(TestRobot.report("job_cancelled", assign).put("reason", "cancelled"));
            awaitState(c, "cancelled");

            String schedule = http.post("/api/v1/schedules", "{\"name\":\"yearly\",\"workflow_name\":\"Snippet\",\"cron\":\"0 0 1 1 *\"}",
                    admin).json().get("id").asText();
            Http.Response fired = http.post("/api/v1/schedules/" + schedule + "/trigger", "{}", admin);
            assertThat(fired.status()).as(fired.body()).isEqualTo(201);
            runToSuccess(robot);

            JsonNode hook = http.post("/api/v1/webhooks", "{\"name\":\"hook\",\"workflow_name\":\"Snippet\",\"auth_mode\":\"key\"}",
                    admin).json();
            String key = hook.get("secret").asText();
            String url = "/webhooks/" + hook.get("id").asText();
            assertThat(http.post(url, "{}", Map.of("X-Casare-Webhook-Key", key)).status()).isEqualTo(202);
            runToSuccess(robot);
            assertThat(http.post(url, "{}", Map.of("X-Casare-Webhook-Key", key + "x")).status()).isEqualTo(401);
            assertThat(http.post("/webhooks/wh_none", "{}", Map.of("X-Casare-Webhook-Key", key)).status()).isEqualTo(404);
            assertThat(http.get("/no/such/route", admin).status()).isEqualTo(404);
            // Offline at once, so that the last test sees only its own robot online.
            assertThat(robot.call(TestRobot.message("goodbye").put("reason", "shutdown")).get("type").asText()).isEqualTo("ack");
        }

        await().atMost(WAIT).untilAsserted(() -> {
            Scrape after = scrape();
            after.assertMovedSince(before, 5, "casare_jobs_enqueued_total");
            after.assertMovedSince(before, 3, "casare_workflows_total", "status", "success");
            after.assertMovedSince(before, 1, "casare_workflows_total", "status", "failed");
            after.assertMovedSince(before, 1, "casare_workflows_total", "status", "cancelled");
            after.assertMovedSince(before, 0, "casare_workflows_total", "status", "timed_out");
            after.assertMovedSince(before, 1, "casare_job_retries_total");
            after.assertMovedSince(before, 1, "casare_dead_letters_total");
            after.assertMovedSince(before, 3, "casare_job_run_seconds_count", "status", "success");
            after.assertMovedSince(before, 1, "casare_job_run_seconds_count", "status", "failed");
            after.assertMovedSince(before, 1, "casare_job_run_seconds_count", "status", "cancelled");
            after.assertMovedSince(before, 1, "casare_schedule_fires_total", "result", "started");
            after.assertMovedSince(before, 0, "casare_schedule_fires_total", "result", "skipped");
            after.assertMovedSince(before, 1, "casare_webhook_deliveries_total", "result", "accepted");
            after.assertMovedSince(before, 1, "casare_webhook_deliveries_total", "result", "unauthorized");
            after.assertMovedSince(before, 1, "casare_webhook_deliveries_total", "result", "not_found");
            after.assertMovedSince(before, 0, "casare_webhook_deliveries_total", "result", "replayed");
            after.assertMovedSince(before, 3, "casare_api_requests_total", "method", "POST", "endpoint", "/api/v1/jobs", "status", "201");
            after.assertMovedSince(before, 1, "casare_api_requests_total", "method", "POST", "endpoint", "/api/v1/jobs/{id}/cancel",
                    "status", "202");
            after.assertMovedSince(before, 1, "casare_api_requests_total", "method", "GET", "endpoint", "unmatched", "status", "404");
            after.assertMovedSince(before, 3, "casare_http_request_duration_seconds_count", "method", "POST", "endpoint", "/api/v1/jobs");
        });
        Scrape after = scrape();
        // Run times are real: the jobs ran for more than nothing and less than the test.
        assertThat(after.value("casare_job_run_seconds_sum", "status", "success")).isPositive().isLessThan(WAIT.toSeconds());
        Set<String> templates = server.server.orchestrator().endpoints().stream().map(HttpApi.Endpoint::path).collect(Collectors.toSet());
        assertThat(after.find("casare_api_requests_total")).allSatisfy(s ->
                assertThat(s.labels().get("endpoint")).as("a route template, never a path").isIn(union(templates, "unmatched")));
        assertThat(after.find("casare_api_requests_total", "endpoint", "/metrics")).as("scrapes are not counted").isEmpty();
    }

    private static Set<String> union(Set<String> a, String b) {
        return java.util.stream.Stream.concat(a.stream(), java.util.stream.Stream.of(b)).collect(Collectors.toSet());
    }

    @Test
    @Order(2)
    void the_output_passes_promtool_and_has_every_series_of_the_catalogue() throws Exception {
        Scrape s = scrape();
        s.assertPromtoolAccepts();
        MonitoringCatalogue.series().forEach((name, type) -> assertThat(s.types()).as(name + " in the output, of type " + type)
                .containsEntry(name, type));
        assertThat(s.value("casare_instance_info", "database", database.isPostgres() ? "postgresql" : "h2"))
                .isEqualTo(1);
        assertThat(s.find("casare_background_loop_failures_total")).extracting(x -> x.labels().get("loop"))
                .contains("lease-reaper", "scheduler", "dispatcher");
        // NaN until the loop's first pass, a second after the start: this may be sooner.
        await().atMost(WAIT).until(() -> !Double.isNaN(scrape().value("casare_background_loop_last_success_timestamp_seconds",
                "loop", "lease-reaper")));
        assertThat(scrape().value("casare_background_loop_last_success_timestamp_seconds", "loop", "lease-reaper"))
                .isCloseTo(System.currentTimeMillis() / 1000.0, org.assertj.core.data.Offset.offset(30.0));
        Map.of("hikaricp_connections_active", "gauge", "hikaricp_connections_idle", "gauge", "hikaricp_connections_pending", "gauge",
                "hikaricp_connections_max", "gauge", "hikaricp_connections_min", "gauge", "hikaricp_connections_timeout_total", "counter",
                "hikaricp_connections_acquire_seconds", "summary").forEach((name, type) -> assertThat(s.types()).containsEntry(name, type));
        assertThat(s.value("hikaricp_connections_max", "pool", "casare-orchestrator")).isPositive();
        assertThat(s.types()).containsKeys("jvm_memory_used_bytes", "jvm_gc_live_data_size_bytes", "jvm_threads_live_threads",
                "jvm_classes_loaded_classes", "process_cpu_usage", "process_uptime_seconds", "process_files_open_files");
    }

    @Test
    @Order(3)
    void the_shared_gauges_show_the_queue_and_the_fleet_as_the_database_holds_them() {
        try (TestRobot robot = robot("robot-gauged", 3)) {
            String held = submit("");
            assertThat(robot.next("job_assign", WAIT).get("job_id").asText()).isEqualTo(held);
            submit(",\"required_capabilities\":[\"nobody-has-this\"]");
            submit(",\"required_capabilities\":[\"nobody-has-this\"]");

            await().atMost(WAIT).untilAsserted(() -> {
                Scrape s = scrape();
                assertThat(s.value("casare_jobs_queue_depth")).isEqualTo(2);
                assertThat(s.value("casare_jobs", "state", "pending")).isEqualTo(2);
                assertThat(s.value("casare_jobs", "state", "assigned")).isEqualTo(1);
                assertThat(s.value("casare_jobs", "state", "running")).isZero();
                assertThat(s.value("casare_jobs_oldest_pending_age_seconds")).isPositive();
                assertThat(s.value("casare_robots_active")).isEqualTo(1);
                int registered = http.get("/api/v1/robots", admin).json().get("items").size();
                assertThat(s.value("casare_robots", "status", "online") + s.value("casare_robots", "status", "busy")
                        + s.value("casare_robots", "status", "offline")).isEqualTo(registered);
                assertThat(s.value("casare_robot_slots", "state", "used")).isEqualTo(1);
                assertThat(s.value("casare_robot_slots", "state", "free")).isEqualTo(2);
            });
        }
    }
}
