package com.casarerpa.engine;

import static com.casarerpa.engine.WorkflowBuilder.flow;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ControlFlowTest {
    @TempDir
    Path work;

    private ExecutionResult run(WorkflowBuilder flow) {
        return new EngineHarness(work).run(flow);
    }

    private static WorkflowBuilder ifFlow(Map<String, ?> ifConfig) {
        return flow()
                .node("start", "StartNode")
                .node("if", "IfNode", ifConfig)
                .node("yes", "SetVariableNode", Map.of("variable_name", "branch", "value", "yes"))
                .node("no", "SetVariableNode", Map.of("variable_name", "branch", "value", "no"))
                .node("join", "SetVariableNode", Map.of("variable_name", "joined", "value", "{{branch}}"))
                .then("start", "if").route("if", "true", "yes").route("if", "false", "no")
                .then("yes", "join").then("no", "join")
                .variable("name", "bob").variable("count", 5).variable("flag", true).variable("text_number", "5")
                .variable("cfg", Map.of("k", 1)).variable("items", List.of(1));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "count > 3 | yes", "count > 30 | no", "{{count}} > 3 | yes", "{{text_number}} > 3 | yes",
            "{{name}} == 'bob' | yes", "'{{name}}' == 'bob' | yes", "name == 'bob' and not (count < 2) | yes",
            "{{flag}} | yes", "flag && false | no", "true | yes", "false | no",
            "len(name) == 3 and toInt(text_number) == 5 | yes", "size(name) == 3 && !false | yes", "name =~ 'b.b' | yes", "name =^ 'b' and name =$ 'ob' and count % 2 == 1 and empty('') | yes",
            "False == false and None == null | yes", "contains(lower('BOB'), 'ob') | yes", "name.toUpperCase() == 'BOB' | yes"})
    void if_routes_by_an_expression_in_config_condition(String condition, String branch) {
        ExecutionResult r = run(ifFlow(Map.of("condition", condition)));

        assertThat(r.error()).isNull();
        assertThat(r.variables()).containsEntry("branch", branch).containsEntry("joined", branch);
        assertThat(r.executionPath()).containsExactly("start", "if", branch, "join");
    }

    @Test
    void if_reads_the_condition_port_before_config_and_the_expression_last() {
        ExecutionResult fromPort = run(flow()
                .node("start", "StartNode")
                .node("src", "SetVariableNode", Map.of("variable_name", "c", "value", false))
                .node("if", "IfNode", Map.of("condition", "true"))
                .node("no", "SetVariableNode", Map.of("variable_name", "branch", "value", "no"))
                .chain("start", "src", "if").route("if", "false", "no").wire("src", "value", "if", "condition"));
        ExecutionResult fromExpression = run(ifFlow(Map.of("expression", "count == 5")));

        assertThat(fromPort.variables()).containsEntry("branch", "no");
        assertThat(fromExpression.variables()).containsEntry("branch", "yes");
    }

    @Test
    void an_undefined_name_or_a_bad_expression_fails_the_node_with_the_expression_named() {
        ExecutionResult r = run(ifFlow(Map.of("condition", "nobody > 3")));
        ExecutionResult empty = run(ifFlow(Map.of()));

        assertThat(r.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(r.error().nodeId()).isEqualTo("if");
        assertThat(r.error().nodeType()).isEqualTo("IfNode");
        assertThat(r.error().type()).isEqualTo("ExpressionError");
        assertThat(r.error().message()).contains("nobody > 3").contains("nobody");
        assertThat(empty.error().message()).contains("no condition");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "''.getClass().forName('java.lang.Runtime')", "x = 3", "new('java.io.File', '/')",
            "count.getClass()", "var y = 1; y", "java.lang.System.exit(1)", "cfg.clear() == null", "cfg.put('k', 2) == null",
            "items.add(9)", "name.repeat(100000000)", "cfg.k = 5", "name.class"})
    void the_expression_language_is_sandboxed(String expression) {
        ExecutionResult r = run(ifFlow(Map.of("condition", expression)));

        assertThat(r.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(r.error().type()).isEqualTo("ExpressionError");
        assertThat(r.variables()).containsEntry("cfg", Map.of("k", 1)).containsEntry("items", List.of(1));
    }

    @Test
    void switch_routes_to_the_matching_case_or_default() {
        WorkflowBuilder base = flow()
                .node("start", "StartNode")
                .node("sw", "SwitchNode", Map.of("value", "{{status}}", "cases", List.of("ok", 2, "bad")))
                .node("ok", "SetVariableNode", Map.of("variable_name", "went", "value", "ok"))
                .node("two", "SetVariableNode", Map.of("variable_name", "went", "value", "two"))
                .node("other", "SetVariableNode", Map.of("variable_name", "went", "value", "default"))
                .then("start", "sw").route("sw", "case_ok", "ok").route("sw", "case_2", "two").route("sw", "default", "other");
        EngineHarness h = new EngineHarness(work);

        assertThat(h.run(base.json(), Map.of("status", "ok"), null, new Cancellation()).variables()).containsEntry("went", "ok");
        assertThat(h.run(base.json(), Map.of("status", 2), null, new Cancellation()).variables()).containsEntry("went", "two");
        assertThat(h.run(base.json(), Map.of("status", "nope"), null, new Cancellation()).variables()).containsEntry("went", "default");
    }

    @Test
    void switch_evaluates_its_expression_when_no_value_is_given() {
        ExecutionResult r = run(flow()
                .node("start", "StartNode")
                .node("sw", "SwitchNode", Map.of("expression", "count * 2", "cases", List.of(10)))
                .node("ten", "SetVariableNode", Map.of("variable_name", "went", "value", "ten"))
                .then("start", "sw").route("sw", "case_10", "ten")
                .variable("count", 5));

        assertThat(r.variables()).containsEntry("went", "ten");
    }

    @Test
    void for_loop_runs_the_body_per_item_then_completed() {
        ExecutionResult r = run(flow()
                .node("start", "StartNode")
                .node("loop", "ForLoopStartNode", Map.of("items", "{{names}}", "item_var", "who"))
                .node("add", "SetVariableNode", Map.of("variable_name", "seen", "value", "{{seen}}{{who}}{{who_index}},"))
                .node("loopEnd", "ForLoopEndNode", Map.of("paired_start_id", "loop"))
                .node("after", "SetVariableNode", Map.of("variable_name", "done", "value", "{{seen}}"))
                .then("start", "loop").route("loop", "body", "add").then("add", "loopEnd").route("loop", "completed", "after")
                .variable("names", List.of("a", "b", "c")).variable("seen", ""));

        assertThat(r.outcome()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(r.variables()).containsEntry("done", "a0,b1,c2,");
        assertThat(r.executionPath()).containsExactly("start", "loop", "add", "loopEnd", "loop", "add", "loopEnd",
                "loop", "add", "loopEnd", "loop", "after");
        assertThat(r.executedNodes()).isEqualTo(12);
    }

    @Test
    void for_loop_over_a_map_a_range_and_a_list_variable() {
        WorkflowBuilder f = flow()
                .node("start", "StartNode")
                .node("m", "ForLoopStartNode", Map.of("items", Map.of("k1", "v1")))
                .node("mBody", "SetVariableNode", Map.of("variable_name", "pair", "value", "{{item_key}}={{item}}"))
                .node("mEnd", "ForLoopEndNode", Map.of("paired_start_id", "m"))
                .node("r", "ForLoopStartNode", Map.of("mode", "range", "start", 10, "end", 0, "step", -5, "item_var", "n"))
                .node("rBody", "SetVariableNode", Map.of("variable_name", "last_n", "value", "{{n}}"))
                .node("rEnd", "ForLoopEndNode", Map.of("paired_start_id", "r"))
                .node("l", "ForLoopStartNode", Map.of("list_var", "xs", "item_var", "x"))
                .node("lBody", "IncrementVariableNode", Map.of("variable_name", "sum", "increment", "{{x}}"))
                .node("lEnd", "ForLoopEndNode", Map.of("paired_start_id", "l"))
                .then("start", "m").route("m", "body", "mBody").then("mBody", "mEnd").route("m", "completed", "r")
                .route("r", "body", "rBody").then("rBody", "rEnd").route("r", "completed", "l")
                .route("l", "body", "lBody").then("lBody", "lEnd")
                .variable("xs", List.of(1, 2, 3)).variable("sum", 0);

        ExecutionResult r = run(f);

        assertThat(r.variables()).containsEntry("pair", "k1=v1").containsEntry("last_n", 5L).containsEntry("sum", 6L);
    }

    @Test
    void nested_loops_with_break_and_continue() {
        ExecutionResult r = run(flow()
                .node("start", "StartNode")
                .node("outer", "ForLoopStartNode", Map.of("items", List.of(1, 2, 3), "item_var", "i"))
                .node("inner", "ForLoopStartNode", Map.of("items", List.of(1, 2, 3), "item_var", "j"))
                .node("skip", "IfNode", Map.of("condition", "j == 2"))
                .node("cont", "ContinueNode", Map.of("paired_loop_start_id", "inner"))
                .node("record", "SetVariableNode", Map.of("variable_name", "pairs", "value", "{{pairs}}{{i}}{{j}} "))
                .node("innerEnd", "ForLoopEndNode", Map.of("paired_start_id", "inner"))
                .node("stop", "IfNode", Map.of("condition", "i == 2"))
                .node("brk", "BreakNode", Map.of("paired_loop_start_id", "outer"))
                .node("outerEnd", "ForLoopEndNode", Map.of("paired_start_id", "outer"))
                .node("finish", "SetVariableNode", Map.of("variable_name", "after", "value", "{{i}}"))
                .then("start", "outer").route("outer", "body", "inner")
                .route("inner", "body", "skip").route("skip", "true", "cont").route("skip", "false", "record").then("record", "innerEnd")
                .route("inner", "completed", "stop").route("stop", "true", "brk").route("stop", "false", "outerEnd")
                .route("outer", "completed", "finish")
                .variable("pairs", ""));

        assertThat(r.outcome()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(r.variables()).containsEntry("pairs", "11 13 21 23 ").containsEntry("after", 2);
    }

    @Test
    void while_loop_runs_until_its_condition_is_false_or_max_iterations() {
        ExecutionResult counted = run(flow()
                .node("start", "StartNode")
                .node("w", "WhileLoopStartNode", Map.of("condition", "counter < 3"))
                .node("inc", "IncrementVariableNode", Map.of("variable_name", "counter"))
                .node("wEnd", "WhileLoopEndNode", Map.of("paired_start_id", "w"))
                .node("after", "SetVariableNode", Map.of("variable_name", "final", "value", "{{counter}}"))
                .then("start", "w").route("w", "body", "inc").then("inc", "wEnd").route("w", "completed", "after")
                .variable("counter", 0));
        EngineHarness h = new EngineHarness(work);
        ExecutionResult capped = h.run(flow()
                .node("start", "StartNode")
                .node("w", "WhileLoopStartNode", Map.of("expression", "true", "max_iterations", 4))
                .node("inc", "IncrementVariableNode", Map.of("variable_name", "counter"))
                .node("wEnd", "WhileLoopEndNode", Map.of("paired_start_id", "w"))
                .then("start", "w").route("w", "body", "inc").then("inc", "wEnd"));

        assertThat(counted.variables()).containsEntry("final", 3L).containsEntry("counter", 3L);
        assertThat(capped.outcome()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(capped.variables()).containsEntry("counter", 4L);
        assertThat(h.events.messages(LogLevel.WARNING)).anyMatch(m -> m.contains("max_iterations=4"));
    }

    @Test
    void nodes_after_end_comment_json_parse_and_format_string_follow_the_quirk_decisions() {
        ExecutionResult r = run(flow()
                .node("start", "StartNode")
                .node("comment", "CommentNode", Map.of("comment", "inline"))
                .node("set_a", "SetVariableNode", Map.of("variable_name", "a", "value", 1))
                .node("end", "EndNode")
                .node("set_never", "SetVariableNode", Map.of("variable_name", "never", "value", 1))
                .chain("start", "comment", "set_a", "end", "set_never"));

        assertThat(r.variables()).containsEntry("a", 1).doesNotContainKey("never");
        assertThat(r.executionPath()).containsExactly("start", "comment", "set_a", "end");
    }

    @Test
    void end_node_ends_only_its_own_branch_and_fan_out_is_breadth_first() {
        ExecutionResult r = run(flow()
                .node("s", "StartNode").node("a", "CommentNode").node("b", "EndNode").node("a2", "CommentNode").node("m", "CommentNode")
                .then("s", "a").then("s", "b").then("a", "a2").then("a2", "m"));

        assertThat(r.executionPath()).containsExactly("s", "a", "b", "a2", "m");
    }

    @Test
    void without_a_start_node_every_root_runs_in_file_order() {
        ExecutionResult r = run(flow()
                .node("one", "SetVariableNode", Map.of("variable_name", "one", "value", 1))
                .node("two", "SetVariableNode", Map.of("variable_name", "two", "value", 2))
                .node("three", "SetVariableNode", Map.of("variable_name", "three", "value", "{{one}}"))
                .then("one", "three"));

        assertThat(r.executionPath()).containsExactly("one", "two", "three");
    }

    @Test
    void a_disabled_node_is_bypassed() {
        ExecutionResult r = run(flow()
                .node("start", "StartNode")
                .node("off", "SetVariableNode", Map.of("variable_name", "off", "value", 1, "_disabled", true))
                .node("set_on", "SetVariableNode", Map.of("variable_name", "on", "value", 1))
                .chain("start", "off", "set_on"));

        assertThat(r.executionPath()).containsExactly("start", "set_on");
        assertThat(r.variables()).containsEntry("on", 1).doesNotContainKey("off");
    }

    @Test
    void an_empty_list_completes_at_once_and_unpaired_loop_nodes_just_go_on() {
        ExecutionResult r = run(flow()
                .node("start", "StartNode")
                .node("loop", "ForLoopStartNode", Map.of("items", List.of()))
                .node("body", "SetVariableNode", Map.of("variable_name", "ran_body", "value", true))
                .node("brk", "BreakNode")
                .node("cont", "ContinueNode", Map.of("paired_loop_start_id", "not_running"))
                .node("loopEnd", "ForLoopEndNode")
                .node("after", "SetVariableNode", Map.of("variable_name", "after", "value", true))
                .then("start", "loop").route("loop", "body", "body").route("loop", "completed", "brk")
                .chain("brk", "cont", "loopEnd", "after"));

        assertThat(r.outcome()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(r.variables()).containsEntry("after", true).doesNotContainKey("ran_body");
        assertThat(r.executionPath()).containsExactly("start", "loop", "brk", "cont", "loopEnd", "after");
    }

    @Test
    void a_bad_range_fails_the_loop_start() {
        ExecutionResult r = run(flow().node("start", "StartNode")
                .node("loop", "ForLoopStartNode", Map.of("mode", "range", "step", 0)).then("start", "loop"));
        ExecutionResult text = run(flow().node("start", "StartNode")
                .node("loop", "ForLoopStartNode", Map.of("mode", "range", "end", "ten")).then("start", "loop"));

        assertThat(r.error().message()).contains("step must not be 0");
        assertThat(text.error().message()).contains("'end' must be a number, got 'ten'");
    }
}
