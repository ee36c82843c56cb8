package com.casarerpa.engine;

import static com.casarerpa.engine.WorkflowBuilder.flow;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Workflows shaped like the ones people build: files in, a loop with branches and a guarded call, a summary out. */
class RealWorkflowsTest {
    @TempDir
    Path work;

    /**
     * Reads orders.json, and for each order: big ones are posted to an approval service inside a
     * Try (a 500 from the service is not an error, a refused connection is caught), small ones
     * are counted; the per-order lines are accumulated and written to summary.txt.
     */
    private static WorkflowBuilder orderRun(String approvalUrl) {
        return flow()
                .node("start", "StartNode")
                .node("read", "ReadFileNode", Map.of("file_path", "in/orders.json"))
                .node("parse", "JsonParseNode")
                .node("orders", "ForLoopStartNode", Map.of("item_var", "order"))
                .node("big", "IfNode", Map.of("condition", "order.amount > limit"))
                .node("try", "TryNode")
                .node("approve", "HttpRequestNode", Map.of("url", approvalUrl, "method", "POST",
                        "body", "{\"id\": \"{{order.id}}\", \"amount\": {{order.amount}}}"))
                .node("approved", "SetVariableNode", Map.of("variable_name", "lines",
                        "value", "{{lines}}{{order.id}}:{{approve.status_code}};"))
                .node("catch", "CatchNode", Map.of("paired_try_id", "try"))
                .node("failed", "SetVariableNode", Map.of("variable_name", "lines", "value", "{{lines}}{{order.id}}:unreachable;"))
                .node("small", "IncrementVariableNode", Map.of("variable_name", "small_orders"))
                .node("ordersEnd", "ForLoopEndNode", Map.of("paired_start_id", "orders"))
                .node("summary", "FormatStringNode", Map.of("template", "last {last}, {small} small: {lines}",
                        "variables", Map.of("last", "{{parse.data[-1].id}}{{order.id}}", "small", "{{small_orders}}", "lines", "{{lines}}")))
                .node("write", "WriteFileNode", Map.of("file_path", "out/summary.txt"))
                .node("done", "LogNode", Map.of("message", "wrote {{write.file_path}}"))
                .node("end", "EndNode")
                .chain("start", "read", "parse", "orders")
                .wire("read", "content", "parse", "json_string")
                .wire("parse", "data", "orders", "items")
                .route("orders", "body", "big").route("big", "true", "try").route("big", "false", "small")
                .route("try", "try_body", "approve").then("approve", "approved")
                .route("catch", "catch_body", "failed")
                .then("try", "ordersEnd").then("small", "ordersEnd")
                .route("orders", "completed", "summary")
                .chain("summary", "write", "done", "end")
                .wire("summary", "result", "write", "content")
                .variable("limit", 100).variable("lines", "").variable("small_orders", 0);
    }

    @Test
    void orders_are_read_routed_posted_and_summarised() throws IOException {
        Files.createDirectories(work.resolve("in"));
        Files.writeString(work.resolve("in/orders.json"),
                "[{\"id\": \"A\", \"amount\": 250}, {\"id\": \"B\", \"amount\": 20}, {\"id\": \"C\", \"amount\": 120}]");
        List<String> posted = new CopyOnWriteArrayList<>();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/approve", ex -> {
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            posted.add(body);
            int status = body.contains("\"C\"") ? 500 : 200;
            ex.sendResponseHeaders(status, -1);
            ex.close();
        });
        server.start();
        try {
            EngineHarness h = new EngineHarness(work);
            ExecutionResult r = h.run(orderRun("http://127.0.0.1:" + server.getAddress().getPort() + "/approve"));

            assertThat(r.error()).isNull();
            assertThat(r.outcome()).isEqualTo(Outcome.SUCCEEDED);
            assertThat(posted).containsExactly("{\"id\": \"A\", \"amount\": 250}", "{\"id\": \"C\", \"amount\": 120}");
            assertThat(work.resolve("out/summary.txt")).hasContent(
                    "last {{parse.data[-1].id}}C, 1 small: A:200;C:500;");
            assertThat(r.variables()).containsEntry("small_orders", 1L);
            assertThat(r.executionPath()).startsWith("start", "read", "parse", "orders", "big", "try", "approve", "approved", "ordersEnd")
                    .endsWith("orders", "summary", "write", "done", "end");
            assertThat(h.events.messages(LogLevel.INFO)).containsExactly("wrote " + work.resolve("out/summary.txt").toAbsolutePath());
        } finally {
            server.stop(0);
        }
    }

    @Test
    void an_unreachable_service_is_caught_per_order_and_the_run_goes_on() throws IOException {
        Files.createDirectories(work.resolve("in"));
        Files.writeString(work.resolve("in/orders.json"), "[{\"id\": \"A\", \"amount\": 250}, {\"id\": \"B\", \"amount\": 500}]");
        int closedPort;
        try (var socket = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }

        ExecutionResult r = new EngineHarness(work).run(orderRun("http://127.0.0.1:" + closedPort + "/approve"));

        assertThat(r.outcome()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(work.resolve("out/summary.txt")).hasContent("last {{parse.data[-1].id}}B, 0 small: A:unreachable;B:unreachable;");
    }

    @Test
    void one_engine_runs_several_workflows_at_once_without_mixing_their_variables() {
        EngineHarness h = new EngineHarness(work);
        List<CompletableFuture<ExecutionResult>> runs = IntStream.range(0, 6).mapToObj(i -> CompletableFuture.supplyAsync(() ->
                h.engine.run(new ExecutionRequest("run-" + i, flow()
                        .node("start", "StartNode")
                        .node("loop", "ForLoopStartNode", Map.of("mode", "range", "end", 20))
                        .node("inc", "IncrementVariableNode", Map.of("variable_name", "total", "increment", "{{seed}}"))
                        .node("wait", "WaitNode", Map.of("duration", 0.001))
                        .node("loopEnd", "ForLoopEndNode", Map.of("paired_start_id", "loop"))
                        .then("start", "loop").route("loop", "body", "inc").chain("inc", "wait", "loopEnd")
                        .json(), Map.of("seed", i), Duration.ofSeconds(60)), ExecutionListener.NONE, new Cancellation()))).toList();

        for (int i = 0; i < runs.size(); i++) {
            ExecutionResult r = runs.get(i).join();
            assertThat(r.outcome()).isEqualTo(Outcome.SUCCEEDED);
            assertThat(r.variables()).containsEntry("total", 20L * i);
        }
    }

    @Test
    void a_long_loop_over_a_large_workflow_stays_correct() {
        WorkflowBuilder f = flow().node("start", "StartNode")
                .node("loop", "ForLoopStartNode", Map.of("mode", "range", "end", 3000))
                .node("inc", "IncrementVariableNode", Map.of("variable_name", "total", "increment", "{{item}}"))
                .node("loopEnd", "ForLoopEndNode", Map.of("paired_start_id", "loop"))
                .then("start", "loop").route("loop", "body", "inc").then("inc", "loopEnd");
        for (int i = 0; i < 400; i++) {
            f.node("side" + i, "CommentNode").then(i == 0 ? "start" : "side" + (i - 1), "side" + i);
        }
        long started = System.nanoTime();

        ExecutionResult r = new EngineHarness(work).run(f);

        System.out.printf("3000 passes with 400 other nodes: %d node executions in %d ms%n",
                r.executedNodes(), (System.nanoTime() - started) / 1_000_000);
        assertThat(r.outcome()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(r.variables()).containsEntry("total", 3000L * 2999 / 2);
        assertThat(r.executedNodes()).isEqualTo(1 + 3001 + 3000 * 2 + 400);
    }
}
