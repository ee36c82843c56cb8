package com.casarerpa.orchestrator.dashboard;

import static com.casarerpa.orchestrator.testing.People.bearer;
import static org.assertj.core.api.Assertions.assertThat;

import com.casarerpa.orchestrator.domain.ExecutionFlow;
import com.casarerpa.orchestrator.testing.DashboardBrowser;
import com.casarerpa.orchestrator.testing.Http;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * The workflow pages in a real browser: deploying workflow files through the page (a real
 * CasareRPA file, and one with execution and data wires, into a chosen folder), an invalid file
 * refused next to the field, a version's graph drawn as SVG with its wires told apart, run now
 * with variables (invalid JSON refused before sending, the server's 400 next to the field, a job
 * made and its page reached), and a viewer who sees no deploy or run and is refused by the API.
 */
class WorkflowPagesTest extends DashboardPages {
    private static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    void start() {
        person("otto", "operator", "developer");
        person("vera", "viewer");
        Http.Response folder = http.post("/api/v1/folders", "{\"name\":\"Finance\",\"parent\":\"root\"}", bearer(adminKey));
        assertThat(folder.status()).as(folder.body()).isEqualTo(201);
    }

    @Test
    @Order(1)
    void an_operator_deploys_files_and_sees_the_graph_with_its_execution_and_data_wires() throws Exception {
        signInAs("otto");
        time("/workflows (empty)", "/workflows", "#deploy-file");
        ui.waitForPageText("Deploy a workflow: casare-rpa orchestrator deploy FILE");

        // A real CasareRPA file (no StartNode; positions from the designer), into the folder chosen.
        ui.find("#deploy-file").sendKeys(resource("/workflows/batch_2_2_xml.json").toString());
        ui.waitForText("#deploy-file + .hint", "2 nodes, 1 connections");
        assertThat(ui.find("#deploy-name").getAttribute("value")).as("the file's name").isEqualTo("Batch 2.2 - XML Parsing");
        new org.openqa.selenium.support.ui.Select(ui.find("#deploy-folder")).selectByVisibleText("Default/Finance");
        ui.click("form.deploy button[type=submit]");
        DashboardBrowser.eventually(() -> ui.path().startsWith("/workflows/wf_"));
        ui.waitFor(".graph svg");
        assertThat(ui.all(".graph g.node")).hasSize(2);
        assertThat(ui.all(".graph path.wire.exec")).hasSize(1);
        JsonNode batch = http.get("/api/v1/workflows/Batch%202.2%20-%20XML%20Parsing", bearer(adminKey)).json();
        assertThat(batch.at("/folder/path").asText()).isEqualTo("Default/Finance");

        // A file whose wires carry data too.
        JsonNode file = JSON.readTree(resource("/dashboard/greeting-with-data-wires.json").toFile());
        ui.go("/workflows");
        ui.waitFor("#deploy-file").sendKeys(resource("/dashboard/greeting-with-data-wires.json").toString());
        ui.waitForText("#deploy-file + .hint", "7 nodes, 8 connections");
        ui.click("form.deploy button[type=submit]");
        DashboardBrowser.eventually(() -> ui.present(".graph g.node[data-node=who]"));
        String id = ui.path().replaceAll("^/workflows/([^?]+).*$", "$1");

        int execWires = 0;
        int dataWires = 0;
        for (JsonNode c : file.get("connections")) {
            if (ExecutionFlow.isExecutionConnection(c.get("source_port").asText(), c.get("target_port").asText())) {
                execWires++;
            } else {
                dataWires++;
            }
        }
        assertThat(execWires).isEqualTo(5);
        assertThat(dataWires).isEqualTo(3);
        assertThat(ui.all(".graph g.node")).hasSize(file.get("nodes").size());
        assertThat(ui.all(".graph path.wire.exec")).hasSize(execWires);
        assertThat(ui.all(".graph path.wire.data")).hasSize(dataWires);
        assertThat(ui.script("return getComputedStyle(document.querySelector('.graph path.wire.data')).strokeDasharray"))
                .as("data wires dashed").isNotEqualTo("none");
        assertThat(ui.script("return getComputedStyle(document.querySelector('.graph path.wire.exec')).strokeDasharray"))
                .as("execution wires solid").isEqualTo("none");
        assertThat(ui.script("return getComputedStyle(document.querySelector('.graph path.wire.data')).stroke"))
                .as("data wires in another colour").isNotEqualTo(
                        ui.script("return getComputedStyle(document.querySelector('.graph path.wire.exec')).stroke"));
        assertThat(ui.find(".graph g.node[data-node=greet]").getText()).contains("greet").contains("FormatStringNode");
        assertThat(ui.find("details.graph-text summary").getText()).contains("7 nodes, 5 execution wires, 3 data wires");

        // Keyboard: Tab reaches a node, Enter shows its settings.
        ui.script("document.querySelector('.graph g.node[data-node=greet]').focus()");
        ui.find(".graph g.node[data-node=greet]").sendKeys(org.openqa.selenium.Keys.ENTER);
        ui.waitForText(".node-detail", "Hello, {name}!");

        checkPage("workflow");
        assertNoConsoleErrors();
        time("/workflows/{id} (graph of 7 nodes)", "/workflows/" + id, ".graph g.node");

        ui.go("/workflows");
        ui.waitFor("table tr[data-key='" + id + "']");
        assertThat(ui.find("#main table").getText()).contains("Greeting with data wires").contains("Default/Finance").contains("v1");
        JsonNode listed = http.get("/api/v1/workflows", bearer(adminKey)).json().get("items").get(0);
        if (listed.has("health")) { // the overview's workflow health, once merged
            assertThat(ui.find("#main table thead").getText()).contains("Health").contains("Jobs, 24 h");
        } else {
            assertThat(ui.find("#main table thead").getText()).doesNotContain("Health");
        }
        ui.type("#workflow-q", "greeting");
        DashboardBrowser.eventually(() -> ui.all("#main tbody tr").size() == 1);
        String csv = ui.find(".page-head a[download]").getAttribute("href");
        assertThat(csv).contains("/api/v1/workflows?").contains("q=greeting").contains("format=csv");
        assertThat(http.get(csv.substring(csv.indexOf("/api/")), bearer(adminKey)).body().lines().skip(1))
                .as("Export CSV: the search shown").singleElement().asString().startsWith(id + ",Greeting with data wires,");
        checkPage("workflows");
        assertNoConsoleErrors();
        time("/workflows (2 workflows)", "/workflows", "table tr[data-key='" + id + "']");
    }

    @Test
    @Order(2)
    void an_invalid_file_is_refused_next_to_the_field_and_nothing_is_stored() throws IOException {
        signInAs("otto");
        Path broken = workDir.resolve("broken.json");
        Files.writeString(broken, "{\"metadata\":{\"name\":\"Broken\"},\"nodes\":{\"a\":{\"node_id\":\"a\",\"node_type\":\"StartNode\"}},"
                + "\"connections\":[{\"source_node\":\"a\",\"source_port\":\"exec_out\",\"target_node\":\"nowhere\",\"target_port\":\"exec_in\"}]}");
        ui.go("/workflows");
        ui.waitFor("#deploy-file").sendKeys(broken.toString());
        ui.waitForText("#deploy-file + .hint", "1 nodes");
        ui.click("form.deploy button[type=submit]");
        ui.waitForText("#err-workflow_data", "connections[0].target_node");
        assertThat(ui.find("#deploy-file").getAttribute("aria-invalid")).isEqualTo("true");
        assertThat(http.get("/api/v1/workflows/Broken", bearer(adminKey)).status()).isEqualTo(404);

        Path notJson = workDir.resolve("notes.json");
        Files.writeString(notJson, "nodes: start");
        ui.find("#deploy-file").sendKeys(notJson.toString());
        ui.waitForText("#err-workflow_data", "notes.json is not a workflow file");
        checkPage("workflows-deploy-refused");
        assertNoConsoleErrorsBut("/api/v1/workflows 400");
    }

    @Test
    @Order(3)
    void run_now_refuses_invalid_json_before_sending_shows_the_server_error_and_lands_on_the_job() {
        signInAs("otto");
        String id = deployByApi("Run me");
        ui.go("/workflows/" + id);
        ui.waitFor("#run-variables");
        DashboardBrowser.eventually(() -> ui.find("#run-variables").getAttribute("value").contains("\"name\": \"world\""));
        assertThat(ui.find("#run-variables").getAttribute("value")).as("sensitive defaults are left out").doesNotContain("api_token");
        assertThat(ui.find("#run-variables-hint").getText()).contains("api_token is sensitive");

        ui.type("#run-variables", "{\n  \"name\": \"Ada\",\n  \"n\": }");
        ui.waitForText("#err-variables-json", "line 3, column");
        assertThat(ui.find("#run-variables").getAttribute("aria-invalid")).isEqualTo("true");
        ui.click("#run button[type=submit]");
        assertThat(jobsOf(id)).as("refused before sending").isZero();

        // Valid JSON the server refuses (variables over 1 MB): its error next to the field.
        ui.script("const t = document.querySelector('#run-variables'); t.value = JSON.stringify({big: 'x'.repeat(1100000)});"
                + " t.dispatchEvent(new Event('input', {bubbles: true}));");
        DashboardBrowser.eventually(() -> !ui.present("#err-variables-json"));
        ui.click("#run button[type=submit]");
        ui.waitForText("#err-variables", "at most 1048576 bytes");
        assertThat(jobsOf(id)).isZero();
        checkPage("workflow-run-refused");
        assertNoConsoleErrorsBut("/api/v1/jobs 400");

        ui.type("#run-variables", "{\"name\": \"Ada\"}");
        ui.click("#run button[type=submit]");
        DashboardBrowser.eventually(() -> ui.path().startsWith("/jobs/job_"));
        String jobId = ui.path().substring("/jobs/".length());
        JsonNode job = http.get("/api/v1/jobs/" + jobId, bearer(adminKey)).json();
        assertThat(job.get("workflow_id").asText()).isEqualTo(id);
        assertThat(job.at("/variables/name").asText()).isEqualTo("Ada");
        drainConsoleOfTheJobPageWhileItIsNotOnThisBranch();
    }

    @Test
    @Order(4)
    void a_viewer_sees_no_deploy_or_run_and_the_api_refuses_them() {
        String id = deployByApi("Viewer sees me");
        signInAs("vera");
        ui.go("/workflows");
        ui.waitFor("table tr[data-key='" + id + "']");
        assertThat(ui.present("#deploy-file")).isFalse();
        assertThat(ui.find("#main").getText()).doesNotContain("Deploy a workflow");
        ui.go("/workflows/" + id);
        ui.waitFor(".graph g.node");
        assertThat(ui.present("#run-variables")).isFalse();
        assertThat(ui.present("#deploy-file")).isFalse();
        assertThat(ui.find(".page-head").getText()).doesNotContain("Run now").doesNotContain("Deploy");
        checkPage("workflow-viewer");
        assertNoConsoleErrors();

        Map<String, String> vera = tokenOf("vera");
        assertThat(http.post("/api/v1/jobs", "{\"workflow_id\":\"" + id + "\"}", vera).status()).isEqualTo(403);
        assertThat(http.post("/api/v1/workflows", "{\"name\":\"Viewer sees me\",\"workflow_data\":{\"nodes\":{\"s\":{\"node_type\":\"StartNode\"}}}}",
                vera).status()).isEqualTo(403);
    }


    @Test
    @Order(5)
    void a_workflow_without_positions_is_laid_out_by_its_execution_flow() {
        signInAs("vera");
        // In the file the end comes first; the execution flow runs start -> middle -> end.
        Http.Response r = http.post("/api/v1/workflows", "{\"name\":\"No positions\",\"workflow_data\":{\"nodes\":{"
                + "\"end\":{\"node_type\":\"EndNode\"},\"start\":{\"node_type\":\"StartNode\"},\"middle\":{\"node_type\":\"LogNode\"},"
                + "\"value\":{\"node_type\":\"GetVariableNode\"}},\"connections\":["
                + "{\"source_node\":\"middle\",\"source_port\":\"exec_out\",\"target_node\":\"end\",\"target_port\":\"exec_in\"},"
                + "{\"source_node\":\"start\",\"source_port\":\"exec_out\",\"target_node\":\"middle\",\"target_port\":\"exec_in\"},"
                + "{\"source_node\":\"value\",\"source_port\":\"value\",\"target_node\":\"middle\",\"target_port\":\"message\"}]}}",
                bearer(adminKey));
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        ui.go("/workflows/" + r.json().get("id").asText());
        ui.waitFor(".graph g.node[data-node=end]");
        assertThat(x("start")).isLessThan(x("middle"));
        assertThat(x("middle")).isLessThan(x("end"));
        assertThat(x("value")).as("a node with no execution wire in: the first layer").isEqualTo(x("start"));
        assertThat(ui.all(".graph path.wire.exec")).hasSize(2);
        assertThat(ui.all(".graph path.wire.data")).hasSize(1);
        assertNoConsoleErrors();
    }

    private double x(String node) {
        return ((Number) ui.script("return arguments[0].getBoundingClientRect().x", ui.find(".graph g.node[data-node=" + node + "]"))).doubleValue();
    }

    private String deployByApi(String name) {
        try {
            String data = Files.readString(resource("/dashboard/greeting-with-data-wires.json"));
            Http.Response r = http.post("/api/v1/workflows", "{\"name\":\"" + name + "\",\"workflow_data\":" + data + "}", bearer(adminKey));
            assertThat(r.status()).as(r.body()).isEqualTo(201);
            return r.json().get("id").asText();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private int jobsOf(String workflowId) {
        return http.get("/api/v1/jobs?workflow_id=" + workflowId, bearer(adminKey)).json().get("items").size();
    }

    /**
     * The job page (pages/job.js) is another helper's: until it is merged the browser logs the
     * missing module; after, this checks the job page's console like any other.
     */
    private void drainConsoleOfTheJobPageWhileItIsNotOnThisBranch() {
        if (WorkflowPagesTest.class.getResource("/dashboard/assets/pages/job.js") != null) {
            ui.waitFor("#main h1");
            assertNoConsoleErrors();
        } else {
            ui.consoleErrors();
        }
    }

    static Path resource(String name) {
        try {
            return Path.of(WorkflowPagesTest.class.getResource(name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
