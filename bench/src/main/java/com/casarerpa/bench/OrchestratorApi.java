package com.casarerpa.bench;

import com.casarerpa.common.json.Json;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * The few REST calls the benchmark makes, as any client would make them: keys, a workflow
 * deploy, and job submits (one, or a batch). HTTP/1.1 with keep-alive; the JDK client opens
 * one connection per concurrent request.
 */
final class OrchestratorApi {
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private final String baseUrl;
    private final String key;

    OrchestratorApi(String baseUrl, String key) {
        this.baseUrl = baseUrl;
        this.key = key;
    }

    OrchestratorApi withKey(String other) {
        return new OrchestratorApi(baseUrl, other);
    }

    String baseUrl() {
        return baseUrl;
    }

    String key() {
        return key;
    }

    /** A new key of {@code role} (a robot key without a robot id is a fleet key); returns the key itself. */
    String createKey(String name, String role) {
        return call("/api/v1/api-keys", "{\"name\":\"" + name + "\",\"role\":\"" + role + "\"}").get("key").asText();
    }

    /** Deploys a one-node workflow that robots treat as a no-op; returns its id. */
    String deployNoopWorkflow() {
        return call("/api/v1/workflows", "{\"name\":\"bench-noop\",\"workflow_data\":{\"nodes\":{\"start\":"
                + "{\"node_id\":\"start\",\"node_type\":\"StartNode\",\"config\":{}}},\"connections\":[]}}").get("id").asText();
    }

    /** {@code POST /api/v1/schedules}: a schedule of the workflow with default options; returns its id. */
    String createSchedule(String name, String workflowId, String cron) {
        return call("/api/v1/schedules", "{\"name\":\"" + name + "\",\"workflow_id\":\"" + workflowId + "\",\"cron\":\"" + cron
                + "\"}").get("id").asText();
    }

    /** {@code POST /api/v1/jobs}; completes with the response (201 expected). */
    CompletableFuture<HttpResponse<String>> submitAsync(String workflowId) {
        return http.sendAsync(post("/api/v1/jobs", "{\"workflow_id\":\"" + workflowId + "\"}"), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> submit(String workflowId) throws IOException, InterruptedException {
        return http.send(post("/api/v1/jobs", "{\"workflow_id\":\"" + workflowId + "\"}"), HttpResponse.BodyHandlers.ofString());
    }

    /** {@code POST /api/v1/jobs/batch} of {@code count} jobs (201 expected). */
    HttpResponse<String> submitBatch(String batchBody) throws IOException, InterruptedException {
        return http.send(post("/api/v1/jobs/batch", batchBody), HttpResponse.BodyHandlers.ofString());
    }

    static String batchBody(String workflowId, int count) {
        StringBuilder b = new StringBuilder("{\"jobs\":[");
        for (int i = 0; i < count; i++) {
            b.append(i == 0 ? "" : ",").append("{\"workflow_id\":\"").append(workflowId).append("\"}");
        }
        return b.append("]}").toString();
    }

    /** The {@code id} of a job in a submit answer, read without building a tree of the whole body. */
    static String jobId(String body) {
        try (JsonParser p = Json.mapper().getFactory().createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalStateException("not a JSON object: " + body);
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                p.nextToken();
                if (name.equals("id")) {
                    return p.getText();
                }
                p.skipChildren();
            }
            throw new IllegalStateException("no id in " + body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code GET path}, answered as it is. */
    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + key).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode call(String path, String body) {
        try {
            HttpResponse<String> r = http.send(post(path, body), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() / 100 != 2) {
                throw new IllegalStateException("POST " + path + " answered " + r.statusCode() + ": " + r.body());
            }
            return Json.mapper().readTree(r.body());
        } catch (IOException e) {
            throw new UncheckedIOException("POST " + path + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private HttpRequest post(String path, String body) {
        return HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }
}
