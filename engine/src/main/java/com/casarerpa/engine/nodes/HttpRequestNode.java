package com.casarerpa.engine.nodes;

import com.casarerpa.engine.node.Node;
import com.casarerpa.engine.node.NodeContext;
import com.casarerpa.engine.node.NodeFailure;
import com.casarerpa.engine.node.NodeResult;
import com.casarerpa.engine.value.Values;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/**
 * Sends {@code method} (default GET) to {@code url} with {@code headers}, {@code params} (added
 * to the query) and {@code body} (POST, PUT, PATCH; a map or list goes as JSON, with
 * {@code content_type} default application/json), {@code timeout} seconds (default 30),
 * {@code retry_count} extra attempts on 429/502/503/504 and transport errors
 * ({@code retry_delay} seconds, doubling), redirects followed and checked by
 * {@link NetworkGuard} ({@code follow_redirects}, {@code max_redirects}). Outputs
 * {@code status_code}, {@code response_body}, {@code response_json} (when JSON),
 * {@code response_headers}, {@code success} (2xx) and {@code error} ("" or "HTTP 404"): a
 * non-2xx answer is not a node failure; a transport error is, and so is a body larger than
 * {@code max_response_size} bytes (default 50 MB).
 */
public final class HttpRequestNode implements Node {
    /** The default {@code max_response_size}: a larger body fails the request instead of filling the robot's memory. */
    static final long MAX_BODY = 50L * 1024 * 1024;
    private static final Set<Integer> RETRY_ON = Set.of(429, 502, 503, 504);
    private static final Set<String> WITH_BODY = Set.of("POST", "PUT", "PATCH");
    private final HttpClient client = HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(30))
            .build();

    @Override
    public NodeResult execute(NodeContext ctx) throws Exception {
        String method = ctx.text("method", "GET").trim().toUpperCase(Locale.ROOT);
        URI uri = uri(ctx);
        Duration timeout = Duration.ofMillis((long) (ctx.number("timeout", 30.0).doubleValue() * 1000));
        int attempts = 1 + Math.max(0, ctx.number("retry_count", 0L).intValue());
        double delay = ctx.number("retry_delay", 1.0).doubleValue();
        for (int attempt = 1; ; attempt++) {
            try {
                HttpResponse<String> response = follow(ctx, method, uri, timeout);
                if (attempt < attempts && RETRY_ON.contains(response.statusCode())) {
                    pause(delay, attempt);
                    continue;
                }
                return result(response);
            } catch (IOException e) {
                if (attempt >= attempts) {
                    throw new NodeFailure("HttpError", "HTTP " + method + " request failed: " + describe(e), e);
                }
                pause(delay, attempt);
            }
        }
    }

    private static URI uri(NodeContext ctx) {
        String url = ctx.requiredText("url").trim();
        Object params = ctx.param("params");
        if (params instanceof Map<?, ?> map && !map.isEmpty()) {
            StringBuilder query = new StringBuilder();
            map.forEach((k, v) -> query.append(query.isEmpty() ? "" : "&")
                    .append(URLEncoder.encode(Values.text(k), StandardCharsets.UTF_8)).append('=')
                    .append(URLEncoder.encode(Values.text(v), StandardCharsets.UTF_8)));
            url = url + (url.contains("?") ? "&" : "?") + query;
        }
        try {
            return URI.create(url);
        } catch (IllegalArgumentException e) {
            throw NodeFailure.config("invalid url '" + url + "': " + e.getMessage());
        }
    }

    private HttpResponse<String> follow(NodeContext ctx, String method, URI uri, Duration timeout) throws IOException, InterruptedException {
        boolean redirects = ctx.flag("follow_redirects", true);
        int maxRedirects = ctx.number("max_redirects", 10L).intValue();
        String currentMethod = method;
        URI current = uri;
        for (int hop = 0; ; hop++) {
            NetworkGuard.check(current, ctx.settings().allowPrivateNetworks());
            HttpResponse<String> response = send(request(ctx, currentMethod, current, timeout), ctx.number("max_response_size", MAX_BODY).longValue());
            int status = response.statusCode();
            var location = response.headers().firstValue("location");
            if (!redirects || status < 300 || status > 399 || status == 304 || location.isEmpty()) {
                return response;
            }
            if (hop >= maxRedirects) {
                throw new NodeFailure("HttpError", "HTTP " + method + " request failed: more than " + maxRedirects + " redirects", false);
            }
            current = current.resolve(location.get());
            if (status == 303 || (status == 301 || status == 302) && currentMethod.equals("POST")) {
                currentMethod = "GET";
            }
        }
    }

    /** Sends on the client's threads so that an interrupt (cancel, timeout) abandons the request at once. */
    private HttpResponse<String> send(HttpRequest request, long maxBody) throws IOException, InterruptedException {
        Future<HttpResponse<String>> future = client.sendAsync(request, LimitedBody.handler(maxBody));
        try {
            return future.get();
        } catch (InterruptedException e) {
            future.cancel(true);
            throw e;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException(e.getCause().getMessage(), e.getCause());
        }
    }

    private static HttpRequest request(NodeContext ctx, String method, URI uri, Duration timeout) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri).timeout(timeout).header("User-Agent", "CasareRPA/1.0");
        Map<String, String> headers = headers(ctx.param("headers"));
        headers.forEach(builder::header);
        Object body = ctx.param("body");
        boolean hasBody = WITH_BODY.contains(method) && body != null && !"".equals(body);
        if (hasBody && headers.keySet().stream().noneMatch(h -> h.equalsIgnoreCase("content-type"))) {
            builder.header("Content-Type", ctx.text("content_type", "application/json"));
        }
        HttpRequest.BodyPublisher publisher = hasBody
                ? HttpRequest.BodyPublishers.ofString(Values.text(body), StandardCharsets.UTF_8)
                : HttpRequest.BodyPublishers.noBody();
        try {
            return builder.method(method, publisher).build();
        } catch (IllegalArgumentException e) {
            throw NodeFailure.config("invalid request: " + e.getMessage());
        }
    }

    private static Map<String, String> headers(Object headers) {
        Object parsed = headers;
        if (headers instanceof String s && !s.isBlank()) {
            try {
                parsed = Values.json().readValue(s, Object.class);
            } catch (IOException e) {
                throw NodeFailure.config("headers must be a map or a JSON object, got '" + s + "'");
            }
        }
        Map<String, String> out = new LinkedHashMap<>();
        if (parsed instanceof Map<?, ?> map) {
            map.forEach((k, v) -> out.put(Values.text(k), Values.text(v)));
        }
        return out;
    }

    private static NodeResult result(HttpResponse<String> response) {
        int status = response.statusCode();
        boolean ok = status >= 200 && status < 300;
        Map<String, Object> headers = new LinkedHashMap<>();
        response.headers().map().forEach((k, v) -> headers.put(k, v.size() == 1 ? v.getFirst() : List.copyOf(v)));
        Object json = null;
        try {
            json = response.body().isBlank() ? null : Values.json().readValue(response.body(), Object.class);
        } catch (IOException notJson) {
            // response_json stays absent
        }
        return NodeResult.next(NodeResult.outputs("status_code", (long) status, "response_body", response.body(),
                "response_json", json, "response_headers", headers, "success", ok, "error", ok ? "" : "HTTP " + status));
    }

    private static void pause(double delaySeconds, int attempt) throws InterruptedException {
        double seconds = Math.min(30, delaySeconds * Math.pow(2, attempt - 1));
        Thread.sleep(Duration.ofMillis((long) (seconds * 1000)));
    }

    private static String describe(IOException e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null || m.isBlank() ? "" : ": " + m);
    }
}
