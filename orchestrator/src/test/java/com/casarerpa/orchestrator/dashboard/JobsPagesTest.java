package com.casarerpa.orchestrator.dashboard;

import static com.casarerpa.orchestrator.testing.DashboardBrowser.eventually;
import static com.casarerpa.orchestrator.testing.People.bearer;
import static org.assertj.core.api.Assertions.assertThat;

import com.casarerpa.common.json.Json;
import com.casarerpa.orchestrator.testing.DashboardBrowser;
import com.casarerpa.orchestrator.testing.Http;
import com.casarerpa.orchestrator.testing.People;
import com.casarerpa.orchestrator.testing.RunningOrchestrator;
import com.casarerpa.orchestrator.testing.Samples;
import com.casarerpa.testkit.TestRobot;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job pages in a real browser, with jobs run by a WebSocket robot of the test: a job's page
 * following it live (pending, running with its logs, succeeded) without a reload; cancel and
 * retry from its page; retry of dead letters; the filtered list, its search and its CSV; a bulk
 * retry of a filter after its dry run; failures grouped by signature; stuck jobs; bulk actions;
 * what a viewer is shown and refused. Each robot offers a capability of its own test and each job
 * asks for it, so that no test's robot takes another test's jobs.
 */
@Tag("browser")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JobsPagesTest {
    @TempDir
    static Path workDir;

    RunningOrchestrator server;
    Http http;
    String adminKey;
    Map<String, String> admin;
    String robotKey;
    DashboardBrowser ui;
    final Map<String, Long> timeToShow = new LinkedHashMap<>();
    /** The robots' heartbeats, every 5 s as the server asks, while the tests wait on the browser. */
    final ScheduledExecutorService heartbeats = Executors.newSingleThreadScheduledExecutor();

    @BeforeAll
    void start() {
        server = RunningOrchestrator.embedded(workDir, People.FAST_SIGN_IN);
        http = server.http();
        adminKey = server.adminKey(workDir);
        admin = bearer(adminKey);
        robotKey = http.post("/api/v1/api-keys", "{\"name\":\"robots\",\"role\":\"robot\"}", admin).json().get("key").asText();
        for (String name : List.of("Snippet", "Invoices")) {
            Http.Response deployed = http.post("/api/v1/workflows", "{\"name\":\"" + name + "\",\"workflow_data\":"
                    + Samples.text(Samples.SNIPPET) + "}", admin);
            assertThat(deployed.status()).as(deployed.body()).isEqualTo(201);
        }
        ui = DashboardBrowser.open(server.url()).signInWithKey(adminKey);
    }

    @AfterAll
    void stop() {
        try {
            timeToShow.forEach((page, ms) -> System.out.println("dashboard time to show " + page + ": " + ms + " ms"));
            heartbeats.shutdownNow();
            if (ui != null) {
                ui.close();
            }
        } finally {
            server.close();
        }
    }

    @Test
    void a_job_goes_pending_running_succeeded_on_its_page_with_its_logs_streaming_and_no_reload() {
        String id = submit("live", "{\"customer\":\"acme\",\"password\":\"hunter2\"}", "[\"live\"]");
        timeToShow.put("/jobs/{id}", ui.timeToShow("/jobs/" + id, "#job-state .badge"));
        ui.waitForText("#job-state", "pending");
        ui.waitForText("#waiting-reason", "Why it is still waiting");
        assertThat(ui.find("#job-variables").getText()).contains("acme").contains("hidden").doesNotContain("hunter2");
        ui.script("window.__stayed = true");

        try (TestRobot robot = robot("live")) {
            JsonNode assign = started(robot, id);
            ui.waitForText("#job-state", "running");
            assertThat(ui.present("#waiting-reason")).isFalse();

            robot.call(logs(assign, 1, "opened the invoice portal"));
            ui.waitForText("#job-logs", "opened the invoice portal");
            robot.call(logs(assign, 2, "downloaded 3 invoices"));
            ui.waitForText("#job-logs", "downloaded 3 invoices");
            ui.screenshots("job-running");

            ObjectNode done = TestRobot.report("job_completed", assign);
            done.putObject("result").put("executed_nodes", 2).put("duration_ms", 5);
            robot.call(done);
            ui.waitForText("#job-state", "succeeded");
        }
        assertThat(ui.script("return window.__stayed === true")).as("the page was never reloaded").isEqualTo(true);
        ui.waitForText("#job-attempts", "Attempt 1");
        assertThat(ui.find("#job-attempts").getText()).contains("succeeded").contains("robot-live");
        assertThat(ui.find("#job-logs").getText()).containsSubsequence("opened the invoice portal", "downloaded 3 invoices");
        timeToShow.put("/jobs/{id} again", ui.timeToShow("/jobs/" + id, "#job-state .badge"));
        ui.waitForText("#job-logs", "downloaded 3 invoices");
        ui.screenshots("job");
        ui.assertAccessible();
        ui.assertNoConsoleErrors();
    }

    @Test
    void a_running_job_is_cancelled_from_its_page_after_a_confirmation() {
        String id = submit("cancel", "{}", "[]");
        try (TestRobot robot = robot("cancel")) {
            JsonNode assign = started(robot, id);
            ui.go("/jobs/" + id);
            ui.waitForText("#job-state", "running");
            ui.click("#job-cancel");
            ui.waitFor("dialog");
            ui.assertAccessible();
            ui.clickText("dialog", "Cancel the job");
            stops(robot, assign);
            ui.waitForText("#job-state", "cancelled");
        }
        assertThat(job(id).get("state").asText()).isEqualTo("cancelled");
        assertThat(ui.present("#job-cancel")).as("nothing to cancel any more").isFalse();
        ui.assertNoConsoleErrors();
    }

    @Test
    void a_dead_letter_is_retried_from_its_page_and_the_rest_by_retry_dead_letters() {
        List<String> failed = new ArrayList<>();
        try (TestRobot robot = robot("dead")) {
            for (int i = 0; i < 3; i++) {
                String id = submit("dead", "{}", "[\"dead\"]");
                fail(robot, started(robot, id), "PortalError", "portal down");
                failed.add(id);
            }
        }
        eventually(() -> failed.stream().allMatch(id -> job(id).get("state").asText().equals("failed")));

        ui.go("/jobs/" + failed.get(0));
        ui.waitForText("#job-state", "failed");
        ui.waitForText("#job-error", "portal down");
        ui.click("#job-retry");
        ui.waitForText("#job-state", "pending");
        assertThat(job(failed.get(0)).get("state").asText()).isEqualTo("pending");

        ui.go("/jobs?state=failed");
        ui.waitFor("tr[data-key='" + failed.get(1) + "']");
        ui.click("#retry-dead-letters");
        ui.waitFor("dialog");
        ui.clickText("dialog", "Retry failed jobs");
        eventually(() -> failed.stream().allMatch(id -> job(id).get("state").asText().equals("pending")));
        eventually(() -> failed.stream().noneMatch(id -> ui.present("tr[data-key='" + id + "']")));
        cancelAll(failed);
        ui.assertNoConsoleErrors();
    }

    /** Needs the server-side search and the CSV export (branch h14-jobsearch). */
    @Test
    void the_list_is_filtered_and_searched_on_the_server_keeps_its_filter_in_the_url_and_exports_it() {
        List<String> mine = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            mine.add(submit("list", "{\"customer\":\"zephyr-4" + i + "\"}", "[\"quarterly\"]"));
        }
        String other = submit("list", "{\"customer\":\"acme\"}", "[]");
        timeToShow.put("/jobs", ui.timeToShow("/jobs", "tr[data-key]"));
        ui.type("#jobs-q", "zephyr");
        ui.click("form[role=search] button[type=submit]");
        eventually(() -> ui.path().contains("q=zephyr"));
        eventually(() -> ui.all("tbody tr[data-key]").size() == 3);
        assertThat(ui.present("tr[data-key='" + other + "']")).isFalse();

        ui.click("input[name=state][value=pending]");
        eventually(() -> ui.path().contains("state=pending"));
        String csv = ui.find("a[download]").getAttribute("href");
        assertThat(csv).contains("format=csv").contains("q=zephyr").contains("state=pending");

        ui.go(ui.path());
        ui.waitFor("tr[data-key]");
        assertThat(ui.find("#jobs-q").getAttribute("value")).as("the link keeps the filter").isEqualTo("zephyr");
        assertThat(ui.find("input[name=state][value=pending]").isSelected()).isTrue();
        eventually(() -> ui.all("tbody tr[data-key]").size() == 3);

        Http.Response exported = http.get(csv.substring(csv.indexOf("/api/")), Map.of("Authorization", "Bearer " + adminKey));
        assertThat(exported.status()).as(exported.body()).isEqualTo(200);
        assertThat(exported.body().lines().skip(1).toList()).hasSize(3).allMatch(l -> mine.stream().anyMatch(l::contains));

        ui.go("/jobs?q=no-such-thing-anywhere");
        ui.waitForPageText("No job matches this filter.");
        ui.screenshots("jobs-empty-filter");
        ui.go("/jobs?tag=quarterly");
        eventually(() -> ui.all("tbody tr[data-key]").size() == 3);
        String fresh = submit("list", "{}", "[\"quarterly\"]");
        mine.add(fresh);
        ui.waitFor("tr[data-key='" + fresh + "']");
        assertThat(ui.find("tbody tr[data-key]").getAttribute("data-key")).as("a new job comes in at the top of the first page")
                .isEqualTo(fresh);
        ui.screenshots("jobs");
        ui.assertAccessible();
        ui.assertNoConsoleErrors();
        cancelAll(mine);
        cancelAll(List.of(other));
    }

    /** Needs bulk actions (branch h14-jobsearch). */
    @Test
    void a_bulk_retry_of_a_filter_says_how_many_jobs_it_touches_then_runs_as_a_batch_with_progress() {
        List<String> failed = new ArrayList<>();
        try (TestRobot robot = robot("bulk")) {
            for (int i = 0; i < 3; i++) {
                String id = submit("bulk", "{}", "[\"bulk-me\"]");
                fail(robot, started(robot, id), "ExcelError", "sheet " + i + " is locked");
                failed.add(id);
            }
        }
        eventually(() -> failed.stream().allMatch(id -> job(id).get("state").asText().equals("failed")));
        ui.go("/jobs?state=failed&tag=bulk-me");
        eventually(() -> ui.all("tbody tr[data-key]").size() == 3);
        ui.click("#bulk-retry");
        ui.waitFor("dialog #bulk-count");
        assertThat(ui.find("#bulk-count").getText()).isEqualTo("3");
        ui.screenshots("jobs-bulk-dry-run");
        ui.clickText("dialog", "Retry 3");
        ui.waitForText(".batch-progress", "3 of 3 handled");
        assertThat(ui.find(".batch-progress").getText()).contains("3 retried");
        eventually(() -> failed.stream().allMatch(id -> job(id).get("state").asText().equals("pending")));

        timeToShow.put("/batches", ui.timeToShow("/batches", "tr[data-key]"));
        ui.waitForText("#main table", "retry");
        assertThat(ui.find("#main table").getText()).contains("tag: bulk-me").contains("succeeded");
        ui.screenshots("batches");
        ui.assertAccessible();
        ui.assertNoConsoleErrors();
        cancelAll(failed);
    }

    /** Needs failure groups and bulk actions (branch h14-jobsearch). */
    @Test
    void the_failures_page_groups_two_failures_that_differ_only_by_a_number_and_retries_the_group() {
        List<String> failed = new ArrayList<>();
        try (TestRobot robot = robot("groups")) {
            for (int ms : new int[] {1500, 3000}) {
                String id = submit("groups", "{}", "[]");
                fail(robot, started(robot, id), "HttpTimeout", "no answer from the bank after " + ms + " ms");
                failed.add(id);
            }
        }
        eventually(() -> failed.stream().allMatch(id -> job(id).get("state").asText().equals("failed")));
        timeToShow.put("/failures", ui.timeToShow("/failures", "#main table"));
        ui.waitForText("#main table", "HttpTimeout");
        JsonNode group = null;
        for (JsonNode g : http.get("/api/v1/jobs/failure-groups", admin).json().get("items")) {
            group = g.get("error_type").asText().equals("HttpTimeout") ? g : group;
        }
        assertThat(group).as("the group of HttpTimeout").isNotNull();
        String row = "tr[data-key='" + group.get("signature").asText() + "']";
        assertThat(ui.find(row).getText()).contains("no answer from the bank after <n> ms").contains("Snippet");
        assertThat(ui.find(row + " .count").getText()).isEqualTo("2");
        assertThat(ui.find(row + " a.button").getAttribute("href")).contains("error_signature=" + group.get("signature").asText());
        String csv = ui.find(".page-head a[download]").getAttribute("href");
        assertThat(csv).contains("/api/v1/jobs/failure-groups?since=").contains("format=csv");
        assertThat(http.get(csv.substring(csv.indexOf("/api/")), admin).body()).as("Export CSV: the groups of the period")
                .contains(group.get("signature").asText() + ",HttpTimeout,no answer from the bank after <n> ms,2,");
        ui.screenshots("failures");
        ui.assertAccessible();

        ui.click(row + " button[data-action=retry-group]");
        ui.waitFor("dialog #bulk-count");
        assertThat(ui.find("#bulk-count").getText()).isEqualTo("2");
        ui.clickText("dialog", "Retry 2");
        eventually(() -> failed.stream().allMatch(id -> job(id).get("state").asText().equals("pending")));
        ui.assertNoConsoleErrors();
        cancelAll(failed);
    }

    /** Needs the stuck listing (branch h14-jobsearch). */
    @Test
    void the_stuck_page_lists_a_quiet_running_job_and_cancels_it() {
        String id = submit("stuck", "{}", "[]");
        try (TestRobot robot = robot("stuck")) {
            JsonNode assign = started(robot, id);
            eventually(() -> http.get("/api/v1/jobs/stuck?quiet_seconds=1", admin).json().get("items").size() > 0);
            timeToShow.put("/stuck", ui.timeToShow("/stuck?quiet_seconds=1", "tr[data-key='" + id + "']"));
            assertThat(ui.find("tr[data-key='" + id + "']").getText()).contains("robot-stuck").contains("Snippet");
            ui.screenshots("stuck");
            ui.assertAccessible();
            ui.click("tr[data-key='" + id + "'] button[data-action=cancel]");
            ui.clickText("dialog", "Cancel the job");
            stops(robot, assign);
        }
        eventually(() -> job(id).get("state").asText().equals("cancelled"));
        ui.assertNoConsoleErrors();
    }

    @Test
    void a_viewer_is_shown_no_cancel_or_retry_and_the_api_refuses_them() {
        People people = new People(http, adminKey);
        String viewer = people.create("vic");
        Http.Response bound = http.post("/api/v1/folders/root/bindings",
                "{\"principal\":{\"kind\":\"user\",\"id\":\"" + viewer + "\"},\"role\":\"viewer\"}", admin);
        assertThat(bound.status()).as(bound.body()).isEqualTo(201);
        String pending = submit("viewer", "{}", "[]");
        String failed = submit("viewer-failed", "{}", "[]");
        try (TestRobot robot = robot("viewer-failed")) {
            fail(robot, started(robot, failed), "PortalError", "portal down");
        }
        eventually(() -> job(failed).get("state").asText().equals("failed"));

        try (DashboardBrowser vic = DashboardBrowser.open(server.url()).signIn("vic", People.PASSWORD)) {
            vic.go("/jobs/" + pending);
            vic.waitForText("#job-state", "pending");
            vic.go("/jobs/" + failed);
            vic.waitForText("#job-state", "failed");
            assertThat(vic.present("#job-retry")).isFalse();
            vic.go("/jobs/" + pending);
            vic.waitForText("#job-state", "pending");
            assertThat(vic.present("#job-cancel")).isFalse();
            vic.go("/jobs");
            vic.waitFor("tr[data-key]");
            assertThat(vic.present("#retry-dead-letters") || vic.present("#bulk-retry") || vic.present("#bulk-cancel")).isFalse();
            vic.assertNoConsoleErrors();
        }
        Map<String, String> asVic = bearer(people.signIn("vic").json().get("access_token").asText());
        assertThat(http.post("/api/v1/jobs/" + pending + "/cancel", "{}", asVic).status()).isEqualTo(403);
        assertThat(http.post("/api/v1/jobs/" + failed + "/retry", "{}", asVic).status()).isEqualTo(403);
        assertThat(http.post("/api/v1/jobs/retry", "{\"state\":\"failed\"}", asVic).status()).isEqualTo(403);
        assertThat(job(pending).get("state").asText()).isEqualTo("pending");
        assertThat(job(failed).get("state").asText()).isEqualTo("failed");
        cancelAll(List.of(pending));
    }

    // --- jobs and robots of the tests ---

    /** A job of Snippet that only a robot offering {@code capability} takes. */
    String submit(String capability, String variables, String tags) {
        Http.Response r = http.post("/api/v1/jobs", "{\"workflow_name\":\"Snippet\",\"variables\":" + variables + ",\"tags\":" + tags
                + ",\"required_capabilities\":[\"" + capability + "\"],\"max_retries\":0}", admin);
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json().get("id").asText();
    }

    JsonNode job(String id) {
        return http.get("/api/v1/jobs/" + id, admin).json();
    }

    /** A WebSocket robot {@code robot-<capability>} offering that capability. */
    TestRobot robot(String capability) {
        TestRobot robot = TestRobot.connect(server.orchestrator().port(), robotKey);
        ObjectNode fields = Json.mapper().createObjectNode().put("robot_id", "robot-" + capability).put("max_concurrent_jobs", 5);
        fields.putArray("capabilities").add(capability);
        assertThat(robot.register(fields).get("type").asText()).isEqualTo("registered");
        heartbeats.scheduleWithFixedDelay(() -> {
            if (robot.isClosed()) {
                throw new IllegalStateException("closed: no more heartbeats");
            }
            robot.sendAsync("{\"type\":\"heartbeat\",\"jobs\":[]}");
        }, 5, 5, TimeUnit.SECONDS);
        return robot;
    }

    static JsonNode take(TestRobot robot, String jobId) {
        return robot.awaitMessage(m -> "job_assign".equals(m.path("type").asText()) && jobId.equals(m.path("job_id").asText()));
    }

    /** The robot takes the job and starts it: its assignment. */
    static JsonNode started(TestRobot robot, String jobId) {
        JsonNode assign = take(robot, jobId);
        robot.call(TestRobot.report("job_started", assign));
        return assign;
    }

    /** The robot is told to stop the job and confirms it stopped. */
    static void stops(TestRobot robot, JsonNode assign) {
        JsonNode stop = robot.next("job_cancel");
        assertThat(stop.get("job_id").asText()).isEqualTo(assign.get("job_id").asText());
        robot.call(TestRobot.report("job_cancelled", assign).put("reason", "cancelled"));
    }

    static void fail(TestRobot robot, JsonNode assign, String type, String message) {
        ObjectNode failed = TestRobot.report("job_failed", assign).put("retryable", false);
        failed.putObject("error").put("type", type).put("message", message);
        assertThat(robot.call(failed).get("type").asText()).isEqualTo("ack");
    }

    static ObjectNode logs(JsonNode assign, int seq, String message) {
        ObjectNode batch = TestRobot.report("log_batch", assign);
        batch.putArray("entries").addObject().put("seq", seq).put("timestamp", java.time.Instant.now().toString())
                .put("level", "info").put("message", message);
        return batch;
    }

    /** Leaves no pending job of a test behind for the lists of the others. */
    void cancelAll(List<String> ids) {
        for (String id : ids) {
            if (job(id).get("state").asText().equals("pending")) {
                http.post("/api/v1/jobs/" + id + "/cancel", "{}", admin);
            }
        }
    }
}
