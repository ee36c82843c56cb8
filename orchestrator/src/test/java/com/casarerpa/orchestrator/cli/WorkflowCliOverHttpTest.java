package com.casarerpa.orchestrator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.casarerpa.orchestrator.api.WorkflowApiServer;
import com.casarerpa.orchestrator.workflow.WorkflowJson;
import com.casarerpa.orchestrator.testing.CliHarness;
import com.casarerpa.orchestrator.testing.CliHarness.Result;
import com.casarerpa.orchestrator.testing.Http;
import com.casarerpa.orchestrator.testing.MigratedDatabase;
import com.casarerpa.orchestrator.testing.RecordingAuditTrail;
import com.casarerpa.orchestrator.testing.Samples;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The workflow commands against running servers (--url / CASARE_SERVER_URL), sending the API key. */
class WorkflowCliOverHttpTest {
    @TempDir
    Path work;

    private MigratedDatabase firstDb;
    private MigratedDatabase secondDb;
    private WorkflowApiServer first;
    private WorkflowApiServer second;

    @BeforeEach
    void start() {
        firstDb = MigratedDatabase.h2(work.resolve("first"));
        secondDb = MigratedDatabase.postgres();
        first = new WorkflowApiServer(firstDb);
        second = new WorkflowApiServer(secondDb);
    }

    @AfterEach
    void stop() {
        first.close();
        second.close();
        firstDb.close();
        secondDb.close();
    }

    /** No database in the environment: a command that touched one would fail on an uninitialised H2. */
    private Result run(Map<String, String> env, String... args) {
        Map<String, String> all = new java.util.HashMap<>(env);
        all.put("CASARE_DATA_DIR", work.resolve("must-not-be-used").toString());
        return CliHarness.orchestrator(all, work, args);
    }

    @Test
    void deploy_export_and_import_go_through_the_api_with_the_key() throws IOException {
        Files.writeString(work.resolve("batch.json"), Samples.text(Samples.BATCH));
        Files.writeString(work.resolve("snippet.json"), Samples.text(Samples.SNIPPET));

        Result deployed = run(Map.of(), "deploy", "batch.json", "--url", first.url(), "--api-key", "crpa_first", "--tag", "xml");
        Result nowhere = run(Map.of(), "deploy", "snippet.json", "--url", first.url(), "--folder", "Default/Nowhere");
        assertThat(nowhere.exitCode()).as(nowhere.toString()).isEqualTo(1);
        assertThat(nowhere.err()).hasLineCount(1).contains("400 invalid_request: folder: no folder with id or path");
        Result viaEnv = run(Map.of("CASARE_SERVER_URL", first.url(), "CASARE_API_KEY", "crpa_env"), "deploy", "snippet.json", "--json");

        assertThat(deployed.exitCode()).as(deployed.toString()).isZero();
        assertThat(deployed.out()).startsWith("Deployed \"Batch 2.2 - XML Parsing\" as wf_");
        assertThat(WorkflowJson.parse(viaEnv.out()).get("workflow_data")).isEqualTo(WorkflowJson.parse(Samples.text(Samples.SNIPPET)));
        assertThat(first.audit.entries()).extracting(e -> e.actor().id()).containsExactly("crpa_first", "crpa_env");
        assertThat(first.audit.entries()).extracting(RecordingAuditTrail.Entry::action).containsOnly("workflow.deploy");

        Result exported = run(Map.of(), "export-workflows", "--output", "all.json", "--url", first.url(), "--api-key", "k");
        Result one = run(Map.of(), "export-workflow", "Batch 2.2 - XML Parsing", "--output", "one.json", "--url", first.url());
        Result imported = run(Map.of(), "import-workflows", "all.json", "--url", second.url(), "--api-key", "crpa_admin");

        assertThat(exported.exitCode()).as(exported.toString()).isZero();
        assertThat(exported.out()).isEqualTo("Exported 2 workflows (2 versions) to all.json.\n");
        assertThat(one.exitCode()).as(one.toString()).isZero();
        assertThat(imported.exitCode()).as(imported.toString()).isZero();
        assertThat(imported.out()).contains("Imported 2 workflows, skipped 0 identical, into " + second.url());
        JsonNode a = WorkflowJson.parse(second.http.get("/api/v1/workflows/export").body());
        JsonNode b = WorkflowJson.parse(Files.readString(work.resolve("all.json")));
        assertThat(a.get("workflows")).isEqualTo(b.get("workflows"));
        assertThat(second.audit.entries()).extracting(e -> e.action() + " " + e.actor().id())
                .containsExactly("workflow.import crpa_admin", "workflow.import crpa_admin");
    }

    @Test
    void errors_of_the_server_and_of_the_network_are_one_line() throws IOException {
        Files.writeString(work.resolve("w.json"), Samples.text(Samples.BATCH));
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }

        Result unreachable = run(Map.of(), "deploy", "w.json", "--url", "http://127.0.0.1:" + closedPort);
        Result notFound = run(Map.of(), "export-workflow", "nope", "--output", "x.json", "--url", first.url());
        Result badUrl = run(Map.of(), "export-workflows", "--output", "x.json", "--url", "ftp://example");
        Result keyWithoutUrl = run(Map.of(), "export-workflows", "--output", "x.json", "--api-key", "k");

        assertThat(unreachable.exitCode()).isEqualTo(1);
        assertThat(unreachable.err()).isEqualTo("error: cannot reach the orchestrator at http://127.0.0.1:" + closedPort
                + " (connection refused)\n");
        assertThat(notFound.exitCode()).isEqualTo(1);
        assertThat(notFound.err()).startsWith("error: the orchestrator at " + first.url() + " refused the export: 404 not_found:")
                .hasLineCount(1);
        assertThat(badUrl.exitCode()).isEqualTo(2);
        assertThat(badUrl.err()).hasLineCount(1).contains("the API URL must look like http://host:8000");
        assertThat(keyWithoutUrl.exitCode()).isEqualTo(2);
        assertThat(keyWithoutUrl.err()).hasLineCount(1).contains("--api-key needs --url");
        assertThat(Files.exists(work.resolve("must-not-be-used"))).isFalse();
    }

    @Test
    void an_import_the_server_refuses_for_several_problems_lists_them_all() throws IOException {
        Files.writeString(work.resolve("w.json"), Samples.chain("Report", "a"));
        assertThat(run(Map.of(), "deploy", "w.json", "--url", first.url()).exitCode()).isZero();
        assertThat(run(Map.of(), "export-workflows", "--output", "all.json", "--url", first.url()).exitCode()).isZero();
        ObjectNode export = (ObjectNode) WorkflowJson.parse(Files.readString(work.resolve("all.json")));
        ObjectNode nodes = (ObjectNode) export.at("/workflows/0/versions/0/workflow_data/nodes");
        ((ObjectNode) nodes.get("start")).remove("node_type");
        ((ObjectNode) nodes.get("end")).remove("node_type");
        Files.writeString(work.resolve("all.json"), WorkflowJson.compact(export));

        Result r = run(Map.of(), "import-workflows", "all.json", "--url", second.url());

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("""
                error: the orchestrator at %1$s refused the import (400 invalid_request):
                  workflows[0].versions[0].workflow_data.nodes.start.node_type: %2$s
                  workflows[0].versions[0].workflow_data.nodes.end.node_type: %2$s
                """.formatted(second.url(), "must be a non-empty string (the node's class, e.g. \"StartNode\"), got nothing"));
    }

    @Test
    void malformed_json_sent_to_the_server_is_a_400_that_says_where_in_words() {
        Http.Response r = first.http.post("/api/v1/workflows", "{\"name\": \"x\",\n \"workflow_data\": {", Map.of());

        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().at("/error/message").asText()).isEqualTo("body: not valid JSON: the object opened at line 2,"
                + " column 19 is not closed at the end of the input (line 2, column 20)");
    }
}
