package com.casarerpa.orchestrator.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.casarerpa.orchestrator.testing.Http;
import com.casarerpa.orchestrator.testing.OpenApiOperations.Operation;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The requests of a test, each with its own {@code X-Request-ID}, so that the audit trail tells
 * which request made each change: a refused request (4xx) must have made none.
 */
final class TracedRequests {
    private final Http http;
    private final Set<String> refused = new HashSet<>();
    private int count;

    TracedRequests(Http http) {
        this.http = http;
    }

    int count() {
        return count;
    }

    Http.Response send(Operation op, String path, String json, Map<String, String> credentials) {
        return send(op.method(), path, json == null ? null : "application/json", json, credentials);
    }

    /** Any method, body and content type (none when null); {@code headers} are sent as they are, with the request id. */
    Http.Response send(String method, String path, String contentType, String body, Map<String, String> headers) {
        String id = "fuzz-" + ++count;
        Map<String, String> all = new HashMap<>(headers);
        all.put("X-Request-ID", id);
        Http.Response r;
        try {
            r = http.send(method, path, contentType, body, all);
        } catch (UncheckedIOException first) {
            // The server closes a connection after refusing a huge request; the client may not
            // have noticed yet and reuse it. Once more on a new connection.
            try {
                r = http.send(method, path, contentType, body, all);
            } catch (UncheckedIOException e) {
                r = new Http.Response(-1, String.valueOf(e.getCause()), null);
            }
        }
        if (r.status() < 200 || r.status() >= 400) {
            refused.add(id);
        }
        return r;
    }

    /** What the audit trail records of these requests, by request id. */
    Map<String, List<JsonNode>> audited(Map<String, String> admin) {
        Map<String, List<JsonNode>> events = new HashMap<>();
        String cursor = "";
        do {
            Http.Response page = http.get("/api/v1/audit?limit=500" + cursor, admin);
            assertThat(page.status()).as(page.body()).isEqualTo(200);
            for (JsonNode event : page.json().path("items")) {
                String request = event.path("request_id").asText();
                if (request.startsWith("fuzz-")) {
                    events.computeIfAbsent(request, k -> new ArrayList<>()).add(event);
                }
            }
            JsonNode next = page.json().path("next_cursor");
            cursor = next.isTextual() ? "&cursor=" + URLEncoder.encode(next.asText(), StandardCharsets.UTF_8) : "";
        } while (!cursor.isEmpty());
        return events;
    }

    /** The audit events of refused requests, but for an account locked by failed sign-ins (which is the point of failing). */
    List<String> changesOfRefused(Map<String, List<JsonNode>> audited) {
        return audited.entrySet().stream().filter(e -> refused.contains(e.getKey())).flatMap(e -> e.getValue().stream())
                .filter(event -> !event.path("action").asText().equals("user.lock")).map(JsonNode::toString).toList();
    }
}
