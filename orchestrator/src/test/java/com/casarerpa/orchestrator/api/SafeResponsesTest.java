package com.casarerpa.orchestrator.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.casarerpa.orchestrator.testing.Http;
import com.casarerpa.orchestrator.testing.RunningOrchestrator;
import com.casarerpa.orchestrator.testing.Samples;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every answer promises a browser or a cache, on a whole server: {@code X-Content-Type-Options:
 * nosniff} on every answer (the HTTP server's own errors and refused robot handshakes included),
 * {@code Cache-Control: no-store} on answers that show a key, token or webhook secret, and 415 for a
 * JSON route sent a body that is not declared JSON.
 */
class SafeResponsesTest {
    private static final String WORKFLOW = "{\"name\":\"Greeting\",\"workflow_data\":" + Samples.chain("greeting", "hi") + "}";

    @TempDir
    Path workDir;

    private RunningOrchestrator server;
    private Http http;
    private Map<String, String> admin;

    @BeforeEach
    void start() {
        server = RunningOrchestrator.embedded(workDir, Map.of("CASARE_ORCHESTRATOR_RATE_LIMIT_BURST", "1000"));
        http = server.http();
        admin = Map.of("X-API-Key", server.orchestrator().bootstrapKey().orElseThrow());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void every_answer_says_nosniff_including_errors_and_the_http_servers_own() throws Exception {
        for (Http.Response r : List.of(http.get("/health"), http.get("/no/such/route"), http.get("/api/v1/workflows"),
                http.get("/api/v1/workflows", admin), http.post("/api/v1/workflows", "{", admin),
                http.send("PUT", "/api/v1/robots/a%ED%A0%80b/status", "{}", admin))) {
            assertThat(r.header("X-Content-Type-Options")).as(r.status() + " " + r.body()).isEqualTo("nosniff");
        }
        String badUri = raw("GET /api/%zz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        String refusedHandshake = raw("GET /ws/robots HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
        assertThat(badUri).startsWith("HTTP/1.1 400").containsIgnoringCase("X-Content-Type-Options: nosniff");
        assertThat(refusedHandshake).startsWith("HTTP/1.1 401").containsIgnoringCase("X-Content-Type-Options: nosniff");
    }

    @Test
    void an_error_of_the_http_server_has_the_json_body_whatever_the_method() {
        for (String method : List.of("GET", "PUT", "PATCH", "DELETE")) {
            Http.Response r = http.send(method, "/api/v1/workflows/a%ED%A0%80b", method.equals("GET") || method.equals("DELETE")
                    ? null : "{}", admin);
            assertThat(r.status()).isEqualTo(400);
            assertThat(r.json().at("/error/code").asText()).as(method).isEqualTo("invalid_request");
        }
    }

    @Test
    void answers_that_show_a_key_token_or_webhook_secret_are_kept_by_no_cache() {
        Http.Response key = http.post("/api/v1/api-keys", "{\"name\":\"Ops\",\"role\":\"operator\"}", admin);
        Http.Response token = http.post("/api/v1/auth/token", "{\"api_key\":\"" + key.json().get("key").asText() + "\"}", Map.of());
        http.post("/api/v1/workflows", WORKFLOW, admin);
        Http.Response webhook = http.post("/api/v1/webhooks", "{\"name\":\"Hook\",\"workflow_name\":\"Greeting\"}", admin);

        for (Http.Response r : List.of(key, token, webhook)) {
            assertThat(r.status()).as(r.body()).isIn(200, 201);
            assertThat(r.header("Cache-Control")).as(r.body()).isEqualTo("no-store");
        }
    }

    @Test
    void a_json_route_refuses_a_body_not_declared_as_json_with_415() {
        for (String type : new String[] {"text/plain", "application/x-www-form-urlencoded", null}) {
            Http.Response r = http.send("POST", "/api/v1/workflows", type, WORKFLOW, admin);
            assertThat(r.status()).as(type + ": " + r.body()).isEqualTo(415);
            assertThat(r.json().at("/error/code").asText()).isEqualTo("unsupported_media_type");
        }
        assertThat(http.get("/api/v1/workflows", admin).json().get("items")).as("nothing deployed").isEmpty();

        assertThat(http.send("POST", "/api/v1/workflows", "application/json; charset=UTF-8", WORKFLOW, admin).status()).isEqualTo(201);
        // A route whose body is optional takes no body without a content type.
        assertThat(http.send("POST", "/api/v1/auth/token", null, null, admin).status()).isEqualTo(200);
    }

    /** Sends {@code request} as bytes on a new connection and returns what the server answers up to its headers' end. */
    private String raw(String request) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", server.orchestrator().port())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            StringBuilder head = new StringBuilder();
            while (!head.toString().endsWith("\r\n\r\n")) {
                int b = in.read();
                if (b < 0) {
                    break;
                }
                head.append((char) b);
            }
            return head.toString();
        }
    }
}
