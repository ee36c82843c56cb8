package com.casarerpa.engine;

import static com.casarerpa.engine.WorkflowBuilder.flow;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BasicRunTest {
    @TempDir
    Path work;

    @Test
    void linear_workflow_sets_variables_and_reports_path_count_and_duration() {
        EngineHarness h = new EngineHarness(work);
        ExecutionResult r = h.run(flow()
                .node("start", "StartNode")
                .node("setv", "SetVariableNode", Map.of("variable_name", "greeting", "value", "hello"))
                .node("log", "LogNode", Map.of("message", "say {{greeting}} to {{ who }}"))
                .node("end", "EndNode")
                .chain("start", "setv", "log", "end")
                .variable("who", Map.of("name", "who", "type", "String", "default_value", "bob")));

        assertThat(r.outcome()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(r.error()).isNull();
        assertThat(r.executionPath()).containsExactly("start", "setv", "log", "end");
        assertThat(r.executedNodes()).isEqualTo(4);
        assertThat(r.variables()).containsEntry("greeting", "hello").containsEntry("who", "bob");
        assertThat(r.duration()).isPositive();
        assertThat(h.events.messages(LogLevel.INFO)).containsExactly("say hello to bob");
        assertThat(h.events.started).containsExactly("start", "setv", "log", "end");
    }

    @Test
    void unknown_node_type_fails_before_any_node_runs_and_names_the_type() {
        EngineHarness h = new EngineHarness(work);
        ExecutionResult r = h.run(flow()
                .node("start", "StartNode")
                .node("setv", "SetVariableNode", Map.of("variable_name", "x", "value", 1))
                .node("browser", "LaunchBrowserNode")
                .chain("start", "setv", "browser"));

        assertThat(r.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(r.error().type()).isEqualTo("unsupported_node_type");
        assertThat(r.error().retryable()).isFalse();
        assertThat(r.error().nodeId()).isEqualTo("browser");
        assertThat(r.error().nodeType()).isEqualTo("LaunchBrowserNode");
        assertThat(r.error().message()).contains("LaunchBrowserNode");
        assertThat(r.executionPath()).isEmpty();
        assertThat(h.events.started).isEmpty();
        assertThat(r.variables()).doesNotContainKey("x");
    }

    @Test
    void invalid_workflows_are_refused_with_the_reason() {
        EngineHarness h = new EngineHarness(work);
        ExecutionResult missing = h.run(flow().node("a", "StartNode").then("a", "ghost"));
        ExecutionResult cycle = h.run(flow().node("a", "StartNode").node("b", "LogNode").node("c", "LogNode")
                .chain("a", "b", "c").then("c", "b"));
        ExecutionResult empty = h.run(flow());

        assertThat(missing.error().type()).isEqualTo("invalid_workflow");
        assertThat(missing.error().message()).contains("ghost");
        assertThat(cycle.error().message()).contains("cycle").contains("b -> c -> b");
        assertThat(empty.error().message()).contains("'nodes'");
        assertThat(List.of(missing, cycle, empty)).allSatisfy(r -> {
            assertThat(r.outcome()).isEqualTo(Outcome.FAILED);
            assertThat(r.error().retryable()).isFalse();
        });
    }

    @Test
    void node_outputs_are_read_as_node_id_dot_port_without_becoming_variables() {
        EngineHarness h = new EngineHarness(work);
        ExecutionResult r = h.run(flow()
                .node("start", "StartNode")
                .node("first", "SetVariableNode", Map.of("variable_name", "list", "value", List.of(Map.of("c", "deep"))))
                .node("copy", "SetVariableNode", Map.of("variable_name", "got", "value", "{{first.value[0].c}}/${list[0].c}/%got_before%"))
                .chain("start", "first", "copy")
                .variable("got_before", "legacy"));

        assertThat(r.variables()).containsEntry("got", "deep/deep/legacy");
        assertThat(r.variables()).doesNotContainKey("first");
    }

    @Test
    void job_variables_override_workflow_defaults_and_keep_their_type() {
        EngineHarness h = new EngineHarness(work);
        ExecutionResult r = h.run(flow()
                .node("start", "StartNode")
                .node("copier", "SetVariableNode", Map.of("variable_name", "copy", "value", "{{items}}"))
                .then("start", "copier")
                .variable("items", List.of("default")).json(), Map.of("items", List.of(1, 2)), null, new Cancellation());

        assertThat(r.variables()).containsEntry("copy", List.of(1, 2));
    }

    @Test
    void cancel_interrupts_a_wait_in_progress() {
        EngineHarness h = new EngineHarness(work);
        Cancellation cancellation = new Cancellation();
        CompletableFuture<ExecutionResult> run = CompletableFuture.supplyAsync(() -> h.run(flow()
                .node("start", "StartNode")
                .node("wait", "WaitNode", Map.of("duration", 60))
                .node("after", "SetVariableNode", Map.of("variable_name", "after", "value", true))
                .chain("start", "wait", "after").json(), Map.of(), null, cancellation));

        await().atMost(Duration.ofSeconds(10)).until(() -> h.events.started.contains("wait"));
        cancellation.cancel("user asked");
        ExecutionResult r = run.orTimeout(10, java.util.concurrent.TimeUnit.SECONDS).join();

        assertThat(r.outcome()).isEqualTo(Outcome.CANCELLED);
        assertThat(r.duration()).isLessThan(Duration.ofSeconds(30));
        assertThat(r.error().message()).contains("user asked").contains("wait");
        assertThat(r.variables()).doesNotContainKey("after");
    }

    @Test
    void sample_files_from_the_casare_repository_run_to_success() throws Exception {
        EngineHarness h = new EngineHarness(work);
        Path samples = Path.of("..", "orchestrator", "src", "test", "resources", "workflows");
        var json = WorkflowBuilder.JSON;

        ExecutionResult xml = h.run(json.readTree(samples.resolve("batch_2_2_xml.json").toFile()), Map.of(), null, new Cancellation());
        ExecutionResult snippet = h.run(json.readTree(samples.resolve("snippet-two-set-variables.json").toFile()), Map.of(), null, new Cancellation());

        assertThat(xml.outcome()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(xml.executionPath()).containsExactly("set_xml", "log_result");
        assertThat(h.events.messages(LogLevel.INFO)).contains("XML parsing test passed! Data: <root><item>Test</item></root>");
        assertThat(snippet.outcome()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(snippet.executionPath()).containsExactly("SetVariableNode_1ed73d28", "SetVariableNode_bc681a42");
        assertThat(snippet.variables()).containsEntry("hey", "2");
    }
}
