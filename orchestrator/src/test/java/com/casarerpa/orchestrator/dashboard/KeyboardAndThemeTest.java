package com.casarerpa.orchestrator.dashboard;

import static com.casarerpa.orchestrator.testing.People.bearer;
import static org.assertj.core.api.Assertions.assertThat;

import com.casarerpa.common.json.Json;
import com.casarerpa.orchestrator.testing.DashboardBrowser;
import com.casarerpa.orchestrator.testing.Http;
import com.casarerpa.orchestrator.testing.People;
import com.casarerpa.orchestrator.testing.Samples;
import com.casarerpa.testkit.TestRobot;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.Keys;

/**
 * Every page in both themes and by keyboard alone, with data on it: axe-core in the dark theme at
 * 1280×800 and at 390 px wide and in the light theme at 390 px (the page tests run it in the light
 * theme at 1280), and each page's own controls reached with Tab and Shift+Tab and worked with
 * Enter, Space, Escape and the arrow keys, the focus always visible. The data (a robot running a
 * job, failed jobs, more than a page of pending jobs, a batch, workflows, a schedule, a webhook,
 * people, a group, a folder, keys, more than a page of audit events) is made once, through the API.
 */
class KeyboardAndThemeTest extends DashboardPages {
    private static final String CAPABILITY = "a11y";

    private final ScheduledExecutorService heartbeats = Executors.newSingleThreadScheduledExecutor();
    private TestRobot robot;
    private Map<String, String> admin;
    private String greeting;
    private String running;
    private String failed;
    private String pending;
    private String schedule;
    private String finance;

    @BeforeAll
    void data() {
        admin = bearer(adminKey);
        person("ada", "admin");
        String vic = person("vic", "viewer");
        finance = created(http.post("/api/v1/folders", "{\"name\":\"Finance\",\"parent\":\"root\"}", admin)).get("id").asText();
        String group = created(http.post("/api/v1/groups", "{\"name\":\"Operators\",\"description\":\"The night shift\"}", admin))
                .get("id").asText();
        assertThat(http.put("/api/v1/groups/" + group + "/members/" + vic, "", admin).status()).isBetween(200, 204);
        created(http.post("/api/v1/folders/" + finance + "/bindings",
                "{\"principal\":{\"kind\":\"group\",\"id\":\"" + group + "\"},\"role\":\"operator\"}", admin));
        String account = created(http.post("/api/v1/service-accounts", "{\"name\":\"ci\",\"description\":\"The build\"}", admin))
                .get("id").asText();
        created(http.post("/api/v1/service-accounts/" + account + "/keys", "{\"name\":\"ci-key\"}", admin));
        created(http.post("/api/v1/auth/tokens", "{\"name\":\"ada-script\",\"expires_in_days\":30,"
                + "\"bindings\":[{\"role\":\"viewer\",\"folder\":\"root\"}]}", tokenOf("ada")));

        String snippet = created(http.post("/api/v1/workflows", "{\"name\":\"Snippet\",\"workflow_data\":"
                + Samples.text(Samples.SNIPPET) + "}", admin)).get("id").asText();
        greeting = created(http.post("/api/v1/workflows", "{\"name\":\"Greeting\",\"workflow_data\":"
                + resource("/dashboard/greeting-with-data-wires.json") + "}", admin)).get("id").asText();
        schedule = created(http.post("/api/v1/schedules", "{\"name\":\"Weekday mornings\",\"workflow_id\":\"" + snippet
                + "\",\"cron\":\"0 9 * * 1-5\",\"timezone\":\"Europe/Berlin\",\"job\":{\"variables\":{\"region\":\"EU\",\"batch_size\":500}}}",
                admin)).get("id").asText();
        created(http.post("/api/v1/webhooks", "{\"name\":\"Orders\",\"workflow_id\":\"" + greeting + "\",\"auth_mode\":\"hmac\"}", admin));

        String robotKey = created(http.post("/api/v1/api-keys", "{\"name\":\"robots\",\"role\":\"robot\"}", admin)).get("key").asText();
        robot = TestRobot.connect(server.orchestrator().port(), robotKey);
        ObjectNode fields = Json.mapper().createObjectNode().put("robot_id", "robot-a11y").put("name", "robot-a11y")
                .put("hostname", "desk-7").put("max_concurrent_jobs", 4);
        fields.putArray("capabilities").add(CAPABILITY);
        fields.putArray("tags").add("office");
        assertThat(robot.register(fields).get("type").asText()).isEqualTo("registered");
        for (String[] error : new String[][] {{"PortalError", "portal down after 1500 ms"}, {"PortalError", "portal down after 3000 ms"},
                {"ExcelError", "sheet 2 is locked" + "\n    at excel.Sheet.open(Sheet.java:42)".repeat(60)}}) {
            String id = submit(CAPABILITY, "[\"a11y-failed\"]");
            JobsPagesTest.fail(robot, JobsPagesTest.started(robot, id), error[0], error[1]);
            failed = id;
        }
        running = submit(CAPABILITY, "[\"a11y-running\"]");
        JsonNode lease = JobsPagesTest.started(robot, running);
        robot.call(JobsPagesTest.logs(lease, 1, "opened the invoice portal"));
        robot.call(JobsPagesTest.logs(lease, 2, "downloaded 3 invoices"));
        String beat = "{\"type\":\"heartbeat\",\"cpu_percent\":37.5,\"memory_percent\":61.0,\"memory_mb\":2048,\"jobs\":[{\"job_id\":\""
                + running + "\",\"lease_token\":\"" + lease.get("lease_token").asText() + "\"}]}";
        robot.sendAsync(beat);
        heartbeats.scheduleWithFixedDelay(() -> robot.sendAsync(beat), 5, 5, TimeUnit.SECONDS);

        // More than a page of pending jobs (50), a batch that cancelled two, and more than a page of audit events.
        List<String> waiting = new ArrayList<>();
        for (int i = 0; i < 53; i++) {
            waiting.add(submit("nobody", i < 2 ? "[\"a11y-cancel\"]" : "[\"a11y-pending\"]"));
        }
        pending = waiting.get(waiting.size() - 1);
        created(http.post("/api/v1/jobs/bulk", "{\"action\":\"cancel\",\"filter\":{\"tag\":\"a11y-cancel\"}}", admin));
        for (int i = 0; i < 50 && !auditHasASecondPage(); i++) {
            for (boolean on : new boolean[] {true, false}) {
                Http.Response r = http.post("/api/v1/robots/robot-a11y/maintenance", "{\"enabled\":" + on + "}", admin);
                assertThat(r.status()).as(r.body()).isEqualTo(200);
            }
        }
        assertThat(auditHasASecondPage()).isTrue();
        signInAs("ada");
    }

    @AfterAll
    void stopRobot() {
        heartbeats.shutdownNow();
        if (robot != null) {
            robot.close();
        }
    }

    /** The pages, each with what shows once its data is there. */
    private List<String[]> pages() {
        return List.of(
                new String[] {"overview", "/", "#jpm .uplot"},
                new String[] {"robots", "/robots", "tr[data-key='robot-a11y']"},
                new String[] {"robot", "/robots/robot-a11y", "#main section[aria-labelledby=usage] dl.facts"},
                new String[] {"jobs", "/jobs", "#jobs-next"},
                new String[] {"job", "/jobs/" + running, "#job-logs"},
                new String[] {"job-failed", "/jobs/" + failed, "#job-error"},
                new String[] {"failures", "/failures", "#main tr[data-key]"},
                new String[] {"stuck", "/stuck?quiet_seconds=1", "tr[data-key='" + running + "']"},
                new String[] {"batches", "/batches", "tr[data-key]"},
                new String[] {"workflows", "/workflows", "tr[data-key='" + greeting + "']"},
                new String[] {"workflow", "/workflows/" + greeting, ".graph g.node"},
                new String[] {"schedules", "/schedules", "tr[data-key] ol.fires"},
                new String[] {"schedule-new", "/schedules?new=1", "#cron-preview ol.fires"},
                new String[] {"schedule", "/schedules/" + schedule, "#main ol.fires"},
                new String[] {"webhooks", "/webhooks", "tr[data-key] code.url"},
                new String[] {"people", "/people", "tr[data-key='ada']"},
                new String[] {"groups", "/groups", "section.group-card ul.members"},
                new String[] {"folders", "/folders", "#bindings tr[data-key]"},
                new String[] {"keys", "/keys", "#personal-tokens tr[data-key]"},
                new String[] {"audit", "/audit", "tr[data-key]"});
    }

    /**
     * The light theme at 1280 px is each page test's own check; here every page with its data in
     * the dark theme at both widths, and in the light theme at a phone's width, plus a confirmation
     * and a form in a dialog, and the sign-in page.
     */
    @Test
    @Order(1)
    void every_page_with_its_data_passes_axe_in_the_dark_theme_at_both_widths_and_in_the_light_one_on_a_phone() {
        List<String> violations = new ArrayList<>();
        for (String[] page : pages()) {
            theme("dark");
            ui.go(page[1]);
            ui.waitFor(page[2]);
            violations.addAll(axeInBothThemes(page[0]));
        }
        theme("dark");
        ui.go("/robots/robot-a11y");
        ui.clickText("#main .page-head", "Delete");
        ui.waitFor("dialog button.danger");
        violations.addAll(axeInBothThemes("robot-delete-dialog"));
        ui.press(Keys.ESCAPE);
        theme("dark");
        ui.go("/people");
        ui.click("#new-user");
        ui.waitFor("dialog #f-username");
        violations.addAll(axeInBothThemes("people-new-user-dialog"));
        ui.press(Keys.ESCAPE);

        ui.click("#sign-out");
        ui.waitFor("#username");
        violations.addAll(axeInBothThemes("signin"));
        ui.signIn("ada", People.PASSWORD);
        assertThat(violations).as("axe-core serious or critical violations").isEmpty();
        assertNoConsoleErrors();
    }

    /** axe in the dark theme at 1280 and at 390 px, then in the light theme at 390 px, with a screenshot of the dark ones. */
    private List<String> axeInBothThemes(String label) {
        List<String> found = new ArrayList<>();
        theme("dark");
        ui.seriousViolations().forEach(v -> found.add(label + ", dark, " + DashboardBrowser.WIDE + " px: " + v));
        ui.screenshot(label + "-dark-" + DashboardBrowser.WIDE);
        ui.browser().resize(DashboardBrowser.PHONE, 844);
        try {
            ui.seriousViolations().forEach(v -> found.add(label + ", dark, " + DashboardBrowser.PHONE + " px: " + v));
            ui.screenshot(label + "-dark-" + DashboardBrowser.PHONE);
            theme("light");
            ui.seriousViolations().forEach(v -> found.add(label + ", light, " + DashboardBrowser.PHONE + " px: " + v));
        } finally {
            ui.browser().resize(DashboardBrowser.WIDE, DashboardBrowser.HEIGHT);
        }
        return found;
    }

    /** The theme chosen, as the header's switch keeps it, for this page and the next ones loaded. */
    private void theme(String choice) {
        ui.script("localStorage.setItem('casare.theme', arguments[0]); document.documentElement.dataset.theme = arguments[0]", choice);
    }

    @Test
    @Order(2)
    void the_folder_switcher_and_the_theme_are_chosen_with_the_arrow_keys_and_the_system_theme_is_followed() {
        ui.script("localStorage.removeItem('casare.theme')");
        ui.prefersColorScheme("light");
        try {
            ui.go("/robots");
            ui.waitFor("tr[data-key='robot-a11y']");
            ui.tabTo("#folder-switch");
            ui.press(Keys.ARROW_DOWN);
            DashboardBrowser.eventually(() -> ui.path().contains("folder=root"));
            assertThat(ui.focusIs("#folder-switch")).as("the switcher keeps the focus, not " + ui.focused()).isTrue();
            ui.press(Keys.ARROW_DOWN);
            DashboardBrowser.eventually(() -> ui.path().contains("folder=" + finance));
            ui.press(Keys.ARROW_UP, Keys.ARROW_UP);
            DashboardBrowser.eventually(() -> !ui.path().contains("folder="));
            ui.waitFor("tr[data-key='robot-a11y']");

            ui.tabTo("#theme-switch");
            assertThat(ui.script("return document.documentElement.dataset.theme")).isEqualTo("light");
            ui.press(Keys.ARROW_DOWN, Keys.ARROW_DOWN); // system, light, dark
            DashboardBrowser.eventually(() -> "dark".equals(ui.script("return document.documentElement.dataset.theme")));
            assertThat(ui.script("return localStorage.getItem('casare.theme')")).isEqualTo("dark");
            ui.assertFocusVisible(); // the ring in the dark theme
            ui.press(Keys.ARROW_UP, Keys.ARROW_UP);
            DashboardBrowser.eventually(() -> "system".equals(ui.script("return localStorage.getItem('casare.theme')")));
            assertThat(ui.script("return document.documentElement.dataset.theme")).isEqualTo("light");
            ui.prefersColorScheme("dark");
            DashboardBrowser.eventually(() -> "dark".equals(ui.script("return document.documentElement.dataset.theme")));
            ui.assertFocusVisible();
            ui.prefersColorScheme("light");
            DashboardBrowser.eventually(() -> "light".equals(ui.script("return document.documentElement.dataset.theme")));
            ui.tabTo("#sign-out");
        } finally {
            ui.prefersColorScheme("no-preference");
            ui.script("localStorage.removeItem('casare.folder')");
        }
        assertNoConsoleErrors();
    }

    @Test
    @Order(3)
    void robots_are_filtered_opened_put_in_maintenance_and_their_deletion_escaped_by_keyboard() {
        theme("dark");
        ui.go("/robots");
        ui.waitFor("tr[data-key='robot-a11y']");
        skipToPage();
        ui.tabTo("#robot-status");
        ui.press(Keys.ARROW_DOWN); // Any, online, …
        DashboardBrowser.eventually(() -> ui.path().contains("status=online"));
        ui.press(Keys.ARROW_UP);
        DashboardBrowser.eventually(() -> !ui.path().contains("status="));
        ui.tabTo("#robot-text");
        ui.press("desk-7");
        ui.waitFor("tr[data-key='robot-a11y']");
        ui.press("x");
        ui.waitForPageText("No robot matches this filter.");
        ui.retype("");
        ui.waitFor("tr[data-key='robot-a11y']");
        ui.tabTo("tr[data-key='robot-a11y'] a");
        ui.press(Keys.ENTER);
        DashboardBrowser.eventually(() -> ui.path().equals("/robots/robot-a11y"));
        ui.awaitFocus("#main");

        ui.waitFor("button[data-action=maintenance]");
        ui.tabTo("button[data-action=maintenance]");
        ui.press(Keys.ENTER);
        ui.waitForText("button[data-action=maintenance]", "End maintenance");
        ui.awaitFocus("button[data-action=maintenance]");
        ui.press(Keys.SPACE);
        DashboardBrowser.eventually(() -> !ui.find("button[data-action=maintenance]").getText().contains("End"));
        ui.awaitFocus("button[data-action=maintenance]");
        ui.tabTo("#main .page-head button.danger");
        escapeClosesTheDialog("#main .page-head button.danger");
        assertThat(http.get("/api/v1/robots/robot-a11y", admin).status()).isEqualTo(200);
        assertNoConsoleErrors();
    }

    @Test
    @Order(4)
    void jobs_are_filtered_paged_and_opened_and_a_job_cancelled_and_retried_by_keyboard() {
        theme("light");
        ui.go("/jobs");
        ui.waitFor("#jobs-next");
        skipToPage();
        ui.tabTo("#jobs-tag");
        ui.press("a11y-failed", Keys.ENTER);
        DashboardBrowser.eventually(() -> ui.path().contains("tag=a11y-failed") && ui.all("tbody tr[data-key]").size() == 3);
        ui.tabBackTo("input[name=state][value=running]");
        ui.press(Keys.SPACE);
        DashboardBrowser.eventually(() -> ui.path().contains("state=running"));
        ui.waitForPageText("No job matches this filter.");
        ui.press(Keys.SPACE);
        DashboardBrowser.eventually(() -> !ui.path().contains("state=") && ui.all("tbody tr[data-key]").size() == 3);
        ui.tabTo("form[role=search] button[type=button]"); // Clear
        ui.press(Keys.ENTER);
        DashboardBrowser.eventually(() -> !ui.path().contains("tag="));
        ui.waitFor("#jobs-next");

        ui.tabTo("#bulk-cancel");
        escapeClosesTheDialog("#bulk-cancel");
        ui.go("/jobs");
        ui.waitFor("#jobs-next");
        ui.tabBackTo("#jobs-next"); // from the top of the page, Shift+Tab goes round to its end
        ui.press(Keys.ENTER);
        ui.waitForText("nav.pager", "page 2");
        ui.awaitFocus("nav.pager button:not([disabled])");
        ui.tabBackTo("tbody tr[data-key] td:first-child a");
        String job = ui.find("#main :focus").getText();
        ui.press(Keys.ENTER);
        DashboardBrowser.eventually(() -> ui.path().equals("/jobs/" + job));
        ui.awaitFocus("#main");

        ui.go("/jobs/" + pending);
        ui.waitForText("#job-state", "pending");
        skipToPage();
        ui.tabTo("#job-cancel");
        escapeClosesTheDialog("#job-cancel");
        ui.press(Keys.ENTER);
        ui.waitFor("dialog button.danger");
        ui.tabTo("dialog button.danger"); // Cancel the job
        ui.press(Keys.ENTER);
        ui.waitForText("#job-state", "cancelled");
        ui.awaitFocus("#job-retry");
        ui.press(Keys.ENTER);
        ui.waitForText("#job-state", "pending");
        ui.awaitFocus("#job-cancel");

        ui.go("/jobs/" + running);
        ui.waitFor("#job-logs");
        skipToPage();
        ui.tabTo("#job-logs"); // the log lines scroll by keyboard
        ui.go("/jobs/" + failed);
        ui.waitFor("#job-error");
        assertThat(ui.script("const e = document.querySelector('#job-error'); return e.scrollHeight > e.clientHeight"))
                .as("a stack trace longer than its box").isEqualTo(true);
        skipToPage();
        ui.tabTo("#job-error"); // and so does the error
        assertNoConsoleErrors();
    }

    @Test
    @Order(5)
    void failures_stuck_jobs_and_batches_are_worked_by_keyboard() {
        theme("dark");
        ui.go("/failures");
        ui.waitFor("#main tr[data-key]");
        skipToPage();
        ui.tabTo("#failures-range");
        ui.press(Keys.ARROW_DOWN);
        DashboardBrowser.eventually(() -> ui.path().contains("range=week"));
        ui.awaitFocus("#failures-range");
        ui.press(Keys.ARROW_UP);
        DashboardBrowser.eventually(() -> ui.path().contains("range=day"));
        ui.waitFor("#main tr[data-key]");
        ui.tabTo("button[data-action=retry-group]");
        escapeClosesTheDialog("button[data-action=retry-group]");
        ui.tabBackTo("a.button[href^='/jobs?error_signature=']");
        ui.press(Keys.ENTER);
        DashboardBrowser.eventually(() -> ui.path().startsWith("/jobs?error_signature="));
        ui.waitFor("tbody tr[data-key]");

        ui.go("/stuck?quiet_seconds=1");
        ui.waitFor("tr[data-key='" + running + "']");
        skipToPage();
        ui.tabTo("#stuck-quiet");
        ui.press(Keys.ARROW_DOWN);
        DashboardBrowser.eventually(() -> ui.path().contains("quiet_seconds=60"));
        ui.press(Keys.ARROW_UP);
        DashboardBrowser.eventually(() -> ui.path().endsWith("quiet_seconds=1"));
        ui.waitFor("tr[data-key='" + running + "']");
        ui.tabTo("#stuck-refresh");
        ui.press(Keys.ENTER);
        ui.awaitFocus("#stuck-refresh");
        String cancel = "tr[data-key='" + running + "'] button[data-action=cancel]";
        ui.tabTo(cancel);
        escapeClosesTheDialog(cancel);

        ui.go("/batches");
        ui.waitFor("tr[data-key]");
        skipToPage();
        ui.tabTo("tbody a[href^='/jobs?']");
        ui.press(Keys.ENTER);
        DashboardBrowser.eventually(() -> ui.path().contains("tag=a11y-cancel"));
        assertNoConsoleErrors();
    }

    @Test
    @Order(6)
    void a_workflow_is_found_its_graph_read_and_run_now_with_variables_typed_as_json_by_keyboard() {
        theme("light");
        ui.go("/workflows");
        ui.waitFor("tr[data-key='" + greeting + "']");
        skipToPage();
        ui.tabTo("a.button[href='#deploy']");
        ui.press(Keys.ENTER);
        ui.awaitFocus("section#deploy");
        ui.press(Keys.TAB);
        assertThat(ui.focusIs("#deploy-file")).as("Tab after 'Deploy a workflow' is in the deploy form, not " + ui.focused()).isTrue();
        ui.tabBackTo("#workflow-q");
        ui.press("greet");
        DashboardBrowser.eventually(() -> ui.all("#main tbody tr").size() == 1);
        ui.tabTo("tr[data-key='" + greeting + "'] a");
        ui.press(Keys.ENTER);
        DashboardBrowser.eventually(() -> ui.path().equals("/workflows/" + greeting));
        ui.awaitFocus("#main");

        ui.waitFor(".graph g.node");
        ui.tabTo(".graph g.node[data-node=greet]");
        ui.press(Keys.ENTER);
        ui.waitForText(".node-detail", "Hello, {name}!");
        ui.awaitFocus(".graph g.node[data-node=greet]");
        ui.tabBackTo(".graph g.node[data-node=who]");
        ui.screenshot("workflow-graph-focus-light-1280"); // greet selected, who with the focus
        ui.press(Keys.SPACE);
        ui.waitForText(".node-detail h3", "who");
        ui.tabTo("details.graph-text summary");
        ui.press(Keys.ENTER);
        DashboardBrowser.eventually(() -> Boolean.TRUE.equals(ui.script("return document.querySelector('details.graph-text').open")));

        ui.tabBackTo("a.button[href='#run']");
        ui.press(Keys.ENTER);
        ui.awaitFocus("section#run");
        ui.press(Keys.TAB);
        assertThat(ui.focusIs("#run-version")).as("Tab after 'Run now' is in the run form, not " + ui.focused()).isTrue();
        ui.tabTo("#run-variables");
        ui.retype("{\"name\": }");
        ui.waitForText("#err-variables-json", "line 1");
        assertThat(ui.find("#run-variables").getAttribute("aria-invalid")).isEqualTo("true");
        ui.retype("{\"name\": \"keyboard\"}");
        DashboardBrowser.eventually(() -> !ui.present("#err-variables-json"));
        ui.tabTo("#run button[type=submit]");
        ui.press(Keys.ENTER);
        DashboardBrowser.eventually(() -> ui.path().startsWith("/jobs/job_"));
        ui.waitForText("#job-variables", "keyboard");
        assertNoConsoleErrors();
    }

    @Test
    @Order(7)
    void a_schedule_is_made_with_the_cron_preview_toggled_triggered_and_edited_by_keyboard() {
        theme("dark");
        ui.go("/schedules");
        ui.waitFor("tr[data-key] ol.fires");
        skipToPage();
        ui.tabTo("#new-schedule");
        ui.press(Keys.ENTER);
        ui.awaitFocus("#schedule-name");
        ui.press("Keyboard mornings");
        ui.tabTo("#schedule-cron");
        ui.retype("30 25 * * *");
        ui.waitForText("#err-cron", "hour");
        ui.retype("30 6 * * 1-5");
        DashboardBrowser.eventually(() -> !ui.present("#err-cron"));
        ui.waitForText("#cron-preview", "06:30");
        ui.tabTo("form.schedule-form .row button[type=button]"); // Cancel
        ui.press(Keys.ENTER);
        DashboardBrowser.eventually(() -> !ui.present("form.schedule-form"));
        ui.awaitFocus("#new-schedule");

        String toggle = "tr[data-key='" + schedule + "'] input[role=switch]";
        ui.tabTo(toggle);
        ui.press(Keys.SPACE);
        ui.waitForText("tr[data-key='" + schedule + "'] .switch", "Disabled");
        ui.awaitFocus(toggle);
        ui.press(Keys.SPACE);
        ui.waitForText("tr[data-key='" + schedule + "'] .switch", "Enabled");
        ui.tabTo("tr[data-key='" + schedule + "'] button[data-action=trigger]");
        ui.press(Keys.ENTER);
        ui.waitForText(".toasts", "Weekday mornings: job");
        ui.tabBackTo("tr[data-key='" + schedule + "'] a[href^='/schedules/']");
        ui.press(Keys.ENTER);
        DashboardBrowser.eventually(() -> ui.path().equals("/schedules/" + schedule));

        ui.waitFor("#edit-schedule");
        ui.tabTo("#edit-schedule");
        ui.press(Keys.ENTER);
        ui.awaitFocus("#schedule-cron");
        ui.retype("0 7 * * *");
        ui.waitForText("#cron-preview", "07:00");
        ui.tabTo("form.schedule-form .row button[type=button]"); // Cancel
        ui.press(Keys.ENTER);
        ui.awaitFocus("#edit-schedule");
        ui.tabTo("#main .page-head button.danger");
        escapeClosesTheDialog("#main .page-head button.danger");
        assertThat(http.get("/api/v1/schedules/" + schedule, admin).json().get("cron").asText()).isEqualTo("0 9 * * 1-5");
        assertNoConsoleErrorsBut("/api/v1/schedules/preview 400");
    }

    @Test
    @Order(8)
    void a_webhook_is_copied_disabled_and_made_with_its_secret_shown_once_by_keyboard() {
        theme("light");
        ui.go("/webhooks");
        ui.waitFor("tr[data-key] code.url");
        skipToPage();
        ui.tabTo("tbody button.copy");
        ui.press(Keys.ENTER);
        ui.waitForText(".toasts", "URL");
        ui.tabTo("tbody button[data-action=toggle]");
        ui.press(Keys.ENTER);
        ui.waitForText("tbody button[data-action=toggle]", "Enable");
        ui.awaitFocus("tbody button[data-action=toggle]");
        ui.press(Keys.ENTER);
        ui.waitForText("tbody button[data-action=toggle]", "Disable");
        ui.tabTo("tbody button[data-action=delete]");
        escapeClosesTheDialog("tbody button[data-action=delete]");

        ui.tabBackTo("#new-webhook");
        ui.press(Keys.ENTER);
        ui.awaitFocus("#webhook-name");
        ui.press("Keyboard hook", Keys.ENTER);
        ui.awaitFocus("#new-secret");
        ui.tabTo("#secret-done");
        ui.press(Keys.ENTER);
        DashboardBrowser.eventually(() -> !ui.present("#secret-done"));
        ui.awaitFocus("#new-webhook");
        assertNoConsoleErrors();
    }

    @Test
    @Order(9)
    void people_and_groups_are_made_and_changed_by_keyboard() {
        theme("dark");
        ui.go("/people");
        ui.waitFor("tr[data-key='vic']");
        skipToPage();
        ui.tabTo("#people-text");
        ui.press("vic");
        DashboardBrowser.eventually(() -> ui.all("#main tbody tr").size() == 1);
        ui.retype("");
        ui.tabTo("tr[data-key='vic'] button[data-action=edit]");
        escapeClosesTheDialog("tr[data-key='vic'] button[data-action=edit]");
        ui.tabBackTo("#new-user");
        ui.press(Keys.ENTER);
        ui.awaitFocus("dialog #f-username");
        ui.press("kim", Keys.ENTER);
        ui.waitFor("dialog #secret-done");
        ui.awaitFocus("dialog *");
        ui.tabTo("#secret-done");
        ui.press(Keys.ENTER);
        DashboardBrowser.eventually(() -> !ui.present("dialog"));
        ui.awaitFocus("#new-user");
        ui.waitFor("tr[data-key='kim']");

        ui.go("/groups");
        ui.waitFor("section.group-card ul.members");
        skipToPage();
        ui.tabTo("button[data-action=add-member]");
        ui.press(Keys.ENTER);
        ui.awaitFocus("dialog select");
        ui.press(Keys.ESCAPE);
        ui.awaitFocus("button[data-action=add-member]");
        ui.tabTo("ul.members button.link");
        escapeClosesTheDialog("ul.members button.link");
        assertNoConsoleErrors();
    }

    @Test
    @Order(10)
    void the_folder_tree_keys_and_the_audit_trail_are_worked_by_keyboard() {
        theme("light");
        ui.go("/folders");
        ui.waitFor("#bindings tr[data-key]");
        skipToPage();
        ui.tabTo("[role=treeitem][aria-selected=true]");
        ui.press(Keys.ARROW_DOWN);
        ui.awaitFocus("[role=treeitem][aria-selected=false]");
        ui.assertFocusVisible();
        ui.press(Keys.ENTER);
        ui.waitForText("#folder-title", "Finance");
        ui.press(Keys.HOME);
        ui.awaitFocus("[role=treeitem][data-folder-id=root]");
        ui.press(Keys.ARROW_LEFT); // collapses the root
        DashboardBrowser.eventually(() -> "false".equals(ui.find("[role=treeitem][data-folder-id=root]").getAttribute("aria-expanded")));
        ui.press(Keys.ARROW_RIGHT);
        DashboardBrowser.eventually(() -> "true".equals(ui.find("[role=treeitem][data-folder-id=root]").getAttribute("aria-expanded")));
        ui.tabTo("#add-binding");
        escapeClosesTheDialog("#add-binding");
        ui.tabTo("button[data-action=unbind]");
        escapeClosesTheDialog("button[data-action=unbind]");

        ui.go("/keys");
        ui.waitFor("#personal-tokens tr[data-key]");
        skipToPage();
        ui.tabTo("#show-revoked");
        ui.press(Keys.SPACE);
        DashboardBrowser.eventually(() -> ui.path().contains("revoked=1"));
        ui.press(Keys.SPACE);
        DashboardBrowser.eventually(() -> !ui.path().contains("revoked=1"));
        ui.tabTo("#new-key");
        escapeClosesTheDialog("#new-key");
        ui.tabTo("button[data-action=revoke]");
        escapeClosesTheDialog("button[data-action=revoke]");

        ui.go("/audit");
        ui.waitFor("tr[data-key]");
        skipToPage();
        ui.tabTo("#audit-action");
        ui.press("robot.maintenance_on");
        DashboardBrowser.eventually(() -> ui.path().contains("action=robot.maintenance_on"));
        ui.retype("");
        DashboardBrowser.eventually(() -> !ui.path().contains("action="));
        ui.tabTo("#audit-older");
        ui.press(Keys.ENTER);
        ui.waitForText(".pager", "page 2");
        ui.awaitFocus(".pager button:not([disabled])");
        ui.tabBackTo("tbody details summary");
        ui.press(Keys.ENTER);
        DashboardBrowser.eventually(() -> Boolean.TRUE.equals(ui.script("return document.activeElement.closest('details').open")));
        assertNoConsoleErrors();
    }

    @Test
    @Order(11)
    void a_person_signs_out_and_in_again_by_keyboard() {
        theme("dark");
        ui.go("/");
        ui.waitFor("#queue-depth");
        ui.tabTo("#sign-out");
        ui.press(Keys.ENTER);
        ui.waitFor("#username");
        ui.awaitFocus("#username");
        ui.tabTo("button.link"); // with an API key instead
        ui.press(Keys.ENTER);
        ui.awaitFocus("#api_key");
        ui.tabTo("button.link"); // back to a username and password
        ui.press(Keys.ENTER);
        ui.awaitFocus("#username");
        ui.press("ada", Keys.TAB);
        assertThat(ui.focusIs("#password")).isTrue();
        ui.press(People.PASSWORD, Keys.ENTER);
        ui.waitFor("#sign-out");
        ui.script("localStorage.removeItem('casare.theme')");
        assertNoConsoleErrors();
    }

    /** From the top of a freshly loaded page: the first Tab reaches the skip link, Enter moves the focus to the page. */
    private void skipToPage() {
        ui.press(Keys.TAB);
        assertThat(ui.focusIs("a.skip")).as("the first Tab reaches the skip link, not " + ui.focused()).isTrue();
        ui.assertFocusVisible();
        ui.press(Keys.ENTER);
        ui.awaitFocus("#main");
    }

    /** Enter on the focused {@code opener} opens a dialog that takes the focus; Escape closes it and gives the focus back. */
    private void escapeClosesTheDialog(String opener) {
        assertThat(ui.focusIs(opener)).as(ui.focused()).isTrue();
        ui.press(Keys.ENTER);
        ui.waitFor("dialog");
        ui.awaitFocus("dialog *");
        ui.assertFocusVisible();
        ui.press(Keys.ESCAPE);
        DashboardBrowser.eventually(() -> !ui.present("dialog"));
        ui.awaitFocus(opener);
    }

    // --- data of the tests ---

    private String submit(String capability, String tags) {
        return created(http.post("/api/v1/jobs", "{\"workflow_name\":\"Snippet\",\"variables\":{\"customer\":\"acme\"},\"tags\":" + tags
                + ",\"required_capabilities\":[\"" + capability + "\"],\"max_retries\":0}", admin)).get("id").asText();
    }

    private boolean auditHasASecondPage() {
        return http.get("/api/v1/audit?limit=50", admin).json().path("next_cursor").isTextual();
    }

    private static JsonNode created(Http.Response r) {
        assertThat(r.status()).as(r.body()).isBetween(200, 202);
        return r.json();
    }

    private static String resource(String name) {
        try {
            return Files.readString(Path.of(KeyboardAndThemeTest.class.getResource(name).toURI()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
