package com.casarerpa.orchestrator.testing;

import com.casarerpa.common.json.Json;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/** A real HTTP client for tests, with JSON bodies. */
public final class Http {
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final HttpClient client;
    private final String base;

    public Http(int port) {
        this(CLIENT, "http://127.0.0.1:" + port);
    }

    /** Requests to {@code base} ({@code https://127.0.0.1:8443}) through {@code client} (one with an SSL context for https). */
    public Http(HttpClient client, String base) {
        this.client = client;
        this.base = base;
    }

    public record Response(int status, String body, java.net.http.HttpHeaders headers) {
        public JsonNode json() {
            try {
                return Json.mapper().readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON: " + body, e);
            }
        }

        public String header(String name) {
            return headers.firstValue(name).orElse(null);
        }
    }

    public Response get(String path) {
        return get(path, Map.of());
    }

    public Response get(String path, Map<String, String> headers) {
        return send(request(path, headers).GET().build());
    }

    public Response post(String path, String json, Map<String, String> headers) {
        return send(request(path, headers)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json))
                .build());
    }

    public Response patch(String path, String json, Map<String, String> headers) {
        return send(request(path, headers)
                .header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(json))
                .build());
    }

    public Response put(String path, String json, Map<String, String> headers) {
        return send(request(path, headers)
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json))
                .build());
    }

    public Response delete(String path, Map<String, String> headers) {
        return send(request(path, headers).DELETE().build());
    }

    /** Any method, with a JSON body when {@code json} is not null. */
    public Response send(String method, String path, String json, Map<String, String> headers) {
        return json == null ? send(method, path, null, null, headers) : send(method, path, "application/json", json, headers);
    }

    /** Any method, with {@code body} (none when null) sent as {@code contentType} (no such header when null). */
    public Response send(String method, String path, String contentType, String body, Map<String, String> headers) {
        HttpRequest.Builder b = request(path, headers);
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        return send(b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build());
    }

    private HttpRequest.Builder request(String path, Map<String, String> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
        headers.forEach(b::header);
        return b;
    }

    private Response send(HttpRequest request) {
        try {
            HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString());
            return new Response(r.statusCode(), r.body(), r.headers());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
