package com.casarerpa.engine;

import static com.casarerpa.engine.WorkflowBuilder.flow;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HttpRequestNodeTest {
    @TempDir
    Path work;
    private HttpServer server;
    private String base;
    private final List<String> received = new CopyOnWriteArrayList<>();
    private final AtomicInteger flaky = new AtomicInteger();
    private final CountDownLatch release = new CountDownLatch(1);

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/json", ex -> reply(ex, 200, "application/json", "{\"items\":[{\"id\":7}]}"));
        server.createContext("/echo", ex -> {
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            received.add(ex.getRequestMethod() + " " + ex.getRequestURI() + " " + ex.getRequestHeaders().getFirst("Content-Type")
                    + " " + ex.getRequestHeaders().getFirst("X-Token") + " " + ex.getRequestHeaders().getFirst("User-Agent") + " " + body);
            reply(ex, 201, "text/plain", "got " + body);
        });
        server.createContext("/missing", ex -> reply(ex, 404, "text/plain", "no such thing"));
        server.createContext("/moved", ex -> {
            ex.getResponseHeaders().add("Location", "/json");
            reply(ex, 302, "text/plain", "");
        });
        server.createContext("/flaky", ex -> reply(ex, flaky.incrementAndGet() < 3 ? 503 : 200, "text/plain", "attempt " + flaky.get()));
        server.createContext("/slow", ex -> {
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            reply(ex, 200, "text/plain", "late");
        });
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        release.countDown();
        server.stop(0);
    }

    private static void reply(HttpExchange ex, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", type);
        ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            ex.getResponseBody().write(bytes);
        }
        ex.close();
    }

    private EngineHarness harness(boolean allowPrivate) {
        return new EngineHarness(EngineSettings.confinedTo(work).withPrivateNetworks(allowPrivate).withNodeTimeout(Duration.ofSeconds(30)));
    }

    private static WorkflowBuilder request(Map<String, ?> config) {
        return flow().node("start", "StartNode").node("http", "HttpRequestNode", config)
                .node("keep", "SetVariableNode", Map.of("variable_name", "got",
                        "value", "{{http.status_code}}|{{http.success}}|{{http.error}}|{{http.response_body}}"))
                .chain("start", "http", "keep");
    }

    @Test
    void get_parses_a_json_response_for_later_nodes() {
        ExecutionResult r = harness(true).run(flow()
                .node("start", "StartNode")
                .node("http", "HttpRequestNode", Map.of("url", base + "/json"))
                .node("keep", "SetVariableNode", Map.of("variable_name", "id", "value", "{{http.response_json.items[0].id}}"))
                .chain("start", "http", "keep"));

        assertThat(r.error()).isNull();
        assertThat(r.variables()).containsEntry("id", 7);
    }

    @Test
    void post_sends_a_map_body_as_json_with_headers_and_query_params() {
        ExecutionResult r = harness(true).run(request(Map.of("url", base + "/echo", "method", "post",
                "headers", "{\"X-Token\": \"abc\"}", "params", Map.of("q", "a b"), "body", Map.of("name", "{{who}}")))
                .variable("who", "ann"));

        assertThat(r.variables()).containsEntry("got", "201|true||got {\"name\":\"ann\"}");
        assertThat(received).containsExactly("POST /echo?q=a+b application/json abc CasareRPA/1.0 {\"name\":\"ann\"}");
    }

    @Test
    void a_404_is_not_a_node_failure() {
        ExecutionResult r = harness(true).run(request(Map.of("url", base + "/missing")));

        assertThat(r.outcome()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(r.variables()).containsEntry("got", "404|false|HTTP 404|no such thing");
    }

    @Test
    void redirects_are_followed_and_retries_apply_to_503() {
        ExecutionResult moved = harness(true).run(request(Map.of("url", base + "/moved")));
        ExecutionResult retried = harness(true).run(request(Map.of("url", base + "/flaky", "retry_count", 3, "retry_delay", 0.01)));

        assertThat(moved.variables()).asString().contains("200|true||{\"items\"");
        assertThat(retried.variables()).containsEntry("got", "200|true||attempt 3");
    }

    @Test
    void loopback_and_private_addresses_are_refused_by_default() {
        ExecutionResult loopback = harness(false).run(request(Map.of("url", base + "/json")));
        ExecutionResult privateNet = harness(false).run(request(Map.of("url", "http://10.1.2.3/x")));
        ExecutionResult scheme = harness(true).run(request(Map.of("url", "file:///etc/passwd")));

        assertThat(loopback.error().type()).isEqualTo("SSRFBlocked");
        assertThat(loopback.error().message()).startsWith("SSRF protection blocked request to " + base + "/json");
        assertThat(privateNet.error().type()).isEqualTo("SSRFBlocked");
        assertThat(scheme.error().message()).contains("only http and https");
        assertThat(received).isEmpty();
    }

    @Test
    void the_address_that_was_checked_is_the_address_connected_to() {
        AtomicInteger lookups = new AtomicInteger();
        // A rebinding name: public to the first lookup, loopback (this test's server) to any later one.
        HostResolver rebinding = host -> new InetAddress[] {InetAddress.getByName(
                lookups.incrementAndGet() == 1 ? "198.51.100.7" : "127.0.0.1")};
        EngineHarness h = new EngineHarness(EngineSettings.confinedTo(work), rebinding);

        ExecutionResult r = h.run(request(Map.of("url", "http://localhost:" + server.getAddress().getPort() + "/echo",
                "timeout", 1)));

        assertThat(r.error().type()).isEqualTo("HttpError");
        assertThat(received).isEmpty();
        assertThat(lookups).hasValue(1);
    }

    @Test
    void ipv6_forms_of_a_loopback_address_are_refused() {
        int port = server.getAddress().getPort();
        for (String host : List.of("[::127.0.0.1]", "[64:ff9b::7f00:1]", "[::ffff:7f00:1]", "[::ffff:0:7f00:1]", "[2002:7f00:1::1]")) {
            ExecutionResult r = harness(false).run(request(Map.of("url", "http://" + host + ":" + port + "/echo")));

            assertThat(r.error().type()).as(host).isEqualTo("SSRFBlocked");
        }
        assertThat(received).isEmpty();
    }

    @Test
    void a_transport_error_fails_the_node() throws IOException {
        int port;
        try (var socket = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        ExecutionResult r = harness(true).run(request(Map.of("url", "http://127.0.0.1:" + port + "/")));

        assertThat(r.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(r.error().message()).startsWith("HTTP GET request failed: ").contains("Connection refused");
    }

    @Test
    void the_request_timeout_fails_the_node_and_cancel_interrupts_a_request() {
        ExecutionResult timedOut = harness(true).run(request(Map.of("url", base + "/slow", "timeout", 0.3)));
        assertThat(timedOut.error().message()).isEqualTo("HTTP GET request failed: HttpTimeoutException: request timed out after 0.3 s");

        EngineHarness h = harness(true);
        Cancellation cancellation = new Cancellation();
        CompletableFuture<ExecutionResult> run = CompletableFuture.supplyAsync(() ->
                h.run(request(Map.of("url", base + "/slow")).json(), Map.of(), null, cancellation));
        await().atMost(Duration.ofSeconds(10)).until(() -> h.events.started.contains("http"));
        cancellation.cancel("stop");

        assertThat(run.orTimeout(10, TimeUnit.SECONDS).join().outcome()).isEqualTo(Outcome.CANCELLED);
    }

    @Test
    void a_body_over_max_response_size_fails_and_the_charset_of_the_answer_is_honoured() {
        server.createContext("/big", ex -> reply(ex, 200, "text/plain", "x".repeat(5000)));
        server.createContext("/latin", ex -> {
            byte[] bytes = "caf\u00e9".getBytes(StandardCharsets.ISO_8859_1);
            ex.getResponseHeaders().add("Content-Type", "text/plain; charset=ISO-8859-1");
            ex.sendResponseHeaders(200, bytes.length);
            ex.getResponseBody().write(bytes);
            ex.close();
        });

        ExecutionResult big = harness(true).run(request(Map.of("url", base + "/big", "max_response_size", 1000)));
        ExecutionResult fits = harness(true).run(request(Map.of("url", base + "/big", "max_response_size", 5000)));
        ExecutionResult latin = harness(true).run(request(Map.of("url", base + "/latin")));

        assertThat(big.error().message()).contains("larger than max_response_size (1000 bytes)");
        assertThat(fits.outcome()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(latin.variables()).containsEntry("got", "200|true||caf\u00e9");
    }
}
