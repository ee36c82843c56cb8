package com.casarerpa.orchestrator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.casarerpa.orchestrator.workflow.WorkflowJson;
import com.casarerpa.orchestrator.testing.CliHarness;
import com.casarerpa.orchestrator.testing.CliHarness.Result;
import com.casarerpa.orchestrator.testing.MigratedDatabase;
import com.casarerpa.orchestrator.store.Jdbi3;
import com.casarerpa.orchestrator.testing.Samples;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** deploy, export-workflows, export-workflow and import-workflows against the database (no server). */
class WorkflowCliTest {
    @TempDir
    Path work;

    private Result run(MigratedDatabase db, String... args) {
        return CliHarness.orchestrator(db.env(), work, args);
    }

    private Path file(String name, String content) throws IOException {
        return Files.writeString(work.resolve(name), content);
    }

    private static void assertOk(Result r) {
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.err()).as(r.toString()).isEmpty();
    }

    /** A failure is one line on stderr starting with "error: ", nothing on stdout, no stack trace. */
    private static String assertOneErrorLine(Result r, int exitCode) {
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(exitCode);
        assertThat(r.err().lines()).as(r.toString()).hasSize(1).first().asString().startsWith("error: ");
        assertThat(r.out()).as(r.toString()).isEmpty();
        return r.err().strip();
    }

    private JsonNode export(MigratedDatabase db, String name) throws IOException {
        assertOk(run(db, "export-workflows", "--output", name));
        return WorkflowJson.parse(Files.readString(work.resolve(name)));
    }

    /** Deploys both samples and a second version of one, exports, imports into an empty database, compares. */
    private void round_trip(Supplier<MigratedDatabase> source, Supplier<MigratedDatabase> target) throws IOException {
        try (MigratedDatabase from = source.get(); MigratedDatabase to = target.get()) {
            file("batch.json", Samples.text(Samples.BATCH));
            file("snippet.json", Samples.text(Samples.SNIPPET));
            file("chain.json", Samples.chain("Snippet with 2 nodes", "a"));
            assertOk(run(from, "deploy", "batch.json", "--tag", "xml", "--description", "batch test"));
            assertOk(run(from, "deploy", "snippet.json"));
            assertOk(run(from, "deploy", "chain.json"));
            JsonNode exported = export(from, "all.json");
            assertThat(exported.get("workflows")).hasSize(2);

            Result imported = run(to, "import-workflows", "all.json");

            assertOk(imported);
            assertThat(imported.out()).contains("Imported 2 workflows, skipped 0 identical");
            JsonNode back = export(to, "back.json");
            assertThat(back.get("workflows")).isEqualTo(exported.get("workflows"));
            assertThat(back.at("/workflows/1/versions/0/workflow_data")).isEqualTo(WorkflowJson.parse(Samples.text(Samples.SNIPPET)));
            assertThat(back.at("/workflows/1/versions/1/version").asInt()).isEqualTo(2);

            Result again = run(to, "import-workflows", "all.json");
            assertOk(again);
            assertThat(again.out()).contains("Skipped ").contains("already here, identical")
                    .contains("Imported 0 workflows, skipped 2 identical");
        }
    }

    @Test
    void export_from_postgres_imports_into_an_empty_h2_database_identically() throws IOException {
        round_trip(MigratedDatabase::postgres, () -> MigratedDatabase.h2(work.resolve("h2-target")));
    }

    @Test
    void export_from_h2_imports_into_an_empty_postgres_database_identically() throws IOException {
        round_trip(() -> MigratedDatabase.h2(work.resolve("h2-source")), MigratedDatabase::postgres);
    }

    @Test
    void deploy_prints_what_it_deployed_and_names_default_to_the_file() throws IOException {
        try (MigratedDatabase db = MigratedDatabase.h2(work.resolve("data"))) {
            file("batch.json", Samples.text(Samples.BATCH));
            file("snippet.json", Samples.text(Samples.SNIPPET));
            file("no-name.json", "{\"nodes\":{\"s\":{\"node_type\":\"StartNode\"}}}");

            Result first = run(db, "deploy", "batch.json");
            Result second = run(db, "deploy", "batch.json");
            Result snippet = run(db, "deploy", "snippet.json", "--json");
            Result unnamed = run(db, "deploy", "no-name.json");
            Result renamed = run(db, "deploy", "no-name.json", "--name", "Chosen");

            assertOk(first);
            assertThat(first.out()).matches("Deployed \"Batch 2.2 - XML Parsing\" as wf_[a-z0-9]{16} version 1 \\(new workflow;"
                    + " 2 nodes, \\d+ bytes, sha256 [0-9a-f]{12}\\)\\.\\n");
            assertThat(second.out()).contains("version 2 (new version; versions 1 to 1 kept;");
            assertOk(snippet);
            JsonNode json = WorkflowJson.parse(snippet.out());
            assertThat(json.get("name").asText()).isEqualTo("Snippet with 2 nodes");
            assertThat(json.get("created_by").asText()).startsWith("cli:");
            assertThat(json.get("workflow_data")).isEqualTo(WorkflowJson.parse(Samples.text(Samples.SNIPPET)));
            assertThat(unnamed.out()).contains("\"no-name\"");
            assertThat(renamed.out()).contains("\"Chosen\"");
        }
    }

    @Test
    void export_workflow_writes_one_workflow_that_imports_elsewhere() throws IOException {
        try (MigratedDatabase a = MigratedDatabase.h2(work.resolve("a")); MigratedDatabase b = MigratedDatabase.h2(work.resolve("b"))) {
            file("w.json", Samples.chain("Report", "one"));
            assertOk(run(a, "deploy", "w.json"));
            file("w.json", Samples.chain("Report", "one", "two"));
            assertOk(run(a, "deploy", "w.json"));

            Result all = run(a, "export-workflow", "Report", "--output", "report.json");
            Result v1 = run(a, "export-workflow", "Report", "--output", "report-v1.json", "--version", "1");

            assertOk(all);
            assertThat(all.out()).matches("Exported workflow wf_\\w+ \\(\"Report\", 2 versions\\) to report.json.\\n");
            assertOk(v1);
            assertOk(run(b, "import-workflows", "report-v1.json"));
            JsonNode inB = export(b, "b.json");
            assertThat(inB.at("/workflows/0/versions")).hasSize(1);
            assertThat(inB.at("/workflows/0/versions/0/workflow_data")).isEqualTo(WorkflowJson.parse(Samples.chain("Report", "one")));
            assertThat(assertOneErrorLine(run(a, "export-workflow", "Report", "--output", "x.json", "--version", "7"), 1))
                    .contains("has no version 7");
            assertThat(assertOneErrorLine(run(a, "export-workflow", "Nope", "--output", "x.json"), 1))
                    .contains("No workflow with id or name \"Nope\"");
            Result conflict = run(b, "import-workflows", "report.json");
            assertThat(assertOneErrorLine(conflict, 1)).contains("clash").contains("nothing was imported");
        }
    }

    @Test
    void bad_workflow_files_get_one_line_and_a_non_zero_exit() throws IOException {
        try (MigratedDatabase db = MigratedDatabase.h2(work.resolve("data"))) {
            file("not-json.json", "{\"nodes\": {");
            file("empty.json", "  ");
            file("array.json", "[1, 2]");
            file("bad-shape.json", "{\"nodes\":{\"a\":{\"node_id\":\"b\",\"node_type\":\"StartNode\"}}}");
            file("export.json", "{\"format\":\"casare-rpa-workflows\",\"format_version\":1,\"workflows\":[]}");
            Files.createDirectory(work.resolve("dir.json"));
            Path big = work.resolve("big.json");
            Files.writeString(big, "{\"nodes\":{},\"pad\":\"" + "x".repeat(5 * 1024 * 1024) + "\"}");

            assertThat(assertOneErrorLine(run(db, "deploy", "missing.json"), 1)).isEqualTo("error: cannot read missing.json: no such file");
            assertThat(assertOneErrorLine(run(db, "deploy", "not-json.json"), 1))
                    .startsWith("error: not-json.json is not valid JSON: ").contains("line 1");
            assertThat(assertOneErrorLine(run(db, "deploy", "empty.json"), 1)).contains("empty.json is empty");
            assertThat(assertOneErrorLine(run(db, "deploy", "array.json"), 1))
                    .isEqualTo("error: array.json: a workflow must be a JSON object with \"nodes\" and \"connections\", got an array");
            assertThat(assertOneErrorLine(run(db, "deploy", "bad-shape.json"), 1))
                    .isEqualTo("error: bad-shape.json: nodes.a.node_id: must equal its key \"a\", got \"b\"");
            assertThat(assertOneErrorLine(run(db, "deploy", "export.json"), 1)).contains("import-workflows export.json");
            assertThat(assertOneErrorLine(run(db, "deploy", "dir.json"), 1)).contains("is a directory");
            assertThat(Files.size(big)).isGreaterThan(5L * 1024 * 1024);
            assertThat(assertOneErrorLine(run(db, "deploy", "big.json"), 1))
                    .isEqualTo("error: big.json is 5.0 MB; a workflow file may be at most 5.0 MB");
            assertThat(assertOneErrorLine(run(db, "import-workflows", "bad-shape.json"), 1)).contains("format: must be");
            assertThat(assertOneErrorLine(run(db, "import-workflows", "missing.json"), 1)).contains("no such file");
            assertThat(export(db, "after.json").get("workflows")).isEmpty();
        }
    }

    @Test
    void deploy_folder_puts_a_new_workflow_in_that_folder_and_an_unknown_folder_is_one_line() throws IOException {
        try (MigratedDatabase db = MigratedDatabase.h2(work.resolve("data"))) {
            file("w.json", Samples.text(Samples.BATCH));
            Jdbi3.of(db.database()).useHandle(h -> h.execute("INSERT INTO folders (id, name, parent_id, description, created_at,"
                    + " created_by) VALUES ('fld_fin', 'Finance', 'root', '', CURRENT_TIMESTAMP, 'test')"));

            String line = assertOneErrorLine(run(db, "deploy", "w.json", "--folder", "Default/Nowhere"), 1);
            assertThat(line).startsWith("error: folder: no folder with id or path \"Default/Nowhere\"");
            Result deployed = run(db, "deploy", "w.json", "--folder", "Default/Finance");
            Result again = run(db, "deploy", "w.json", "--json");

            assertOk(deployed);
            assertThat(deployed.out()).endsWith(") in folder Default/Finance.\n");
            assertThat(WorkflowJson.parse(again.out()).at("/folder/id").asText()).isEqualTo("fld_fin");
            assertThat(export(db, "after.json").at("/workflows/0/folder/path").asText()).isEqualTo("Default/Finance");
        }
    }

    @Test
    void a_bad_schedule_trigger_is_refused_with_one_line_and_nothing_is_deployed() throws IOException {
        try (MigratedDatabase db = MigratedDatabase.h2(work.resolve("data"))) {
            file("w.json", Samples.text(Samples.BATCH));

            String line = assertOneErrorLine(run(db, "deploy", "w.json", "--trigger", "schedule", "--cron", "0 9 * * 8"), 2);

            assertThat(line).contains("day-of-week");
            assertOneErrorLine(run(db, "deploy", "w.json", "--trigger", "schedule"), 2);
            assertOneErrorLine(run(db, "deploy", "w.json", "--trigger", "schedule", "--cron", "@daily", "--timezone", "Mars/Base"), 2);
            assertOneErrorLine(run(db, "deploy", "w.json", "--cron", "0 9 * * *"), 2);
            assertOneErrorLine(run(db, "deploy", "w.json", "--trigger", "webhook"), 2);
            assertThat(export(db, "after.json").get("workflows")).isEmpty();
        }
    }

    @Test
    void an_uninitialised_database_is_refused_with_the_command_to_run() throws IOException {
        file("w.json", Samples.text(Samples.BATCH));

        Result r = CliHarness.orchestrator(Map.of("CASARE_DATA_DIR", work.resolve("fresh").toString()), work, "deploy", "w.json");

        assertThat(assertOneErrorLine(r, 1)).contains("casare-rpa orchestrator init-db");
    }

    @Test
    void casare_api_url_is_the_servers_public_url_so_the_commands_still_use_the_database() throws IOException {
        int closedPort;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        try (MigratedDatabase db = MigratedDatabase.h2(work.resolve("data"))) {
            // Set as the specification says, for the server; nothing listens there.
            Map<String, String> env = new java.util.HashMap<>(db.env());
            env.put("CASARE_API_URL", "http://127.0.0.1:" + closedPort);
            file("w.json", Samples.text(Samples.BATCH));

            Result deployed = CliHarness.orchestrator(env, work, "deploy", "w.json");
            Result exported = CliHarness.orchestrator(env, work, "export-workflows", "--output", "all.json");
            Result help = CliHarness.orchestrator(env, work, "deploy", "--help");

            assertOk(deployed);
            assertOk(exported);
            assertThat(exported.out()).contains("Exported 1 workflow");
            assertThat(help.out()).contains("CASARE_SERVER_URL");
        }
    }
}
