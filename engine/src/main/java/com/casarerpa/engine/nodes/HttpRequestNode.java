package com.casarerpa.engine.nodes;

import com.casarerpa.engine.HostResolver;
import com.casarerpa.engine.node.Node;
import com.casarerpa.engine.node.NodeContext;
import com.casarerpa.engine.node.NodeFailure;
import com.casarerpa.engine.node.NodeResult;
import com.casarerpa.engine.value.Values;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;

/**
 * Sends {@code method} (default GET) to {@code url} with {@code headers}, {@code params} (added
 * to the query) and {@code body} (POST, PUT, PATCH; a map or list goes as JSON, with
 * {@code content_type} default application/json), {@code timeout} seconds (default 30),
 * {@code retry_count} extra attempts on 429/502/503/504 and transport errors
 * ({@code retry_delay} seconds, doubling), redirects followed ({@code follow_redirects},
 * {@code max_redirects}). Every connection goes only to an address {@link NetworkGuard} checked.
 * Outputs
 * {@code status_code}, {@code response_body}, {@code response_json} (when JSON),
 * {@code response_headers}, {@code success} (2xx) and {@code error} ("" or "HTTP 404"): a
 * non-2xx answer is not a node failure; a transport error is, and so is a body larger than
 * {@code max_response_size} bytes (default 50 MB).
 */
public final class HttpRequestNode implements Node {
    /** The default {@code max_response_size}: a larger body fails the request instead of filling the robot's memory. */
    static final long MAX_BODY = 50L * 1024 * 1024;
    private static final Duration MAX_CONNECT = Duration.ofSeconds(30);
    private static final Set<Integer> RETRY_ON = Set.of(429, 502, 503, 504);
    private static final Set<String> WITH_BODY = Set.of("POST", "PUT", "PATCH");
    private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

    private final HostResolver resolver;

    public HttpRequestNode() {
        this(HostResolver.SYSTEM);
    }

    public HttpRequestNode(HostResolver resolver) {
        this.resolver = resolver;
    }

    @Override
    public NodeResult execute(NodeContext ctx) throws Exception {
        String method = ctx.text("method", "GET").trim().toUpperCase(Locale.ROOT);
        if (!TOKEN.matcher(method).matches()) {
            throw NodeFailure.config("invalid request: method '" + method + "'");
        }
        URI uri = uri(ctx);
        Duration timeout = Duration.ofMillis((long) (ctx.number("timeout", 30.0).doubleValue() * 1000));
        int attempts = 1 + Math.max(0, ctx.number("retry_count", 0L).intValue());
        double delay = ctx.number("retry_delay", 1.0).doubleValue();
        NetworkGuard guard = new NetworkGuard(resolver, ctx.settings().allowPrivateNetworks());
        Duration connect = timeout.compareTo(MAX_CONNECT) < 0 && timeout.isPositive() ? timeout : MAX_CONNECT;
        try (GuardedHttpClient http = new GuardedHttpClient(guard, connect)) {
            for (int attempt = 1; ; attempt++) {
                try {
                    HttpAnswer response = follow(ctx, http, method, uri, timeout);
                    if (attempt < attempts && RETRY_ON.contains(response.status())) {
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

    private static HttpAnswer follow(NodeContext ctx, GuardedHttpClient http, String method, URI uri, Duration timeout)
            throws IOException, InterruptedException {
        boolean redirects = ctx.flag("follow_redirects", true);
        int maxRedirects = ctx.number("max_redirects", 10L).intValue();
        long maxBody = ctx.number("max_response_size", MAX_BODY).longValue();
        String currentMethod = method;
        URI current = uri;
        for (int hop = 0; ; hop++) {
            NetworkGuard.checkUrl(current);
            HttpAnswer response;
            try {
                response = http.send(request(ctx, currentMethod, current), timeout, maxBody);
            } catch (NetworkGuard.Blocked e) {
                throw NetworkGuard.blocked(current, e);
            }
            int status = response.status();
            String location = response.header("Location");
            if (!redirects || status < 300 || status > 399 || status == 304 || location == null) {
                return response;
            }
            if (hop >= maxRedirects) {
                throw new NodeFailure("HttpError", "HTTP " + method + " request failed: more than " + maxRedirects + " redirects", false);
            }
            current = current.resolve(location);
            if (status == 303 || (status == 301 || status == 302) && currentMethod.equals("POST")) {
                currentMethod = "GET";
            }
        }
    }

    private static HttpUriRequestBase request(NodeContext ctx, String method, URI uri) {
        HttpUriRequestBase request = new HttpUriRequestBase(method, uri);
        request.setHeader("User-Agent", "CasareRPA/1.0");
        Map<String, String> headers = headers(ctx.param("headers"));
        headers.forEach(request::setHeader);
        Object body = ctx.param("body");
        if (WITH_BODY.contains(method) && body != null && !"".equals(body)) {
            if (headers.keySet().stream().noneMatch(h -> h.equalsIgnoreCase("content-type"))) {
                request.setHeader("Content-Type", ctx.text("content_type", "application/json"));
            }
            request.setEntity(new ByteArrayEntity(Values.text(body).getBytes(StandardCharsets.UTF_8), null));
        }
        return request;
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
            map.forEach((k, v) -> {
                String name = Values.text(k);
                String value = Values.text(v);
                if (!TOKEN.matcher(name).matches() || value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0) {
                    throw NodeFailure.config("invalid request: header '" + name + "' (a name is a token, a value one line)");
                }
                out.put(name, value);
            });
        }
        return out;
    }

    private static NodeResult result(HttpAnswer response) {
        int status = response.status();
        boolean ok = status >= 200 && status < 300;
        Map<String, Object> headers = new LinkedHashMap<>();
        response.headers().forEach((k, v) -> headers.put(k, v.size() == 1 ? v.getFirst() : List.copyOf(v)));
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
