package com.casarerpa.orchestrator.dashboard;

import static com.casarerpa.orchestrator.testing.People.bearer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.casarerpa.common.json.Json;
import com.casarerpa.orchestrator.api.OidcRoutes;
import com.casarerpa.orchestrator.testing.DashboardBrowser;
import com.casarerpa.orchestrator.testing.Http;
import com.casarerpa.orchestrator.testing.LoopbackOidcProvider;
import com.casarerpa.orchestrator.testing.People;
import com.casarerpa.orchestrator.testing.RunningOrchestrator;
import com.casarerpa.orchestrator.testing.Samples;
import com.casarerpa.testkit.TestRobot;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
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
 * The fleet in a real browser: single sign-on through the sign-in page's button, a robot that
 * connects appears on the robots page and the overview without a reload, shows its connection
 * lost when it stops without a goodbye and goes offline after the heartbeat timeout, maintenance from the page keeps jobs off the robot, and the page survives a restart of
 * the server (its feed reconnects and changes show again).
 */
@Tag("browser")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FleetPagesTest {
    @TempDir
    static Path workDir;

    LoopbackOidcProvider provider;
    Map<String, String> env;
    RunningOrchestrator server;
    Http http;
    String adminKey;
    String robotKey;
    DashboardBrowser ui;

    @BeforeAll
    void start() throws IOException {
        provider = LoopbackOidcProvider.start("localhost");
        env = new HashMap<>(provider.env());
        env.putAll(People.FAST_SIGN_IN);
        try (ServerSocket free = new ServerSocket(0)) {
            env.put("ORCHESTRATOR_PORT", String.valueOf(free.getLocalPort())); // the same port after the restart
        }
        server = RunningOrchestrator.embedded(workDir, env);
        provider.registerRedirectUri(server.url() + OidcRoutes.CALLBACK);
        http = server.http();
        adminKey = server.adminKey(workDir);
        robotKey = http.post("/api/v1/api-keys", "{\"name\":\"robots\",\"role\":\"robot\"}", bearer(adminKey)).json().get("key").asText();
        Http.Response deployed = http.post("/api/v1/workflows", "{\"name\":\"Snippet\",\"workflow_data\":"
                + Samples.text(Samples.SNIPPET) + "}", bearer(adminKey));
        assertThat(deployed.status()).as(deployed.body()).isEqualTo(201);
    }

    @AfterAll
    void stop() {
        try {
            if (ui != null) {
                ui.close();
            }
        } finally {
            server.close();
            provider.close();
        }
    }

    @Test
    @Order(1)
    void a_person_signs_in_through_single_sign_on_from_the_sign_in_page() {
        try (DashboardBrowser person = DashboardBrowser.open(server.url())) {
            person.go("/robots");
            person.waitForText("#sso", "Sign in with");
            person.click("#sso");
            // Through the provider (it signs alice in without a page of its own) and back, signed in.
            person.waitFor("#sign-out");
            assertThat(provider.authorizations()).singleElement().satisfies(a -> assertThat(a.challengeMethod()).isEqualTo("S256"));
            assertThat(person.find("header").getText()).contains("Alice");
            assertThat(person.path()).isEqualTo("/robots");
            // A new person holds no role yet: the page says what to do instead of failing.
            person.waitForPageText("hold no role in any folder yet");
            person.assertAccessible();
            person.assertNoConsoleErrors();
        }
    }

    @Test
    @Order(2)
    void a_robot_that_connects_appears_live_and_goes_offline_when_it_stops() {
        ui = DashboardBrowser.open(server.url()).signInWithKey(adminKey);
        ui.go("/robots");
        ui.waitForPageText("No robot has connected yet");
        ui.script("window.__stayed = true");
        try (TestRobot robot = robot("robot-live", "live")) {
            ui.waitForText("#main tbody", "robot-live");
            ui.waitForText("#main tbody", "online");
            ui.assertAccessible();
            ui.screenshots("robots");
            ui.go("/");
            ui.waitForText("#robots-online", "1");
            ui.assertAccessible();
            ui.screenshots("overview");
            ui.go("/robots");
            ui.waitForText("#main tbody", "robot-live");
            ui.script("window.__stayed = true");
        }
        // Closed without a goodbye: its connection is lost at once, and it keeps its status until
        // its heartbeats have been missing for robots.heartbeat_timeout_seconds (30), then offline.
        ui.waitForText("tr[data-key='robot-live']", "connection lost");
        ui.waitForText("tr[data-key='robot-live']", "unless it reconnects");
        await().atMost(Duration.ofSeconds(50)).ignoreExceptions().untilAsserted(() ->
                assertThat(ui.find("tr[data-key='robot-live'] .badge").getText()).isEqualTo("offline"));
        assertThat(ui.script("return window.__stayed === true")).as("no reload").isEqualTo(true);
        ui.assertNoConsoleErrors();
    }

    @Test
    @Order(3)
    void maintenance_from_the_page_keeps_jobs_off_the_robot_until_it_ends() {
        try (TestRobot robot = robot("robot-maint", "maint")) {
            ui.go("/robots/robot-maint");
            ui.waitFor("button[data-action=maintenance]");
            ui.click("button[data-action=maintenance]");
            ui.waitForText("#main .page-head", "maintenance");
            await().atMost(Duration.ofSeconds(10)).until(() ->
                    http.get("/api/v1/robots/robot-maint", bearer(adminKey)).json().path("maintenance").asBoolean());

            String job = submit("maint");
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> state(job).equals("pending"));
            ui.go("/jobs/" + job);
            ui.waitForText("#waiting-reason", "Why it is still waiting");

            ui.go("/robots/robot-maint");
            ui.waitForText("button[data-action=maintenance]", "End maintenance");
            ui.click("button[data-action=maintenance]");
            JsonNode assign = robot.awaitMessage(m -> "job_assign".equals(m.path("type").asText()) && job.equals(m.path("job_id").asText()));
            assertThat(assign.path("job_id").asText()).as("the robot gets the job once maintenance ends").isEqualTo(job);
            ui.assertNoConsoleErrors();
        }
    }

    @Test
    @Order(4)
    void the_page_survives_a_restart_of_the_server_and_its_feed_comes_back() {
        ui.go("/robots");
        ui.waitForText("#live", "Live");
        ui.script("window.__stayed = true");
        server.close();
        await().atMost(Duration.ofSeconds(20)).until(() -> !ui.find("#live").getText().equals("Live"));
        server = RunningOrchestrator.embedded(workDir, env);
        http = server.http();
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> ui.find("#live").getText().equals("Live"));
        try (TestRobot robot = robot("robot-after-restart", "after")) {
            ui.waitForText("#main tbody", "robot-after-restart");
        }
        assertThat(ui.script("return window.__stayed === true")).as("no reload").isEqualTo(true);
    }

    private TestRobot robot(String id, String capability) {
        TestRobot robot = TestRobot.connect(server.orchestrator().port(), robotKey);
        ObjectNode fields = Json.mapper().createObjectNode().put("robot_id", id).put("name", id).put("max_concurrent_jobs", 2);
        fields.putArray("capabilities").add(capability);
        assertThat(robot.register(fields).get("type").asText()).isEqualTo("registered");
        return robot;
    }

    private String submit(String capability) {
        Http.Response r = http.post("/api/v1/jobs", "{\"workflow_name\":\"Snippet\",\"required_capabilities\":[\"" + capability
                + "\"],\"max_retries\":0}", bearer(adminKey));
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json().get("id").asText();
    }

    private String state(String job) {
        return http.get("/api/v1/jobs/" + job, bearer(adminKey)).json().path("state").asText();
    }
}
