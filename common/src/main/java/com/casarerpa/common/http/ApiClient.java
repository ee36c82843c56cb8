package com.casarerpa.common.http;

import com.casarerpa.common.json.Json;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A small client of the orchestrator's REST API for the CLI (and later the robot): JSON text in,
 * JSON text out, the API key sent as {@code X-API-Key}. Answers outside 2xx become
 * {@link ApiCallException} carrying the error body's {@code code}, {@code message} and the
 * field at fault; a server that cannot be reached is an {@link ApiCallException} with status 0.
 * Bodies stay text, so callers parse them with the number handling they need.
 */
public final class ApiClient {
    private final URI base;
    private final Optional<String> apiKey;
    private final HttpClient http;
    private final Duration timeout;

    public ApiClient(URI base, Optional<String> apiKey, Duration timeout) {
        String b = base.toString();
        this.base = URI.create(b.endsWith("/") ? b.substring(0, b.length() - 1) : b);
        this.apiKey = apiKey.filter(k -> !k.isBlank());
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    }

    /**
     * @throws IllegalArgumentException when {@code url} is not an absolute http(s) URL
     */
    public static ApiClient of(String url, Optional<String> apiKey) {
        URI uri;
        try {
            uri = URI.create(url.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a URL: \"" + url + "\"");
        }
        if (uri.getScheme() == null || !uri.getScheme().matches("https?") || uri.getHost() == null) {
            throw new IllegalArgumentException("the API URL must look like http://host:8000, got \"" + url + "\"");
        }
        return new ApiClient(uri, apiKey, Duration.ofMinutes(5));
    }

    public URI base() {
        return base;
    }

    public String get(String pathAndQuery) {
        return send(request(pathAndQuery).GET().build());
    }

    public String post(String path, String json) {
        return send(request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8)).build());
    }

    /** DELETE; the answer's body (often empty for 204). */
    public String delete(String path) {
        return send(request(path).DELETE().build());
    }

    /** Percent-encodes one path segment or query value. */
    public static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(timeout)
                .header("Accept", "application/json");
        apiKey.ifPresent(k -> b.header("X-API-Key", k));
        return b;
    }

    private String send(HttpRequest request) {
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (HttpConnectTimeoutException | ConnectException e) {
            throw new ApiCallException(0, "unreachable", "cannot reach the orchestrator at " + base + " ("
                    + (e instanceof ConnectException ? "connection refused" : "connect timed out") + ")", null);
        } catch (HttpTimeoutException e) {
            throw new ApiCallException(0, "timeout", "the orchestrator at " + base + " did not answer within "
                    + timeout.toSeconds() + " s", null);
        } catch (IOException e) {
            throw new ApiCallException(0, "unreachable", "cannot talk to the orchestrator at " + base + ": " + e, null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiCallException(0, "interrupted", "interrupted while calling " + base, null);
        }
        if (response.statusCode() / 100 == 2) {
            return response.body();
        }
        throw failure(response);
    }

    private ApiCallException failure(HttpResponse<String> response) {
        int status = response.statusCode();
        try {
            JsonNode error = Json.mapper().readTree(response.body()).path("error");
            if (error.isObject()) {
                JsonNode details = error.path("details");
                List<String> problems = new ArrayList<>();
                for (JsonNode p : details.path("problems")) {
                    problems.add(p.path("field").asText("body") + ": " + p.path("message").asText(""));
                }
                return new ApiCallException(status, error.path("code").asText("http_" + status),
                        error.path("message").asText(""), details.path("field").asText(null), problems);
            }
        } catch (IOException | RuntimeException e) {
            // not our error shape (a proxy's page, say): report the status alone
        }
        return new ApiCallException(status, "http_" + status, "HTTP " + status + " from " + base, null);
    }
}
