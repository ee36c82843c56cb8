package com.casarerpa.orchestrator.dashboard;

import static com.casarerpa.orchestrator.testing.People.bearer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.casarerpa.common.json.Json;
import com.casarerpa.orchestrator.testing.CliHarness;
import com.casarerpa.orchestrator.testing.DashboardBrowser;
import com.casarerpa.orchestrator.testing.EventStream;
import com.casarerpa.orchestrator.testing.Http;
import com.casarerpa.orchestrator.testing.RunningOrchestrator;
import com.casarerpa.orchestrator.testing.Samples;
import com.casarerpa.orchestrator.testing.TestPostgres;
import com.casarerpa.testkit.TestRobot;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two instances on one PostgreSQL database, the browser signed in on A: what happens on B shows
 * on A's pages without a reload. A job submitted through B and run by a robot connected to B
 * goes pending, running, succeeded on A's jobs page; a robot connected to B appears on A's robots
 * page with B as its instance, and when its connection drops the page says the connection is
 * lost, counting down, until the heartbeat sweep makes it offline; on the robot's own page a
 * reconnect clears it.
 */
@Tag("browser")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CrossInstancePagesTest {
    /** A heartbeat timeout of 15 s (the least for a heartbeat every 5 s), so the sweep's verdict comes soon. */
    static final Map<String, String> ENV = Map.of("CASARE_ROBOTS_HEARTBEAT_TIMEOUT_SECONDS", "15",
            "CASARE_QUEUE_RETRY_DELAY_SECONDS", "0");
    static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    static Path workA;
    @TempDir
    static Path workB;

    String db;
    RunningOrchestrator a;
    RunningOrchestrator b;
    Map<String, String> admin;
    String adminKey;
    String robotKey;
    /** B's instance id, as robots' {@code instance} names it. */
    String instanceB;
    DashboardBrowser ui;

    @BeforeAll
    void start() throws Exception {
        db = TestPostgres.createDatabase();
        a = RunningOrchestrator.postgresOn(workA, db, ENV);
        b = RunningOrchestrator.postgresOn(workB, db, ENV);
        CliHarness.Result created = CliHarness.orchestrator(a.env(), workA, "create-api-key", "--name", "admin", "--role", "admin",
                "--json");
        adminKey = Json.mapper().readTree(created.out()).get("key").asText();
        admin = bearer(adminKey);
        robotKey = b.http().post("/api/v1/api-keys", "{\"name\":\"robots\",\"role\":\"robot\"}", admin).json().get("key").asText();
        Http.Response deployed = b.http().post("/api/v1/workflows", "{\"name\":\"Snippet\",\"workflow_data\":"
                + Samples.text(Samples.SNIPPET) + "}", admin);
        assertThat(deployed.status()).as(deployed.body()).isEqualTo(201);
        // B's id from a change B makes itself: its feed's events name the instance that made them.
        try (EventStream onB = EventStream.open(b.orchestrator().port(), "kinds=job", admin)) {
            String probe = submit("nobody-has-this");
            instanceB = onB.nextChange("job", probe, "pending", WAIT).json().get("instance").asText();
            assertThat(b.http().post("/api/v1/jobs/" + probe + "/cancel", "{}", admin).status()).isEqualTo(200);
        }
        ui = DashboardBrowser.open(a.url()).signInWithKey(adminKey);
    }

    @AfterAll
    void stop() {
        try {
            if (ui != null) {
                ui.close();
            }
        } finally {
            try {
                if (b != null) {
                    b.close();
                }
                if (a != null) {
                    a.close();
                }
            } finally {
                TestPostgres.dropDatabase(db);
            }
        }
    }

    @Test
    @Order(1)
    void a_job_submitted_through_b_goes_pending_running_succeeded_on_a_jobs_page_without_a_reload() {
        ui.go("/jobs");
        ui.waitFor("#main table");
        ui.script("window.__stayed = true");
        String job = submit("cross");
        String state = "tr[data-key='" + job + "'] .badge";
        ui.waitForText(state, "pending");

        try (TestRobot robot = robotOnB("robot-runner", "cross")) {
            JsonNode assign = robot.next("job_assign", WAIT);
            robot.call(TestRobot.report("job_started", assign));
            ui.waitForText(state, "running");
            ObjectNode done = TestRobot.report("job_completed", assign);
            done.putObject("result").put("executed_nodes", 2).put("duration_ms", 5);
            assertThat(robot.call(done).get("job_state").asText()).isEqualTo("succeeded");
            ui.waitForText(state, "succeeded");
            // Gone for good, so that the robots page below counts only its own robot's lost connection.
            assertThat(robot.call(TestRobot.message("goodbye").put("reason", "done")).get("type").asText()).isEqualTo("ack");
        }
        assertThat(ui.script("return window.__stayed === true")).as("no reload").isEqualTo(true);
        ui.assertNoConsoleErrors();
    }

    @Test
    @Order(2)
    void a_robot_connected_to_b_shows_on_a_robots_page_with_b_as_its_instance_then_its_lost_connection_then_offline() {
        ui.go("/robots");
        ui.waitFor("#main table");
        ui.script("window.__stayed = true");
        String row = "tr[data-key='robot-far']";
        TestRobot robot = robotOnB("robot-far", "far");
        ui.waitForText(row, instanceB);
        assertThat(ui.find(row + " .badge").getText()).isEqualTo("online");

        heartbeat(robot);
        robot.abort();
        ui.waitForText(row, "connection lost");
        ui.waitForText(row, "unless it reconnects");
        assertThat(ui.find(row).getText()).as("its instance is gone at once").doesNotContain(instanceB);
        assertThat(ui.find(".page-head").getText()).contains("1 connection lost");
        ui.assertAccessible();
        ui.screenshots("robots-connection-lost");

        // The sweep (of either instance) makes it offline after robots.heartbeat_timeout_seconds.
        await().atMost(Duration.ofSeconds(40)).ignoreExceptions().untilAsserted(() ->
                assertThat(ui.find(row + " .badge").getText()).isEqualTo("offline"));
        assertThat(ui.find(row).getText()).doesNotContain("connection lost").doesNotContain("unless it reconnects");
        assertThat(ui.script("return window.__stayed === true")).as("no reload").isEqualTo(true);
        ui.assertNoConsoleErrors();
    }

    @Test
    @Order(3)
    void a_robots_own_page_on_a_shows_its_lost_connection_and_a_reconnect_to_b_clears_it() {
        TestRobot first = robotOnB("robot-blip", "blip");
        ui.go("/robots/robot-blip");
        ui.waitForText("#main .facts", instanceB);
        ui.script("window.__stayed = true");

        heartbeat(first);
        first.abort();
        ui.waitForText("#main .page-head", "connection lost");
        ui.waitForText("#main .page-head", "unless it reconnects");
        ui.waitForText("#main .facts", "connection lost");
        assertThat(ui.find("#main .facts").getText()).doesNotContain(instanceB);
        String countdown = ui.find("#main .page-head [data-countdown]").getText();
        await().atMost(WAIT).until(() -> !ui.find("#main .page-head [data-countdown]").getText().equals(countdown));
        ui.assertAccessible();
        ui.screenshots("robot-connection-lost");

        try (TestRobot back = robotOnB("robot-blip", "blip")) {
            ui.waitForText("#main .facts", instanceB);
            await().atMost(WAIT).ignoreExceptions().untilAsserted(() -> {
                assertThat(ui.find("#main .page-head .badge").getText()).isEqualTo("online");
                assertThat(ui.find("#main .page-head").getText()).doesNotContain("connection lost");
            });
            assertThat(ui.script("return window.__stayed === true")).as("no reload").isEqualTo(true);
        }
        ui.assertNoConsoleErrors();
    }

    /** A robot connected to B and registered there. */
    private TestRobot robotOnB(String id, String capability) {
        TestRobot robot = TestRobot.connect(b.orchestrator().port(), robotKey);
        ObjectNode fields = Json.mapper().createObjectNode().put("robot_id", id).put("name", id);
        fields.putArray("capabilities").add(capability);
        assertThat(robot.register(fields).get("type").asText()).isEqualTo("registered");
        return robot;
    }

    /** A heartbeat of a robot that holds no job: its heartbeat timeout starts again now. */
    private static void heartbeat(TestRobot robot) {
        ObjectNode beat = TestRobot.message("heartbeat");
        beat.putArray("jobs");
        assertThat(robot.call(beat).get("type").asText()).isEqualTo("ack");
    }

    private String submit(String capability) {
        Http.Response r = b.http().post("/api/v1/jobs", "{\"workflow_name\":\"Snippet\",\"required_capabilities\":[\"" + capability
                + "\"],\"max_retries\":0}", admin);
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json().get("id").asText();
    }
}
