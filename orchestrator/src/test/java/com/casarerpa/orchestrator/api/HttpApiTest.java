package com.casarerpa.orchestrator.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.casarerpa.orchestrator.testing.Http;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HttpApiTest {
    private final CountDownLatch slowRequestEntered = new CountDownLatch(1);
    private final CountDownLatch releaseSlowRequest = new CountDownLatch(1);
    private HttpApi api;

    private final RouteGroup testRoutes = routes -> {
        routes.get("/test/boom", ctx -> {
            throw new IllegalStateException("secret internal detail");
        });
        routes.get("/test/missing", ctx -> {
            throw ApiError.notFound("Workflow wf_1 does not exist.");
        });
        routes.get("/test/bad", ctx -> {
            throw ApiError.invalidField("priority", "expected an integer from 0 to 20, got 99");
        });
        routes.get("/test/slow", ctx -> {
            slowRequestEntered.countDown();
            releaseSlowRequest.await(20, TimeUnit.SECONDS);
            ctx.result("finished");
        });
    };

    private Http start() {
        api = new HttpApi("127.0.0.1", 0, 2, Duration.ofSeconds(10), List.of(testRoutes)).start();
        return new Http(api.port());
    }

    @AfterEach
    void stop() {
        releaseSlowRequest.countDown();
        if (api != null) {
            api.close();
        }
    }

    @Test
    void unknown_route_is_404_with_the_error_body_and_request_id() {
        Http http = start();
        Http.Response r = http.get("/no/such/route");
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.json().at("/error/code").asText()).isEqualTo("not_found");
        assertThat(r.json().at("/error/retryable").isBoolean()).isTrue();
        assertThat(r.json().at("/error/retryable").asBoolean()).isFalse();
        assertThat(r.json().at("/error/message").asText()).contains("/no/such/route");
        assertThat(r.json().at("/error/details").isObject()).isTrue();
        assertThat(r.json().at("/request_id").asText()).isEqualTo(r.header("X-Request-ID")).isNotBlank();
    }

    @Test
    void a_client_request_id_is_echoed_in_header_and_error_body() {
        Http http = start();
        Http.Response r = http.get("/test/missing", Map.of("X-Request-ID", "req-abc.123"));
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.header("X-Request-ID")).isEqualTo("req-abc.123");
        assertThat(r.json().at("/request_id").asText()).isEqualTo("req-abc.123");
        assertThat(r.json().at("/error/message").asText()).isEqualTo("Workflow wf_1 does not exist.");
    }

    @Test
    void an_unusable_client_request_id_is_replaced_by_a_generated_one() {
        Http http = start();
        Http.Response r = http.get("/test/missing", Map.of("X-Request-ID", "x".repeat(300)));
        assertThat(r.header("X-Request-ID")).hasSize(36);
    }

    @Test
    void the_request_id_is_on_the_log_lines_of_its_request() {
        ch.qos.logback.classic.Logger logger = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(HttpApi.class);
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> events = new ch.qos.logback.core.read.ListAppender<>();
        events.start();
        logger.addAppender(events);
        try {
            Http http = start();
            http.get("/test/boom", Map.of("X-Request-ID", "trace-me-42"));
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(events.list).anySatisfy(e -> {
                assertThat(e.getFormattedMessage()).contains("GET /test/boom -> 500");
                assertThat(e.getMDCPropertyMap()).containsEntry("request_id", "trace-me-42");
            }));
        } finally {
            logger.detachAppender(events);
        }
    }

    @Test
    void a_field_error_names_the_field() {
        Http http = start();
        Http.Response r = http.get("/test/bad");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().at("/error/code").asText()).isEqualTo("invalid_request");
        assertThat(r.json().at("/error/details/field").asText()).isEqualTo("priority");
        assertThat(r.json().at("/error/message").asText()).startsWith("priority: ");
    }

    @Test
    void an_unexpected_exception_is_a_500_that_reveals_nothing_internal() {
        Http http = start();
        Http.Response r = http.get("/test/boom");
        assertThat(r.status()).isEqualTo(500);
        assertThat(r.json().at("/error/code").asText()).isEqualTo("internal_error");
        assertThat(r.json().at("/error/retryable").isBoolean()).isTrue();
        assertThat(r.json().at("/error/retryable").asBoolean()).as("retryable, as the WebSocket's internal_error").isTrue();
        assertThat(r.body()).doesNotContain("secret internal detail").doesNotContain("IllegalStateException");
    }

    @Test
    void requests_jetty_refuses_before_routing_get_the_json_error_body_too() throws Exception {
        Http http = start();
        String badUri = raw("GET /test/%zz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        String badHeader = raw("GET /test/missing HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\nConnection: close\r\n\r\n");

        for (String response : List.of(badUri, badHeader)) {
            assertThat(response).startsWith("HTTP/1.1 400").containsIgnoringCase("Content-Type: application/json")
                    .doesNotContain("<html");
            String body = response.substring(response.indexOf("\r\n\r\n") + 4);
            var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(body);
            assertThat(json.at("/error/code").asText()).isEqualTo("invalid_request");
            assertThat(json.at("/error/message").asText()).startsWith("The request could not be read");
            assertThat(json.at("/request_id").asText()).isNotBlank();
            assertThat(response).containsIgnoringCase("X-Request-ID: " + json.at("/request_id").asText());
        }
        assertThat(http.get("/test/missing").status()).as("the server still answers").isEqualTo(404);
    }

    /**
     * Whether a request on a new connection fails now. One sent the moment the server begins to
     * stop may be taken in and held until the in-flight request ends: given up after a second and
     * asked again, it does not count as refused.
     */
    private static boolean newRequestRefused(int port) throws InterruptedException {
        try (HttpClient client = HttpClient.newHttpClient()) {
            client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/test/missing"))
                    .timeout(Duration.ofSeconds(1)).build(), HttpResponse.BodyHandlers.discarding());
            return false;
        } catch (HttpTimeoutException held) {
            return false;
        } catch (IOException refused) {
            return true;
        }
    }

    /** Sends {@code request} as bytes on a new connection and returns everything the server answers. */
    private String raw(String request) throws Exception {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", api.port())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            return new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    @Test
    void stopping_lets_an_in_flight_request_finish_and_refuses_new_ones() throws Exception {
        Http http = start();
        CompletableFuture<Http.Response> slow = CompletableFuture.supplyAsync(() -> http.get("/test/slow"));
        assertThat(slowRequestEntered.await(10, TimeUnit.SECONDS)).isTrue();

        int port = api.port();
        CompletableFuture<Void> stopping = CompletableFuture.runAsync(api::close);
        await().atMost(Duration.ofSeconds(10)).until(() -> newRequestRefused(port));
        assertThat(stopping).isNotDone();

        releaseSlowRequest.countDown();
        Http.Response r = slow.get(10, TimeUnit.SECONDS);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("finished");
        stopping.get(10, TimeUnit.SECONDS);
        api = null;
    }
}
