package com.casarerpa.orchestrator.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.casarerpa.orchestrator.testing.Samples;
import com.casarerpa.orchestrator.workflow.WorkflowDefinition;
import com.casarerpa.orchestrator.workflow.WorkflowJson;
import com.casarerpa.orchestrator.workflow.WorkflowValidator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Each rule of a workflow definition, one at a time, with the path of the part at fault. */
class WorkflowValidatorTest {

    private static ObjectNode valid() {
        return (ObjectNode) WorkflowJson.parse(Samples.chain("w", "a", "b"));
    }

    private static List<WorkflowProblem> problems(JsonNode json) {
        return WorkflowValidator.validate(json);
    }

    private static ObjectNode nodes(ObjectNode w) {
        return (ObjectNode) w.get("nodes");
    }

    private static ArrayNode connections(ObjectNode w) {
        return (ArrayNode) w.get("connections");
    }

    private static ObjectNode connection(String from, String fromPort, String to, String toPort) {
        ObjectNode c = WorkflowJson.mapper().createObjectNode();
        return c.put("source_node", from).put("source_port", fromPort).put("target_node", to).put("target_port", toPort);
    }

    @ParameterizedTest
    @ValueSource(strings = {Samples.BATCH, Samples.SNIPPET})
    void both_real_sample_files_are_valid(String sample) {
        assertThat(problems(WorkflowJson.parse(Samples.text(sample)))).isEmpty();
    }

    @Test
    void a_definition_that_is_not_an_object_is_refused_at_the_root() {
        assertThat(problems(WorkflowJson.parse("[1,2]")))
                .containsExactly(new WorkflowProblem("", "a workflow must be a JSON object with \"nodes\" and \"connections\", got an array"));
    }

    @Test
    void nodes_must_be_a_non_empty_object() {
        ObjectNode missing = valid();
        missing.remove("nodes");
        ObjectNode empty = valid();
        empty.putObject("nodes");
        ObjectNode array = valid();
        array.putArray("nodes");

        assertThat(problems(missing)).singleElement().satisfies(p -> {
            assertThat(p.path()).isEqualTo("nodes");
            assertThat(p.message()).contains("non-empty object").endsWith("got nothing");
        });
        assertThat(problems(empty)).singleElement().satisfies(p -> assertThat(p.message()).endsWith("got an empty object"));
        assertThat(problems(array)).singleElement().satisfies(p -> assertThat(p.message()).endsWith("got an array"));
    }

    @Test
    void node_id_must_equal_its_key() {
        ObjectNode w = valid();
        ((ObjectNode) nodes(w).get("set0")).put("node_id", "other");

        assertThat(problems(w)).containsExactly(
                new WorkflowProblem("nodes.set0.node_id", "must equal its key \"set0\", got \"other\""));
    }

    @Test
    void node_id_may_be_left_out() {
        ObjectNode w = valid();
        ((ObjectNode) nodes(w).get("set0")).remove("node_id");

        assertThat(problems(w)).isEmpty();
    }

    @Test
    void node_type_must_be_a_non_empty_string() {
        ObjectNode w = valid();
        ((ObjectNode) nodes(w).get("set0")).remove("node_type");
        ((ObjectNode) nodes(w).get("set1")).put("node_type", " ");
        ((ObjectNode) nodes(w).get("end")).put("node_type", 7);

        assertThat(problems(w)).extracting(WorkflowProblem::path)
                .containsExactly("nodes.set0.node_type", "nodes.set1.node_type", "nodes.end.node_type");
    }

    @Test
    void a_node_must_be_an_object_and_odd_keys_are_quoted_in_the_path() {
        ObjectNode w = valid();
        nodes(w).put("a.b \"c\"", 3);

        assertThat(problems(w)).containsExactly(
                new WorkflowProblem("nodes[\"a.b \\\"c\\\"\"]", "a node must be an object, got a number"));
    }

    @Test
    void unknown_node_types_are_legal() {
        ObjectNode w = valid();
        ((ObjectNode) nodes(w).get("set0")).put("node_type", "SomeFutureBrowserNode");

        assertThat(problems(w)).isEmpty();
    }

    @Test
    void config_must_be_an_object() {
        ObjectNode w = valid();
        ((ObjectNode) nodes(w).get("set0")).put("config", "x");

        assertThat(problems(w)).containsExactly(new WorkflowProblem("nodes.set0.config", "must be an object, got a string"));
    }

    @Test
    void config_nested_deeper_than_ten_levels_is_refused_and_ten_is_fine() {
        ObjectNode ok = valid();
        ObjectNode deep = valid();
        nest((ObjectNode) nodes(ok).get("set0").get("config"), 9);
        nest((ObjectNode) nodes(deep).get("set0").get("config"), 10);

        assertThat(problems(ok)).isEmpty();
        assertThat(problems(deep)).singleElement().satisfies(p -> {
            assertThat(p.path()).isEqualTo("nodes.set0.config.n.n.n.n.n.n.n.n.n.n");
            assertThat(p.message()).isEqualTo("config is nested deeper than 10 levels");
        });
    }

    private static void nest(ObjectNode config, int levels) {
        ObjectNode at = config;
        for (int i = 0; i < levels; i++) {
            at = at.putObject("n");
        }
    }

    @Test
    void config_strings_longer_than_ten_thousand_characters_are_refused() {
        ObjectNode w = valid();
        ObjectNode config = (ObjectNode) nodes(w).get("set0").get("config");
        config.put("value", "x".repeat(10_000));
        config.putArray("list").add("y".repeat(10_001));

        assertThat(problems(w)).containsExactly(new WorkflowProblem("nodes.set0.config.list[0]",
                "a config string may have at most 10000 characters, this one has 10001"));
    }

    @Test
    void more_than_a_thousand_nodes_are_refused() {
        ObjectNode w = valid();
        for (int i = 0; i < 996; i++) { // plus the four of valid()
            nodes(w).putObject("n" + i).put("node_type", "LogNode");
        }
        assertThat(problems(w)).isEmpty(); // 1,000 exactly

        nodes(w).putObject("one_more").put("node_type", "LogNode");
        assertThat(problems(w)).containsExactly(
                new WorkflowProblem("nodes", "1001 nodes; a workflow may have at most 1000"));
    }

    @Test
    void more_than_five_thousand_connections_are_refused() {
        ObjectNode w = valid();
        nodes(w).putObject("a").put("node_type", "LogNode");
        nodes(w).putObject("b").put("node_type", "LogNode");
        for (int i = connections(w).size(); i < 5_001; i++) {
            connections(w).add(connection("a", "out" + i, "b", "in"));
        }

        assertThat(problems(w)).containsExactly(
                new WorkflowProblem("connections", "5001 connections; a workflow may have at most 5000"));
    }

    @Test
    void connections_must_be_an_array_when_present_and_may_be_left_out() {
        ObjectNode bad = valid();
        bad.put("connections", "none");
        ObjectNode absent = valid();
        absent.remove("connections");

        assertThat(problems(bad)).containsExactly(new WorkflowProblem("connections", "must be an array of connections, got a string"));
        assertThat(problems(absent)).isEmpty();
    }

    @Test
    void each_connection_needs_its_four_fields_as_strings() {
        ObjectNode w = valid();
        ((ObjectNode) connections(w).get(1)).remove("target_port");
        ((ObjectNode) connections(w).get(2)).put("source_node", 5);
        connections(w).add("start->end");

        assertThat(problems(w)).containsExactly(
                new WorkflowProblem("connections[1].target_port", "must be a non-empty string, got nothing"),
                new WorkflowProblem("connections[2].source_node", "must be a non-empty string, got a number"),
                new WorkflowProblem("connections[3]", "a connection must be an object, got a string"));
    }

    @Test
    void connections_must_refer_to_existing_nodes() {
        ObjectNode w = valid();
        connections(w).add(connection("ghost", "exec_out", "end", "exec_in"));
        connections(w).add(connection("start", "exec_out", "phantom", "exec_in"));

        assertThat(problems(w)).containsExactly(
                new WorkflowProblem("connections[3].source_node", "no node \"ghost\" in nodes"),
                new WorkflowProblem("connections[4].target_node", "no node \"phantom\" in nodes"));
    }

    @Test
    void a_node_may_not_connect_to_itself_even_by_a_data_port() {
        ObjectNode w = valid();
        connections(w).add(connection("set0", "value", "set0", "value"));

        assertThat(problems(w)).containsExactly(new WorkflowProblem("connections[3]", "connects node \"set0\" to itself"));
    }

    @Test
    void a_cycle_in_the_execution_flow_is_refused_naming_the_connection_that_closes_it() {
        ObjectNode w = valid();
        connections(w).add(connection("set1", "exec_out", "set0", "exec_in"));

        assertThat(problems(w)).singleElement().satisfies(p -> {
            assertThat(p.path()).isEqualTo("connections[3]");
            assertThat(p.message()).startsWith("closes a cycle in the execution flow (set0 -> set1 -> set0)");
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"exec_out", "true", "false", "body", "completed", "try_body", "catch_body", "finally_body",
        "default", "case_success", "ExecOut"})
    void control_ports_count_as_execution_flow(String port) {
        ObjectNode w = valid();
        connections(w).add(connection("set1", port, "set0", "input"));

        assertThat(problems(w)).extracting(WorkflowProblem::message).singleElement().asString().contains("cycle");
    }

    @Test
    void a_data_connection_backwards_is_not_a_cycle() {
        ObjectNode w = valid();
        connections(w).add(connection("set1", "value", "set0", "value"));

        assertThat(problems(w)).isEmpty();
    }

    @Test
    void a_loop_paired_through_config_is_valid_but_a_connection_back_to_the_start_is_a_cycle() {
        String loop = """
                {"nodes": {
                  "start": {"node_type": "StartNode"},
                  "loop": {"node_type": "ForLoopStartNode", "config": {"items": [1, 2, 3]}},
                  "body": {"node_type": "LogNode", "config": {"message": "{{item}}"}},
                  "loop_end": {"node_type": "ForLoopEndNode", "config": {"paired_start_id": "loop"}},
                  "end": {"node_type": "EndNode"}},
                 "connections": [
                  {"source_node": "start", "source_port": "exec_out", "target_node": "loop", "target_port": "exec_in"},
                  {"source_node": "loop", "source_port": "body", "target_node": "body", "target_port": "exec_in"},
                  {"source_node": "body", "source_port": "exec_out", "target_node": "loop_end", "target_port": "exec_in"},
                  {"source_node": "loop", "source_port": "completed", "target_node": "end", "target_port": "exec_in"}]}
                """;
        ObjectNode w = (ObjectNode) WorkflowJson.parse(loop);
        assertThat(problems(w)).isEmpty();

        connections(w).add(connection("loop_end", "exec_out", "loop", "exec_in"));
        assertThat(problems(w)).extracting(WorkflowProblem::path).containsExactly("connections[4]");
    }

    @Test
    void every_problem_is_reported_not_only_the_first() {
        ObjectNode w = valid();
        ((ObjectNode) nodes(w).get("start")).put("node_id", "x");
        ((ObjectNode) nodes(w).get("end")).remove("node_type");
        connections(w).add(connection("start", "exec_out", "nowhere", "exec_in"));

        assertThat(problems(w)).extracting(WorkflowProblem::path)
                .containsExactly("nodes.start.node_id", "nodes.end.node_type", "connections[3].target_node");
    }

    @Test
    void a_definition_over_five_megabytes_is_refused() {
        ObjectNode w = valid();
        ObjectNode config = (ObjectNode) nodes(w).get("set0").get("config");
        for (int i = 0; i < 530; i++) {
            config.put("chunk" + i, "x".repeat(10_000));
        }

        assertThatThrownBy(() -> WorkflowDefinition.of(w))
                .isInstanceOf(InvalidWorkflowException.class)
                .hasMessageContaining("a workflow may be at most 5242880 bytes (5 MB)");
    }

    @Test
    void invalid_workflow_exception_lists_every_problem_not_just_the_first() {
        ObjectNode w = valid();
        ((ObjectNode) nodes(w).get("end")).remove("node_type");
        ((ObjectNode) nodes(w).get("start")).remove("node_type");

        assertThatThrownBy(() -> WorkflowDefinition.of(w))
                .isInstanceOfSatisfying(InvalidWorkflowException.class, e -> assertThat(e.descriptions()).containsExactly(
                        "nodes.start.node_type: must be a non-empty string (the node's class, e.g. \"StartNode\"), got nothing",
                        "nodes.end.node_type: must be a non-empty string (the node's class, e.g. \"StartNode\"), got nothing"))
                .hasMessage("nodes.start.node_type: must be a non-empty string (the node's class, e.g. \"StartNode\"), got nothing; "
                        + "nodes.end.node_type: must be a non-empty string (the node's class, e.g. \"StartNode\"), got nothing");
    }

    @Test
    void past_the_cap_the_rest_are_counted_in_one_last_problem() {
        ObjectNode w = valid();
        for (int i = 0; i < WorkflowValidator.MAX_PROBLEMS + 7; i++) {
            connections(w).add(connection("start", "exec_out", "missing" + i, "exec_in"));
        }

        List<WorkflowProblem> problems = problems(w);

        assertThat(problems).hasSize(WorkflowValidator.MAX_PROBLEMS + 1);
        assertThat(problems.getFirst().path()).endsWith(".target_node");
        assertThat(problems.getLast()).isEqualTo(new WorkflowProblem("", "and 7 more problems not listed"));
    }
}
