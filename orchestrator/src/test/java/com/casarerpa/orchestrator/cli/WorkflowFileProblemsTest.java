package com.casarerpa.orchestrator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.casarerpa.orchestrator.workflow.WorkflowJson;
import com.casarerpa.orchestrator.workflow.WorkflowValidator;
import com.casarerpa.orchestrator.testing.CliHarness;
import com.casarerpa.orchestrator.testing.CliHarness.Result;
import com.casarerpa.orchestrator.testing.MigratedDatabase;
import com.casarerpa.orchestrator.testing.Samples;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a user sees for a workflow file that is wrong: a file that is not JSON is one line that
 * says where, in words rather than the JSON library's internals; an invalid workflow lists every
 * problem, one line each, so one run shows all that needs fixing.
 */
class WorkflowFileProblemsTest {
    private static final String NODE_TYPE_PROBLEM = "must be a non-empty string (the node's class, e.g. \"StartNode\"), got nothing";

    @TempDir
    Path work;

    private Result run(MigratedDatabase db, String... args) {
        return CliHarness.orchestrator(db.env(), work, args);
    }

    private static ObjectNode withoutNodeTypes(ObjectNode workflow, String... nodeIds) {
        for (String id : nodeIds) {
            ((ObjectNode) workflow.get("nodes").get(id)).remove("node_type");
        }
        return workflow;
    }

    @Test
    void a_file_that_is_not_json_is_one_line_with_line_and_column_and_no_jackson_internals() throws IOException {
        try (MigratedDatabase db = MigratedDatabase.h2(work.resolve("data"))) {
            Files.writeString(work.resolve("unclosed.json"), "{\"metadata\": {\"name\": \"x\"},\n  \"nodes\": {\n");
            Files.writeString(work.resolve("twice.json"), "{\"nodes\": {}}\n{\"nodes\": {}}\n");

            for (String command : new String[] {"deploy", "import-workflows"}) {
                Result unclosed = run(db, command, "unclosed.json");
                Result twice = run(db, command, "twice.json");

                assertThat(unclosed.exitCode()).isEqualTo(1);
                assertThat(unclosed.err()).isEqualTo("error: unclosed.json is not valid JSON: the object opened at line 2,"
                        + " column 12 is not closed at the end of the input (line 3, column 1)\n");
                assertThat(twice.exitCode()).isEqualTo(1);
                assertThat(twice.err()).isEqualTo("error: twice.json is not valid JSON: more content after the end of the JSON"
                        + " document (line 2, column 1)\n");
            }
        }
    }

    @Test
    void deploy_lists_every_problem_of_an_invalid_workflow_one_per_line() throws IOException {
        try (MigratedDatabase db = MigratedDatabase.h2(work.resolve("data"))) {
            ObjectNode workflow = withoutNodeTypes((ObjectNode) WorkflowJson.parse(Samples.chain("Broken", "a", "b")),
                    "start", "set1", "end");
            Files.writeString(work.resolve("broken.json"), WorkflowJson.compact(workflow));

            Result r = run(db, "deploy", "broken.json");

            assertThat(r.exitCode()).isEqualTo(1);
            assertThat(r.out()).isEmpty();
            assertThat(r.err()).isEqualTo("""
                    error: broken.json:
                      nodes.start.node_type: %1$s
                      nodes.set1.node_type: %1$s
                      nodes.end.node_type: %1$s
                    """.formatted(NODE_TYPE_PROBLEM));
        }
    }

    @Test
    void past_the_cap_deploy_lists_the_first_problems_and_counts_the_rest() throws IOException {
        try (MigratedDatabase db = MigratedDatabase.h2(work.resolve("data"))) {
            ObjectNode workflow = (ObjectNode) WorkflowJson.parse(Samples.chain("Broken", "a"));
            for (int i = 0; i < WorkflowValidator.MAX_PROBLEMS + 5; i++) {
                workflow.withArray("connections").addObject().put("source_node", "start").put("source_port", "exec_out")
                        .put("target_node", "gone" + i).put("target_port", "exec_in");
            }
            Files.writeString(work.resolve("broken.json"), WorkflowJson.compact(workflow));

            Result r = run(db, "deploy", "broken.json");

            assertThat(r.err().lines()).hasSize(1 + WorkflowValidator.MAX_PROBLEMS + 1);
            assertThat(r.err().lines().skip(1)).allMatch(line -> line.startsWith("  "));
            assertThat(r.err()).contains("  connections[2].target_node: no node \"gone0\" in nodes\n")
                    .endsWith("  and 5 more problems not listed\n");
        }
    }

    @Test
    void import_lists_every_problem_of_an_invalid_workflow_in_the_export() throws IOException {
        try (MigratedDatabase source = MigratedDatabase.h2(work.resolve("source"));
                MigratedDatabase target = MigratedDatabase.h2(work.resolve("target"))) {
            Files.writeString(work.resolve("w.json"), Samples.chain("Report", "a"));
            assertThat(run(source, "deploy", "w.json").exitCode()).isZero();
            assertThat(run(source, "export-workflows", "--output", "all.json").exitCode()).isZero();
            ObjectNode export = (ObjectNode) WorkflowJson.parse(Files.readString(work.resolve("all.json")));
            withoutNodeTypes((ObjectNode) export.at("/workflows/0/versions/0/workflow_data"), "start", "end");
            Files.writeString(work.resolve("all.json"), WorkflowJson.compact(export));

            Result r = run(target, "import-workflows", "all.json");

            assertThat(r.exitCode()).isEqualTo(1);
            assertThat(r.err()).isEqualTo("""
                    error: invalid workflow:
                      workflows[0].versions[0].workflow_data.nodes.start.node_type: %1$s
                      workflows[0].versions[0].workflow_data.nodes.end.node_type: %1$s
                    """.formatted(NODE_TYPE_PROBLEM));
        }
    }
}
