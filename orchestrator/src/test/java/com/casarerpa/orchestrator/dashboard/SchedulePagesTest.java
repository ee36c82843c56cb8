package com.casarerpa.orchestrator.dashboard;

import static com.casarerpa.orchestrator.testing.People.bearer;
import static org.assertj.core.api.Assertions.assertThat;

import com.casarerpa.orchestrator.testing.DashboardBrowser;
import com.casarerpa.orchestrator.testing.Http;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.support.ui.Select;

/**
 * The schedule and webhook pages in a real browser: a schedule created with the live cron
 * preview (fire times in its zone, a daylight-saving change visible as the offset changes), a
 * wrong cron named next to its field, edited, disabled, triggered and its history with the lag
 * and the job; a webhook created with its secret shown once, disabled and deleted; a viewer who
 * sees no create, toggle or trigger and is refused by the API.
 */
class SchedulePagesTest extends DashboardPages {
    String workflowId;

    @BeforeAll
    void start() {
        person("olga", "operator");
        person("vic", "viewer");
        Http.Response deployed = http.post("/api/v1/workflows", "{\"name\":\"Nightly export\",\"workflow_data\":{\"nodes\":{"
                + "\"start\":{\"node_id\":\"start\",\"node_type\":\"StartNode\"}}}}", bearer(adminKey));
        assertThat(deployed.status()).as(deployed.body()).isEqualTo(201);
        workflowId = deployed.json().get("id").asText();
    }

    /**
     * Cron {@code 0 9 * 3 0} in Europe/Berlin fires at 09:00 on each Sunday of March. Berlin's
     * clocks go forward on the last Sunday of March (02:00 CET becomes 03:00 CEST), so whenever
     * the test runs, the next six fires include Sundays at +01:00 and the last Sunday at +02:00:
     * the preview shows "UTC+01:00" and then "UTC+02:00", with the change marked on the line
     * where the offset moves.
     */
    @Test
    @Order(1)
    void an_operator_creates_a_schedule_with_the_cron_preview_edits_disables_and_triggers_it() {
        signInAs("olga");
        time("/schedules (empty)", "/schedules", "#new-schedule");
        ui.waitForPageText("No schedule yet.");
        ui.click("#new-schedule");
        ui.type("#schedule-name", "Berlin Sundays in March");
        new Select(ui.find("#schedule-workflow")).selectByVisibleText("Nightly export");
        ui.type("#schedule-timezone", "Europe/Berlin");

        ui.type("#schedule-cron", "0 25 * * *");
        ui.waitForText("#err-cron", "hour");
        assertThat(ui.find("#schedule-cron").getAttribute("aria-invalid")).isEqualTo("true");

        ui.type("#schedule-cron", "0 9 * 3 0");
        ui.waitForText("#cron-preview", "in Europe/Berlin");
        DashboardBrowser.eventually(() -> ui.all("#cron-preview ol.fires li").size() == 6);
        String preview = ui.find("#cron-preview").getText();
        assertThat(preview).contains("Sun").contains("09:00 UTC+01:00").contains("09:00 UTC+02:00")
                .contains("clocks change: UTC+01:00 → UTC+02:00");
        assertThat(ui.present("#err-cron")).isFalse();
        checkPage("schedule-new");
        assertNoConsoleErrorsBut("/api/v1/schedules/preview 400");

        new Select(ui.find("#schedule-overlap")).selectByValue("skip");
        ui.click("form.schedule-form button[type=submit]");
        DashboardBrowser.eventually(() -> ui.path().startsWith("/schedules/sch"));
        String id = ui.path().substring("/schedules/".length());
        JsonNode saved = http.get("/api/v1/schedules/" + id, bearer(adminKey)).json();
        assertThat(saved.get("cron").asText()).isEqualTo("0 9 * 3 0");
        assertThat(saved.get("timezone").asText()).isEqualTo("Europe/Berlin");
        assertThat(saved.get("overlap_policy").asText()).isEqualTo("skip");
        ui.waitForText("#main", "UTC+02:00");
        checkPage("schedule");
        assertNoConsoleErrors();

        // Edit: a wrong time zone is named next to its field and nothing is saved; then a new cron.
        ui.click("#edit-schedule");
        ui.type("#schedule-timezone", "Mars/Olympus");
        ui.waitFor("#err-timezone");
        ui.type("#schedule-timezone", "Europe/Berlin");
        ui.type("#schedule-cron", "30 6 * 10 0");
        ui.waitForText("#cron-preview", "clocks change: UTC+02:00 → UTC+01:00");
        ui.click("form.schedule-form button[type=submit]");
        DashboardBrowser.eventually(() -> "30 6 * 10 0".equals(http.get("/api/v1/schedules/" + id, bearer(adminKey)).json().get("cron").asText()));
        ui.waitForText("dl.facts", "30 6 * 10 0");
        assertNoConsoleErrorsBut("/api/v1/schedules/preview 400");

        // Trigger now: the history shows the fire, its lag and its job.
        ui.clickText(".page-head", "Trigger now");
        ui.waitFor("#main table a[href^='/jobs/job_']");
        assertThat(ui.find("#main table").getText()).contains("manual").contains("started").contains("ms");

        // Disable with the switch.
        ui.click("#enabled-" + id);
        DashboardBrowser.eventually(() -> !http.get("/api/v1/schedules/" + id, bearer(adminKey)).json().get("enabled").asBoolean());
        ui.waitForText(".page-head", "disabled");
        ui.waitForText("#main", "Disabled: it does not fire.");
        time("/schedules/{id}", "/schedules/" + id, "#main table a[href^='/jobs/job_']");

        ui.go("/schedules");
        ui.waitFor("table tr[data-key='" + id + "']");
        assertThat(ui.find("table tr[data-key='" + id + "']").getText()).contains("Nightly export").contains("30 6 * 10 0")
                .contains("Europe/Berlin").contains("disabled");
        String csv = ui.find(".page-head a[download]").getAttribute("href");
        assertThat(http.get(csv.substring(csv.indexOf("/api/")), bearer(adminKey)).body()).as("Export CSV")
                .contains(id + ",Berlin Sundays in March," + workflowId + ",Default,30 6 * 10 0,Europe/Berlin,false,,,");
        ui.click("#enabled-" + id);
        DashboardBrowser.eventually(() -> http.get("/api/v1/schedules/" + id, bearer(adminKey)).json().get("enabled").asBoolean());
        ui.waitForText("table tr[data-key='" + id + "']", "UTC+0");
        checkPage("schedules");
        assertNoConsoleErrors();
        time("/schedules (1 schedule)", "/schedules", "table tr[data-key='" + id + "'] ol.fires");
    }

    @Test
    @Order(2)
    void an_operator_creates_a_webhook_sees_its_secret_once_disables_and_deletes_it() {
        signInAs("olga");
        time("/webhooks (empty)", "/webhooks", "#new-webhook");
        ui.click("#new-webhook");
        ui.type("#webhook-name", "Order received");
        ui.type("#webhook-path", "/order");
        ui.click("form button[type=submit]");
        ui.waitFor("#new-secret");
        String secret = ui.find("#new-secret").getAttribute("value");
        assertThat(secret).startsWith("whsec_");
        assertThat(ui.find("#new-url").getAttribute("value")).contains("/webhooks/wh_");
        ui.waitFor("#main table tbody tr");
        checkPage("webhook-created");
        assertNoConsoleErrors();

        JsonNode listed = http.get("/api/v1/webhooks", bearer(adminKey)).json().get("items").get(0);
        String id = listed.get("id").asText();
        assertThat(listed.has("secret")).as("never again from the API").isFalse();
        assertThat(ui.find("table tr[data-key='" + id + "']").getText()).contains("Nightly export").contains(listed.get("url").asText());
        ui.click("#secret-done");
        DashboardBrowser.eventually(() -> !ui.present("#new-secret"));
        assertThat(ui.find("#main").getText()).doesNotContain(secret);
        ui.go("/webhooks");
        ui.waitFor("table tr[data-key='" + id + "']");
        assertThat(String.valueOf(ui.script("return document.documentElement.outerHTML + JSON.stringify(localStorage) + JSON.stringify(sessionStorage)")))
                .as("the secret is kept nowhere").doesNotContain(secret);

        ui.click("table tr[data-key='" + id + "'] button[data-action=toggle]");
        DashboardBrowser.eventually(() -> !http.get("/api/v1/webhooks/" + id, bearer(adminKey)).json().get("enabled").asBoolean());
        ui.waitForText("table tr[data-key='" + id + "']", "disabled");
        checkPage("webhooks");
        assertNoConsoleErrors();
        time("/webhooks (1 webhook)", "/webhooks", "table tr[data-key='" + id + "']");

        ui.click("table tr[data-key='" + id + "'] button[data-action=delete]");
        ui.waitFor("dialog");
        ui.clickText("dialog", "Delete");
        DashboardBrowser.eventually(() -> http.get("/api/v1/webhooks/" + id, bearer(adminKey)).status() == 404);
        ui.waitForPageText("No webhook yet.");
        assertNoConsoleErrors();
    }

    @Test
    @Order(3)
    void a_viewer_sees_no_create_toggle_or_trigger_and_the_api_refuses_them() {
        Http.Response schedule = http.post("/api/v1/schedules", "{\"name\":\"Viewer's view\",\"workflow_id\":\"" + workflowId
                + "\",\"cron\":\"0 9 * * 1-5\",\"timezone\":\"UTC\"}", bearer(adminKey));
        assertThat(schedule.status()).as(schedule.body()).isEqualTo(201);
        String id = schedule.json().get("id").asText();
        Http.Response webhook = http.post("/api/v1/webhooks", "{\"name\":\"Viewer's hook\",\"workflow_id\":\"" + workflowId + "\"}", bearer(adminKey));
        assertThat(webhook.status()).as(webhook.body()).isEqualTo(201);
        signInAs("vic");

        ui.go("/schedules");
        ui.waitFor("table tr[data-key='" + id + "']");
        assertThat(ui.present("#new-schedule")).isFalse();
        assertThat(ui.present("input[role=switch]")).isFalse();
        assertThat(ui.present("button[data-action=trigger]")).isFalse();
        ui.go("/schedules/" + id);
        ui.waitFor("dl.facts");
        assertThat(ui.present(".page-head button")).isFalse();
        checkPage("schedule-viewer");
        assertNoConsoleErrors();
        ui.go("/webhooks");
        ui.waitFor("#main table tbody tr");
        assertThat(ui.present("#new-webhook")).isFalse();
        assertThat(ui.present("button[data-action]")).isFalse();
        assertNoConsoleErrors();

        Map<String, String> vic = tokenOf("vic");
        assertThat(http.post("/api/v1/schedules", "{\"name\":\"No\",\"workflow_id\":\"" + workflowId + "\",\"cron\":\"@daily\"}", vic).status())
                .isEqualTo(403);
        assertThat(http.post("/api/v1/schedules/" + id + "/disable", "", vic).status()).isEqualTo(403);
        assertThat(http.post("/api/v1/schedules/" + id + "/trigger", "", vic).status()).isEqualTo(403);
        assertThat(http.post("/api/v1/webhooks", "{\"name\":\"No\",\"workflow_id\":\"" + workflowId + "\"}", vic).status()).isEqualTo(403);
    }

}
