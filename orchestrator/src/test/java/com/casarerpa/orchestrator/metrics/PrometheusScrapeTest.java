package com.casarerpa.orchestrator.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.casarerpa.common.json.Json;
import com.casarerpa.orchestrator.metrics.MonitoringQueries.Query;
import com.casarerpa.orchestrator.testing.Http;
import com.casarerpa.orchestrator.testing.LocalPrometheus;
import com.casarerpa.orchestrator.testing.RunningOrchestrator;
import com.casarerpa.orchestrator.testing.Samples;
import com.casarerpa.testkit.TestRobot;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Grafana dashboard and the alert rules of docs/monitoring work against a real Prometheus
 * (Debian's) scraping a real orchestrator: every query of the dashboard and every alert
 * expression evaluates without error, every query of the dashboard returns data, the rules
 * load and evaluate healthy, and every series they name is in the catalogue of
 * docs/monitoring.md; promtool accepts the rules and their unit tests (alerts.test.yml: each
 * alert fires when it should, none on a healthy fleet) pass. So a renamed series breaks this test, not a dashboard in production.
 */
class PrometheusScrapeTest {
    /** The panels every operator looks at first: they must show data as soon as anything happened. */
    private static final Set<String> CORE_PANELS = Set.of("Queue depth", "Robots active", "Throughput by outcome",
            "API requests by endpoint");

    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path workDir;

    @TempDir
    Path prometheusDir;

    @Test
    void promtool_accepts_the_alert_rules_and_their_unit_tests_pass() {
        LocalPrometheus.ToolResult check = LocalPrometheus.promtool("check", "rules", MonitoringQueries.ALERTS.toString());
        assertThat(check.exitCode()).as(check.output()).isZero();
        assertThat(check.output()).contains("SUCCESS: " + MonitoringQueries.alertQueries().size() + " rules found");

        LocalPrometheus.ToolResult unitTests = LocalPrometheus.promtool("test", "rules", MonitoringQueries.ALERT_TESTS.toString());
        assertThat(unitTests.exitCode()).as(unitTests.output()).isZero();
        assertThat(unitTests.output()).contains("SUCCESS");
    }

    @Test
    void every_query_names_only_series_of_the_catalogue() {
        Map<String, String> catalogue = MonitoringCatalogue.all();
        List<String> problems = allQueries().stream()
                .flatMap(q -> MonitoringQueries.seriesIn(q.expr()).stream()
                        .flatMap(name -> MonitoringCatalogue.notInCatalogue(name, catalogue).stream())
                        .map(problem -> q.source() + ": " + problem))
                .toList();
        assertThat(problems).isEmpty();

        // the check itself: a renamed series, a _bucket of a gauge and a _sum of a counter are caught
        assertThat(MonitoringCatalogue.notInCatalogue("casare_workflow_total", catalogue)).isPresent();
        assertThat(MonitoringCatalogue.notInCatalogue("casare_jobs_queue_depth_bucket", catalogue)).isPresent();
        assertThat(MonitoringCatalogue.notInCatalogue("casare_dead_letters_total_sum", catalogue)).isPresent();
        assertThat(MonitoringCatalogue.notInCatalogue("hikaricp_connections_acquire_seconds_count", catalogue)).isEmpty();
        assertThat(MonitoringCatalogue.notInCatalogue("hikaricp_connections_idle", catalogue)).isEmpty();
    }

    @Test
    void every_dashboard_query_and_alert_evaluates_against_a_real_scrape() throws Exception {
        LocalPrometheus.requireInstalled();
        try (RunningOrchestrator server = RunningOrchestrator.embedded(workDir, Map.of("CASARE_QUEUE_RETRY_DELAY_SECONDS", "0"));
                LocalPrometheus prometheus = LocalPrometheus.start(prometheusDir, "127.0.0.1:" + server.orchestrator().port(),
                        List.of(MonitoringQueries.ALERTS.toAbsolutePath()))) {
            await("a successful scrape of /metrics (up == 1)").atMost(WAIT).untilAsserted(() ->
                    assertThat(values(prometheus.query("up{job=\"" + LocalPrometheus.JOB + "\"}")))
                            .as("up; the last scrape's error: %s", prometheus.targets().at("/data/activeTargets/0/lastError"))
                            .containsExactly("1"));

            Http http = server.http();
            Map<String, String> admin = Map.of("X-API-Key", server.orchestrator().bootstrapKey().orElseThrow());
            try (TestRobot robot = runJobs(server, http, admin)) {
                assertThat(http.post("/webhooks/wh_0000000000000000", "{}", Map.of()).status()).isEqualTo(404);

                List<Query> dashboard = MonitoringQueries.dashboardQueries(MonitoringQueries.dashboard());
                await("the core panels and the variables return data").atMost(WAIT).untilAsserted(() ->
                        assertThat(empty(prometheus, dashboard.stream()
                                .filter(q -> CORE_PANELS.contains(q.panel()) || q.source().startsWith("variable")).toList()))
                                .isEmpty());
                // docs/monitoring.md: every series exists from the start, at 0, so every query finds some
                await("every target of every panel returns data").atMost(WAIT).untilAsserted(() ->
                        assertThat(empty(prometheus, dashboard)).isEmpty());

                List<String> failed = new ArrayList<>();
                for (Query q : allQueries()) {
                    JsonNode answer = prometheus.query(q.expr());
                    if (!answer.path("status").asText().equals("success")) {
                        failed.add(q + " -> " + answer);
                    }
                }
                assertThat(failed).as("queries Prometheus refused").isEmpty();

                await("every alert rule evaluated, healthy").atMost(WAIT).untilAsserted(() -> {
                    List<JsonNode> rules = new ArrayList<>();
                    prometheus.rules().at("/data/groups").forEach(g -> g.path("rules").forEach(rules::add));
                    assertThat(rules).hasSize(MonitoringQueries.alertQueries().size());
                    assertThat(rules).allSatisfy(r -> assertThat(r.path("health").asText()).as(r.toString()).isEqualTo("ok"));
                });
            }
        }
    }

    /** A robot on the WebSocket that ran a job to success and one through a retry to failure (a dead letter). */
    private static TestRobot runJobs(RunningOrchestrator server, Http http, Map<String, String> admin) {
        String workflow = http.post("/api/v1/workflows", "{\"name\":\"Greeting\",\"workflow_data\":" + Samples.chain("Greeting", "hi")
                + "}", admin).json().get("id").asText();
        String robotKey = http.post("/api/v1/api-keys", "{\"name\":\"r\",\"role\":\"robot\"}", admin).json().get("key").asText();
        TestRobot robot = TestRobot.connect(server.orchestrator().port(), robotKey);
        assertThat(robot.register(Json.mapper().createObjectNode().put("robot_id", "metrics-robot").put("max_concurrent_jobs", 1))
                .get("type").asText()).isEqualTo("registered");

        submit(http, admin, workflow);
        JsonNode first = robot.next("job_assign");
        robot.call(TestRobot.report("job_started", first));
        ObjectNode done = TestRobot.report("job_completed", first);
        done.putObject("result").put("executed_nodes", 3).put("duration_ms", 5);
        assertThat(robot.call(done).get("job_state").asText()).isEqualTo("succeeded");

        submit(http, admin, workflow);
        JsonNode second = robot.next("job_assign");
        robot.call(TestRobot.report("job_started", second));
        ObjectNode flaky = TestRobot.report("job_failed", second);
        flaky.putObject("error").put("type", "HttpRequestError").put("message", "503 from upstream");
        assertThat(robot.call(flaky).get("job_state").asText()).isEqualTo("pending");
        JsonNode retry = robot.next("job_assign");
        robot.call(TestRobot.report("job_started", retry));
        ObjectNode fatal = TestRobot.report("job_failed", retry).put("retryable", false);
        fatal.putObject("error").put("type", "unsupported_node_type").put("message", "ExcelOpenNode is not supported");
        assertThat(robot.call(fatal).get("job_state").asText()).isEqualTo("failed");
        return robot;
    }

    private static void submit(Http http, Map<String, String> admin, String workflow) {
        Http.Response submitted = http.post("/api/v1/jobs", "{\"workflow_id\":\"" + workflow + "\"}", admin);
        assertThat(submitted.status()).as(submitted.body()).isEqualTo(201);
    }

    private static List<Query> allQueries() {
        return Stream.concat(MonitoringQueries.dashboardQueries(MonitoringQueries.dashboard()).stream(),
                MonitoringQueries.alertQueries().stream()).toList();
    }

    /** The queries that return no series (or fail). */
    private static List<String> empty(LocalPrometheus prometheus, List<Query> queries) {
        return queries.stream().filter(q -> values(prometheus.query(q.expr())).isEmpty()).map(Query::toString).toList();
    }

    /** The sample values of an instant query's answer (none when it failed or found nothing). */
    private static List<String> values(JsonNode answer) {
        List<String> out = new ArrayList<>();
        answer.at("/data/result").forEach(r -> out.add(r.at("/value/1").asText()));
        return out;
    }
}
