package com.casarerpa.engine;

import static com.casarerpa.engine.WorkflowBuilder.flow;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ErrorHandlingTest {
    @TempDir
    Path work;

    private static Map<String, Object> set(String name, Object value) {
        return Map.of("variable_name", name, "value", value);
    }

    /** start → try{ body: step1 → boom? → step2 } catch{ handled } finally{ cleanup } → after */
    private static WorkflowBuilder tryCatchFinally(String failingType) {
        return flow()
                .node("start", "StartNode")
                .node("try", "TryNode")
                .node("step1", "SetVariableNode", set("step1", true))
                .node("boom", failingType, Map.of("error_message", "disk {{disk}} is full", "variable_name", "x", "value", 1))
                .node("step2", "SetVariableNode", set("step2", true))
                .node("catch", "CatchNode", Map.of("paired_try_id", "try"))
                .node("handled", "SetVariableNode", set("handled", "{{catch.error_type}}: {{catch.error_message}} at {{catch.failed_node_id}}"))
                .node("finally", "FinallyNode", Map.of("paired_try_id", "try"))
                .node("cleanup", "SetVariableNode", set("cleanup", "{{finally.had_error}}"))
                .node("after", "SetVariableNode", set("after_try", true))
                .then("start", "try").route("try", "try_body", "step1").chain("step1", "boom", "step2")
                .route("catch", "catch_body", "handled")
                .route("finally", "finally_body", "cleanup")
                .then("finally", "after")
                .variable("disk", "C:");
    }

    @Test
    void an_error_in_the_try_body_runs_catch_then_finally_then_what_follows() {
        ExecutionResult r = new EngineHarness(work).run(tryCatchFinally("ThrowErrorNode"));

        assertThat(r.outcome()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(r.variables())
                .containsEntry("step1", true)
                .containsEntry("handled", "CustomError: disk C: is full at boom")
                .containsEntry("cleanup", true)
                .containsEntry("after_try", true)
                .doesNotContainKey("step2");
        assertThat(r.executionPath()).containsExactly("start", "try", "step1", "boom", "catch", "handled", "finally", "cleanup", "after");
    }

    @Test
    void without_a_start_node_the_handlers_are_not_roots() {
        ExecutionResult r = new EngineHarness(work).run(flow()
                .node("try", "TryNode")
                .node("work", "SetVariableNode", set("worked", true))
                .node("catch", "CatchNode", Map.of("paired_try_id", "try"))
                .node("handled", "SetVariableNode", set("handled", true))
                .node("finally", "FinallyNode", Map.of("paired_try_id", "try"))
                .node("cleanup", "SetVariableNode", set("cleanup", true))
                .route("try", "try_body", "work").route("catch", "catch_body", "handled").route("finally", "finally_body", "cleanup"));

        assertThat(r.executionPath()).containsExactly("try", "work", "finally", "cleanup");
        assertThat(r.variables()).doesNotContainKey("handled");
    }

    @Test
    void without_an_error_the_catch_is_skipped_and_finally_runs() {
        ExecutionResult r = new EngineHarness(work).run(tryCatchFinally("SetVariableNode"));

        assertThat(r.outcome()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(r.variables()).containsEntry("step2", true).containsEntry("cleanup", false).containsEntry("after_try", true)
                .doesNotContainKey("handled");
        assertThat(r.executionPath()).containsExactly("start", "try", "step1", "boom", "step2", "finally", "cleanup", "after");
    }

    @Test
    void handlers_chained_after_the_try_with_exec_wires_run_once() {
        ExecutionResult r = new EngineHarness(work).run(flow()
                .node("start", "StartNode")
                .node("try", "TryNode")
                .node("work", "SetVariableNode", set("worked", true))
                .node("catch", "CatchNode", Map.of("paired_try_id", "try"))
                .node("finally", "FinallyNode", Map.of("paired_try_id", "try"))
                .node("cleanup", "IncrementVariableNode", Map.of("variable_name", "cleanups"))
                .node("after", "SetVariableNode", set("after_try", true))
                .then("start", "try").route("try", "try_body", "work").route("finally", "finally_body", "cleanup")
                .then("try", "catch").then("catch", "finally").then("finally", "after"));

        assertThat(r.outcome()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(r.variables()).containsEntry("cleanups", 1L).containsEntry("after_try", true);
        assertThat(r.executionPath()).containsExactly("start", "try", "work", "finally", "cleanup", "after");
    }

    @Test
    void a_thrown_exception_is_caught_like_a_returned_error() {
        ExecutionResult r = new EngineHarness(work).run(flow()
                .node("start", "StartNode")
                .node("try", "TryNode")
                .node("bad", "IncrementVariableNode", Map.of("variable_name", "text"))
                .node("catch", "CatchNode", Map.of("paired_try_id", "try"))
                .node("handled", "SetVariableNode", set("handled", "{{catch.error_message}}"))
                .then("start", "try").route("try", "try_body", "bad").route("catch", "catch_body", "handled")
                .variable("text", "abc"));

        assertThat(r.outcome()).isEqualTo(Outcome.SUCCEEDED);
        assertThat((String) r.variables().get("handled")).contains("'abc' is not a number");
    }

    @Test
    void try_without_catch_runs_finally_and_then_fails_with_the_original_error() {
        ExecutionResult r = new EngineHarness(work).run(flow()
                .node("start", "StartNode")
                .node("try", "TryNode")
                .node("boom", "ThrowErrorNode", Map.of("error_message", "nope"))
                .node("finally", "FinallyNode", Map.of("paired_try_id", "try"))
                .node("cleanup", "SetVariableNode", set("cleaned", true))
                .node("after", "SetVariableNode", set("after_try", true))
                .then("start", "try").route("try", "try_body", "boom").route("finally", "finally_body", "cleanup").then("try", "after"));

        assertThat(r.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(r.error().nodeId()).isEqualTo("boom");
        assertThat(r.error().nodeType()).isEqualTo("ThrowErrorNode");
        assertThat(r.error().message()).isEqualTo("nope");
        assertThat(r.variables()).containsEntry("cleaned", true).doesNotContainKey("after_try");
    }

    @Test
    void an_error_in_a_catch_body_goes_to_the_enclosing_try() {
        ExecutionResult r = new EngineHarness(work).run(flow()
                .node("start", "StartNode")
                .node("outer", "TryNode")
                .node("inner", "TryNode")
                .node("boom", "ThrowErrorNode", Map.of("error_message", "first"))
                .node("innerCatch", "CatchNode", Map.of("paired_try_id", "inner"))
                .node("boom2", "ThrowErrorNode", Map.of("error_message", "second from {{innerCatch.error_message}}"))
                .node("outerCatch", "CatchNode", Map.of("paired_try_id", "outer"))
                .node("handled", "SetVariableNode", set("handled", "{{outerCatch.error_message}}"))
                .then("start", "outer").route("outer", "try_body", "inner").route("inner", "try_body", "boom")
                .route("innerCatch", "catch_body", "boom2").route("outerCatch", "catch_body", "handled"));

        assertThat(r.outcome()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(r.variables()).containsEntry("handled", "second from first");
    }

    @Test
    void an_uncaught_error_fails_the_run_with_node_id_type_and_message() {
        EngineHarness h = new EngineHarness(work);
        ExecutionResult r = h.run(flow()
                .node("start", "StartNode")
                .node("boom", "ThrowErrorNode", Map.of("error_message", "bad input {{x}}"))
                .node("after", "SetVariableNode", set("after_boom", true))
                .chain("start", "boom", "after")
                .variable("x", 42));

        assertThat(r.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(r.error()).isEqualTo(new ExecutionError("CustomError", "bad input 42", "boom", "ThrowErrorNode", null, true));
        assertThat(r.variables()).doesNotContainKey("after_boom");
        assertThat(r.executionPath()).containsExactly("start", "boom");
        assertThat(h.events.logs).anySatisfy(l -> {
            assertThat(l.level()).isEqualTo(LogLevel.ERROR);
            assertThat(l.nodeId()).isEqualTo("boom");
            assertThat(l.message()).contains("bad input 42");
        });
    }

    @Test
    void with_stop_on_error_false_the_failed_branch_stops_and_the_others_go_on() {
        ExecutionResult r = new EngineHarness(work).run(flow()
                .node("start", "StartNode")
                .node("boom", "ThrowErrorNode")
                .node("afterBoom", "SetVariableNode", set("after_boom", true))
                .node("other", "SetVariableNode", set("other", true))
                .node("later", "SetVariableNode", set("later", true))
                .then("start", "boom").then("start", "other").then("boom", "afterBoom").then("other", "later")
                .setting("stop_on_error", false));

        assertThat(r.outcome()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(r.variables()).containsEntry("other", true).containsEntry("later", true).doesNotContainKey("after_boom");
    }

    @Test
    void a_try_inside_a_loop_handles_each_pass() {
        ExecutionResult r = new EngineHarness(work).run(flow()
                .node("start", "StartNode")
                .node("loop", "ForLoopStartNode", Map.of("items", List.of(1, 0, 2)))
                .node("try", "TryNode")
                .node("check", "IfNode", Map.of("condition", "item == 0"))
                .node("boom", "ThrowErrorNode", Map.of("error_message", "zero"))
                .node("ok", "SetVariableNode", set("log", "{{log}}ok{{item}} "))
                .node("catch", "CatchNode", Map.of("paired_try_id", "try"))
                .node("handled", "SetVariableNode", set("log", "{{log}}caught{{item}} "))
                .node("loopEnd", "ForLoopEndNode", Map.of("paired_start_id", "loop"))
                .then("start", "loop").route("loop", "body", "try").route("try", "try_body", "check")
                .route("check", "true", "boom").route("check", "false", "ok")
                .route("catch", "catch_body", "handled")
                .then("try", "loopEnd")
                .variable("log", ""));

        assertThat(r.outcome()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(r.variables()).containsEntry("log", "ok1 caught0 ok2 ");
    }

    @Test
    void a_loop_abandoned_by_an_error_starts_afresh_when_its_try_runs_again() {
        ExecutionResult r = new EngineHarness(work).run(flow()
                .node("start", "StartNode")
                .node("outer", "ForLoopStartNode", Map.of("items", List.of("a", "b"), "item_var", "o"))
                .node("try", "TryNode")
                .node("inner", "ForLoopStartNode", Map.of("items", List.of(1, 2, 3), "item_var", "i"))
                .node("record", "SetVariableNode", set("seen", "{{seen}}{{o}}{{i}} "))
                .node("check", "IfNode", Map.of("condition", "i == 2"))
                .node("boom", "ThrowErrorNode")
                .node("innerEnd", "ForLoopEndNode", Map.of("paired_start_id", "inner"))
                .node("catch", "CatchNode", Map.of("paired_try_id", "try"))
                .node("outerEnd", "ForLoopEndNode", Map.of("paired_start_id", "outer"))
                .then("start", "outer").route("outer", "body", "try").route("try", "try_body", "inner")
                .route("inner", "body", "record").then("record", "check").route("check", "true", "boom").route("check", "false", "innerEnd")
                .then("try", "outerEnd")
                .variable("seen", ""));

        assertThat(r.outcome()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(r.variables()).containsEntry("seen", "a1 a2 b1 b2 ");
    }

    @Test
    void the_node_timeout_fails_the_node_and_a_catch_can_handle_it() {
        EngineHarness h = new EngineHarness(EngineSettings.confinedTo(work).withNodeTimeout(Duration.ofMillis(200)));
        ExecutionResult r = h.run(flow()
                .node("start", "StartNode")
                .node("try", "TryNode")
                .node("slow", "WaitNode", Map.of("duration", 30))
                .node("catch", "CatchNode", Map.of("paired_try_id", "try"))
                .node("handled", "SetVariableNode", set("handled", "{{catch.error_type}}: {{catch.error_message}}"))
                .then("start", "try").route("try", "try_body", "slow").route("catch", "catch_body", "handled"));

        assertThat(r.outcome()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(r.variables()).containsEntry("handled", "NodeTimeout: Node slow timed out after 0.2s");
        assertThat(r.duration()).isLessThan(Duration.ofSeconds(20));
    }

    @Test
    void a_node_timeout_of_zero_or_null_means_no_limit() {
        WorkflowBuilder f = flow().node("start", "StartNode").node("w", "WaitNode", Map.of("duration", 0.05)).then("start", "w");

        ExecutionResult zero = new EngineHarness(EngineSettings.confinedTo(work).withNodeTimeout(Duration.ZERO)).run(f);
        ExecutionResult none = new EngineHarness(EngineSettings.confinedTo(work)).run(f);

        assertThat(zero.outcome()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(none.outcome()).isEqualTo(Outcome.SUCCEEDED);
    }

    @Test
    void settings_timeout_stops_the_whole_run() {
        EngineHarness h = new EngineHarness(work);
        ExecutionResult r = h.run(flow()
                .node("start", "StartNode")
                .node("slow", "WaitNode", Map.of("duration", 30))
                .node("after", "SetVariableNode", set("after_wait", true))
                .chain("start", "slow", "after")
                .setting("timeout", 0.3));

        assertThat(r.outcome()).isEqualTo(Outcome.TIMED_OUT);
        assertThat(r.error().type()).isEqualTo("workflow_timeout");
        assertThat(r.error().nodeId()).isEqualTo("slow");
        assertThat(r.error().message()).isEqualTo("the run passed its time limit of 0.3 s (settings.timeout or the job timeout) while node slow (WaitNode)");
        assertThat(r.duration()).isBetween(Duration.ofMillis(250), Duration.ofSeconds(20));
        assertThat(r.variables()).doesNotContainKey("after_wait");
    }

    @Test
    void the_request_timeout_applies_when_shorter_than_the_workflow_setting() {
        EngineHarness h = new EngineHarness(work);
        ExecutionResult r = h.run(flow()
                .node("start", "StartNode")
                .node("slow", "WaitNode", Map.of("duration", 30))
                .then("start", "slow")
                .setting("timeout", 60).json(), Map.of(), Duration.ofMillis(300), new Cancellation());

        assertThat(r.outcome()).isEqualTo(Outcome.TIMED_OUT);
        assertThat(r.duration()).isLessThan(Duration.ofSeconds(20));
    }

    @Test
    void a_try_cannot_catch_a_cancel() {
        Cancellation cancellation = new Cancellation();
        cancellation.cancel("stop now");
        ExecutionResult r = new EngineHarness(work).run(tryCatchFinally("ThrowErrorNode").json(), Map.of(), null, cancellation);

        assertThat(r.outcome()).isEqualTo(Outcome.CANCELLED);
        assertThat(r.executionPath()).isEmpty();
        assertThat(r.error().message()).contains("stop now");
    }
}
