package com.casarerpa.engine;

import static com.casarerpa.engine.WorkflowBuilder.flow;
import static org.assertj.core.api.Assertions.assertThat;

import com.casarerpa.engine.value.Interpolator;
import com.casarerpa.engine.value.Variables;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VariablesAndDataTest {
    @TempDir
    Path work;

    private static Interpolator interpolator(Map<String, Object> vars) {
        Variables variables = new Variables();
        vars.forEach(variables::set);
        return new Interpolator(variables, Clock.fixed(Instant.parse("2026-03-04T05:06:07Z"), ZoneOffset.UTC));
    }

    @Test
    void interpolation_keeps_types_for_a_whole_reference_and_inserts_text_otherwise() {
        Interpolator i = interpolator(Map.of("n", 5, "list", List.of(1, 2), "flag", true, "m", Map.of("k", "v"),
                "nothing", java.util.Collections.singletonMap("x", null)));

        assertThat(i.resolve("{{n}}")).isEqualTo(5);
        assertThat(i.resolve("  {{ list }}  ")).isEqualTo(List.of(1, 2));
        assertThat(i.resolve("n={{n}} flag={{flag}} m={{m}} l=${list} %n%")).isEqualTo("n=5 flag=true m={\"k\":\"v\"} l=[1,2] 5");
        assertThat(i.resolve("{{nothing.x}}")).isNull();
        assertThat(i.resolve("[{{nothing.x}}]")).isEqualTo("[]");
        assertThat(i.resolve("{{missing}} and {{m.nope}} and {{list[5]}}")).isEqualTo("{{missing}} and {{m.nope}} and {{list[5]}}");
        assertThat(i.resolve("50% off %")).isEqualTo("50% off %");
        assertThat(i.resolve(Map.of("a", List.of("{{n}}", "x{{n}}")))).isEqualTo(Map.of("a", List.of(5, "x5")));
    }

    @Test
    void system_variables_give_date_time_and_timestamp() {
        Interpolator i = interpolator(Map.of());

        assertThat(i.resolve("{{$currentDate}} {{$currentTime}} {{$currentDateTime}}")).isEqualTo("2026-03-04 05:06:07 2026-03-04T05:06:07");
        assertThat(i.resolve("{{$timestamp}}")).isEqualTo(1772600767L);
    }

    @Test
    void a_variable_named_like_a_node_id_is_not_overwritten_by_its_outputs_and_null_job_variables_are_kept() {
        java.util.Map<String, Object> jobVariables = new java.util.HashMap<>();
        jobVariables.put("empty", null);
        ExecutionResult r = new EngineHarness(work).run(flow()
                .node("start", "StartNode")
                .node("total", "SetVariableNode", Map.of("variable_name", "total", "value", 5))
                .node("copy_total", "SetVariableNode", Map.of("variable_name", "copied", "value", "{{total}}|{{empty}}|"))
                .chain("start", "total", "copy_total").json(), jobVariables, null, new Cancellation());

        assertThat(r.variables()).containsEntry("total", 5).containsEntry("copied", "5||").containsEntry("empty", null);
    }

    @Test
    void a_resolved_value_is_not_resolved_again() {
        ExecutionResult r = new EngineHarness(work).run(flow()
                .node("start", "StartNode")
                .node("set", "SetVariableNode", Map.of("variable_name", "copy", "value", "{{template}}"))
                .then("start", "set")
                .variable("template", "{{b}}").variable("b", "expanded"));

        assertThat(r.variables()).containsEntry("copy", "{{b}}");
    }

    @Test
    void a_data_port_wins_over_config_and_a_source_that_did_not_run_leaves_config() {
        ExecutionResult r = new EngineHarness(work).run(flow()
                .node("start", "StartNode")
                .node("src", "GetVariableNode", Map.of("variable_name", "input"))
                .node("useIt", "SetVariableNode", Map.of("variable_name", "from_port", "value", "config"))
                .node("never", "GetVariableNode", Map.of("variable_name", "input"))
                .node("fallback", "SetVariableNode", Map.of("variable_name", "from_config", "value", "config"))
                .chain("start", "src", "useIt", "fallback")
                .wire("src", "value", "useIt", "value")
                .wire("never", "value", "fallback", "value")
                .variable("input", Map.of("deep", List.of(1))));

        assertThat(r.variables()).containsEntry("from_port", Map.of("deep", List.of(1))).containsEntry("from_config", "config");
        assertThat(r.executionPath()).doesNotContain("never");
    }

    @Test
    void set_variable_converts_by_variable_type_and_fails_on_a_bad_value() {
        EngineHarness h = new EngineHarness(work);
        ExecutionResult r = h.run(flow()
                .node("start", "StartNode")
                .node("b", "SetVariableNode", Map.of("variable_name", "b", "value", "yes", "variable_type", "Boolean"))
                .node("i", "SetVariableNode", Map.of("variable_name", "i", "value", "42", "variable_type", "Int32"))
                .node("f", "SetVariableNode", Map.of("variable_name", "f", "value", "2.5", "variable_type", "Float"))
                .node("o", "SetVariableNode", Map.of("variable_name", "o", "value", "{\"k\": 1}", "variable_type", "Dict"))
                .node("l", "SetVariableNode", Map.of("variable_name", "l", "value", "a, b", "variable_type", "List"))
                .node("d", "SetVariableNode", Map.of("variable_name", "d", "default_value", 7))
                .chain("start", "b", "i", "f", "o", "l", "d"));
        ExecutionResult bad = h.run(flow().node("start", "StartNode")
                .node("i", "SetVariableNode", Map.of("variable_name", "i", "value", "abc", "variable_type", "Int32")).then("start", "i"));
        ExecutionResult noName = h.run(flow().node("start", "StartNode")
                .node("s", "SetVariableNode", Map.of("value", 1)).then("start", "s"));

        assertThat(r.variables()).containsEntry("b", true).containsEntry("i", 42L).containsEntry("f", 2.5)
                .containsEntry("o", Map.of("k", 1)).containsEntry("l", List.of("a", "b")).containsEntry("d", 7);
        assertThat(bad.error().message()).isEqualTo("cannot convert 'abc' to Int32");
        assertThat(noName.error().message()).isEqualTo("Variable name is required");
    }

    @Test
    void get_and_increment_variable() {
        ExecutionResult r = new EngineHarness(work).run(flow()
                .node("start", "StartNode")
                .node("get", "GetVariableNode", Map.of("variable_name", "cfg.retries"))
                .node("dflt", "GetVariableNode", Map.of("variable_name", "absent", "default_value", "fallback"))
                .node("inc", "IncrementVariableNode", Map.of("variable_name", "count", "increment", 2))
                .node("incFloat", "IncrementVariableNode", Map.of("variable_name", "ratio", "increment", 0.5))
                .node("incNew", "IncrementVariableNode", Map.of("variable_name", "fresh"))
                .node("keep", "SetVariableNode", Map.of("variable_name", "got", "value", "{{get.value}} {{dflt.value}} {{inc.value}}"))
                .chain("start", "get", "dflt", "inc", "incFloat", "incNew", "keep")
                .variable("cfg", Map.of("retries", 3)).variable("count", 1).variable("ratio", 1));

        assertThat(r.variables()).containsEntry("got", "3 fallback 3").containsEntry("count", 3L)
                .containsEntry("ratio", 1.5).containsEntry("fresh", 1L);
    }

    @Test
    void log_levels_format_fields_and_data() {
        EngineHarness h = new EngineHarness(work);
        h.run(flow()
                .node("start", "StartNode")
                .node("info", "LogNode", Map.of("message", "hello {name} {{name}} {unknown}"))
                .node("warn", "LogNode", Map.of("message", "careful", "level", "warning", "data", Map.of("k", 1)))
                .node("crit", "LogNode", Map.of("message", "boom", "level", "critical"))
                .chain("start", "info", "warn", "crit")
                .variable("name", "ann"));

        assertThat(h.events.messages(LogLevel.INFO)).containsExactly("hello ann ann {unknown}");
        assertThat(h.events.messages(LogLevel.WARNING)).containsExactly("careful | Data: {\"k\":1}");
        assertThat(h.events.messages(LogLevel.ERROR)).containsExactly("boom");
        assertThat(h.events.logs).filteredOn(l -> l.nodeId() != null && l.nodeId().equals("warn"))
                .extracting(EngineHarness.LogLine::nodeType).containsOnly("LogNode");
    }

    @Test
    void wait_refuses_a_negative_duration_and_accepts_an_interpolated_one() {
        EngineHarness h = new EngineHarness(work);
        ExecutionResult negative = h.run(flow().node("start", "StartNode").node("w", "WaitNode", Map.of("duration", -1)).then("start", "w"));
        ExecutionResult interpolated = h.run(flow().node("start", "StartNode").node("w", "WaitNode", Map.of("duration", "{{d}}"))
                .then("start", "w").variable("d", "0.01"));

        assertThat(negative.error().message()).contains("zero or more seconds");
        assertThat(interpolated.outcome()).isEqualTo(Outcome.SUCCEEDED);
    }

    @Test
    void sensitive_variables_are_masked_in_results_and_logs() {
        EngineHarness h = new EngineHarness(work);
        ExecutionResult r = h.run(flow()
                .node("start", "StartNode")
                .node("log", "LogNode", Map.of("message", "connecting with {{db_pass}} and {{pin}}"))
                .node("copy", "SetVariableNode", Map.of("variable_name", "url", "value", "https://u:{{db_pass}}@host"))
                .chain("start", "log", "copy")
                .variable("db_pass", Map.of("name", "db_pass", "type", "String", "default_value", "hunter22", "sensitive", true))
                .variable("pin", Map.of("name", "pin", "default_value", "1234", "sensitive", false))
                .variable("api_token", "tok-abcdef")
                .variable("request", Map.of("headers", Map.of("Authorization", "Bearer xyz", "Accept", "json"))));

        assertThat(r.variables()).containsEntry("db_pass", "***").containsEntry("api_token", "***")
                .containsEntry("url", "https://u:***@host").containsEntry("pin", "1234")
                .containsEntry("request", Map.of("headers", Map.of("Authorization", "***", "Accept", "json")));
        assertThat(h.events.messages(LogLevel.INFO)).containsExactly("connecting with *** and 1234");
    }

    @Test
    void a_listener_that_throws_does_not_break_the_run() {
        ExecutionResult r = new EngineHarness(work).engine.run(new ExecutionRequest("r", flow()
                .node("start", "StartNode").node("log", "LogNode", Map.of("message", "hi"))
                .node("set", "SetVariableNode", Map.of("variable_name", "done", "value", true))
                .chain("start", "log", "set").json(), Map.of(), null), new ExecutionListener() {
                    @Override
                    public void nodeStarted(String nodeId, String nodeType, int executedNodes) {
                        throw new IllegalStateException("listener bug");
                    }

                    @Override
                    public void log(LogLevel level, String message, String nodeId, String nodeType) {
                        throw new IllegalStateException("listener bug");
                    }
                }, new Cancellation());

        assertThat(r.outcome()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(r.variables()).containsEntry("done", true);
    }

    @Test
    void the_engine_lists_the_node_types_it_runs_and_reports_progress() {
        EngineHarness h = new EngineHarness(work);
        assertThat(h.engine.nodeTypes()).containsExactlyInAnyOrder("StartNode", "EndNode", "CommentNode", "SetVariableNode",
                "GetVariableNode", "IncrementVariableNode", "IfNode", "SwitchNode", "ForLoopStartNode", "ForLoopEndNode",
                "WhileLoopStartNode", "WhileLoopEndNode", "BreakNode", "ContinueNode", "WaitNode", "LogNode", "ThrowErrorNode",
                "TryNode", "CatchNode", "FinallyNode", "HttpRequestNode", "ReadFileNode", "WriteFileNode", "RunCommandNode",
                "JsonParseNode", "FormatStringNode");

        java.util.List<Integer> counts = new java.util.concurrent.CopyOnWriteArrayList<>();
        h.engine.run(new ExecutionRequest("r", flow().node("a", "StartNode").node("b", "CommentNode").node("c", "EndNode")
                .chain("a", "b", "c").json(), Map.of(), null), new ExecutionListener() {
                    @Override
                    public void nodeStarted(String nodeId, String nodeType, int executedNodes) {
                        counts.add(executedNodes);
                    }
                }, new Cancellation());
        assertThat(counts).containsExactly(0, 1, 2);
    }
}
