package com.casarerpa.orchestrator.api;

import com.casarerpa.orchestrator.testing.Http;
import com.casarerpa.orchestrator.testing.OpenApiOperations.Operation;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * Hostile REST requests drawn from a seeded generator over the operations of {@code /openapi.json}.
 * A read ({@code GET}) gets any of: hostile query parameters (declared or not), a path parameter
 * that names nothing or is hostile text, bad credentials, odd or huge headers. A write gets at least
 * one change that a correct server must refuse (bad credentials, a path naming nothing, a body
 * that is not JSON, cut short, of the wrong shape, with a field no route takes, with NUL or an
 * unpaired surrogate in a declared field, nested 5,000 deep, or over 2 MB), and any of the read's
 * changes besides. A few requests are not HTTP a client library would send (a garbage request
 * line, bad percent-encoding, a body shorter than its length, invalid UTF-8, a bad chunk), sent
 * over a socket. A finding is an answer of 5xx, no answer where one was due, a 4xx without the
 * JSON error body, or a write that was accepted.
 */
final class RestFuzz {
    private static final int MAX_FINDINGS = 40;
    private static final String ROBOT_ACCESS = "robot.connect";
    private static final String WEBHOOK_ACCESS = "webhook";
    private static final String[] HOSTILE_TEXT = {"", " ", "null", "-1", "0", "2147483648", "99999999999999999999999", "1e309",
            "NaN", "' OR '1'='1", "1; DROP TABLE jobs; --", "%", "_", "\\", "../../etc/passwd", "<script>alert(1)</script>",
            "${jndi:ldap://127.0.0.1/x}", "\u202Egnp.exe", "\uD83D\uDE00", "2026-13-45T99:99:99Z", "true", "[]", "{}",
            "x".repeat(300), "y".repeat(5000)};
    /** Text that is valid in a URL as it is: NUL, an unpaired surrogate, dot segments, as percent-escapes. */
    private static final String[] RAW_URL_TEXT = {"a%00b", "a%ED%A0%80b", "%2e%2e%2f%2e%2e%2f", "%C0%AE%C0%AE", "%FF%FE"};

    /** A submit whose workflow name holds bytes that are not UTF-8. */
    private static final byte[] INVALID_UTF8_BODY = concat(ascii("{\"workflow_name\":\"Daily "),
            new byte[] {(byte) 0xC3, (byte) 0x28, (byte) 0xFF, (byte) 0xFE}, ascii("Report\"}"));

    /** What a write carries so that a correct server refuses it. */
    private enum Refusal { BAD_CREDENTIALS, UNKNOWN_PATH, NOT_JSON, TRUNCATED, WRONG_SHAPE, UNKNOWN_FIELD, NUL, SURROGATE,
        DEEP, OVERSIZED }

    private static final List<Refusal> BODY_REFUSALS = List.of(Refusal.NOT_JSON, Refusal.TRUNCATED, Refusal.WRONG_SHAPE,
            Refusal.UNKNOWN_FIELD, Refusal.NUL, Refusal.SURROGATE, Refusal.DEEP, Refusal.OVERSIZED);

    private final Random random;
    private final Http http;
    private final DocumentedResources fixtures;
    private final List<Operation> operations;
    private final int port;
    private final TracedRequests tracer;
    private final List<String> findings = new ArrayList<>();
    private final Map<String, Integer> statuses = new TreeMap<>();
    private int found;
    private int sent;

    RestFuzz(Random random, Http http, DocumentedResources fixtures, List<Operation> operations, int port) {
        this.random = random;
        this.http = http;
        this.fixtures = fixtures;
        this.operations = operations;
        this.port = port;
        this.tracer = new TracedRequests(http);
    }

    TracedRequests tracer() {
        return tracer;
    }

    int sent() {
        return sent;
    }

    String summary() {
        return sent + " REST requests, answers by status " + statuses;
    }

    /** Sends {@code count} requests; the findings (at most {@value #MAX_FINDINGS} shown, with how many in all). */
    List<String> run(int count) {
        while (sent < count) {
            sent++;
            if (random.nextInt(100) < 4) {
                raw();
            } else {
                request();
            }
        }
        List<String> out = new ArrayList<>(findings);
        if (found > findings.size()) {
            out.add((found - findings.size()) + " more");
        }
        return out;
    }

    /** A request built from the document, with hostile changes. */
    private final class Built {
        final Operation op;
        String method;
        String path;
        final Map<String, String> headers;
        final List<String> query = new ArrayList<>();
        String contentType;
        String body;
        final List<String> changes = new ArrayList<>();

        Built(Operation op) {
            this.op = op;
            this.method = op.method();
            this.path = fixtures.path(op, null, null);
            this.headers = new HashMap<>(fixtures.headersFor(op));
            if (!op.bodyFields().isEmpty()) {
                contentType = "application/json";
                body = op.exampleBody().toString();
            } else if (!op.method().equals("GET")) {
                contentType = "application/json";
            }
        }

        String url() {
            return query.isEmpty() ? path : path + "?" + String.join("&", query);
        }

        @Override
        public String toString() {
            return method + " " + url().substring(0, Math.min(200, url().length())) + " " + changes;
        }
    }

    private void request() {
        Operation op = operations.get(random.nextInt(operations.size()));
        boolean write = !op.method().equals("GET");
        List<Refusal> refusals = refusals(op);
        if (write && refusals.isEmpty()) {
            sent--;
            return;
        }
        Built b = new Built(op);
        if (write) {
            refuse(b, refusals.get(random.nextInt(refusals.size())));
        }
        int noise = random.nextInt(write ? 2 : 4);
        for (int i = 0; i < noise; i++) {
            switch (random.nextInt(write ? 3 : 5)) {
                case 0 -> hostileQuery(b);
                case 1 -> b.headers.put(pick(new String[] {"Accept", "X-Forwarded-For", "Accept-Language", "If-None-Match", "Origin"}),
                        pick(new String[] {"text/html", "*/*;q=x", "1.2.3.4, garbage", "\u00e9", "x".repeat(2000)}));
                case 2 -> {
                    b.headers.put("X-Fuzz-Huge", "h".repeat(20_000));
                    b.changes.add("huge header");
                }
                case 3 -> refuse(b, Refusal.BAD_CREDENTIALS);
                default -> {
                    if (!op.pathParams().isEmpty()) {
                        refuse(b, Refusal.UNKNOWN_PATH);
                    }
                }
            }
        }
        Http.Response r = tracer.send(b.method, b.url(), b.contentType, b.body, b.headers);
        // The server may close the connection after refusing a huge request instead of answering it.
        boolean big = b.url().length() > 8_000 || b.changes.contains("huge header") || b.changes.contains("oversized");
        check(b, r.status(), r.body(), write, big);
    }

    /** The refusals a write of {@code op} may carry: each one a correct server must refuse whatever else the request holds. */
    private static List<Refusal> refusals(Operation op) {
        List<Refusal> out = new ArrayList<>();
        if (!op.access().equals("public")) {
            out.add(Refusal.BAD_CREDENTIALS);
        }
        if (!op.pathParams().isEmpty()) {
            out.add(Refusal.UNKNOWN_PATH);
        }
        if (!op.bodyFields().isEmpty()) {
            if (op.access().equals(ROBOT_ACCESS)) {
                // Existing robots send fields we do not know: only a body that is no object is refused.
                out.addAll(List.of(Refusal.NOT_JSON, Refusal.TRUNCATED));
            } else if (op.path().endsWith("/workflows/import")) {
                out.addAll(List.of(Refusal.NOT_JSON, Refusal.TRUNCATED, Refusal.WRONG_SHAPE));
            } else if (!op.access().equals(WEBHOOK_ACCESS)) {
                out.addAll(BODY_REFUSALS);
            }
        }
        return out;
    }

    private void refuse(Built b, Refusal refusal) {
        b.changes.add(refusal.name().toLowerCase(java.util.Locale.ROOT));
        switch (refusal) {
            case BAD_CREDENTIALS -> {
                b.headers.keySet().removeIf(h -> h.equalsIgnoreCase("Authorization") || h.equalsIgnoreCase("X-API-Key")
                        || h.equalsIgnoreCase("X-Casare-Webhook-Key"));
                switch (random.nextInt(6)) {
                    case 0 -> { } // none at all
                    case 1 -> b.headers.put("X-API-Key", "crpa_" + token(43));
                    case 2 -> b.headers.put("Authorization", "Bearer " + token(random.nextInt(200)));
                    case 3 -> b.headers.put("Authorization", "Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJhZG1pbiIsInJvbGUiOiJhZG1pbiJ9.");
                    case 4 -> b.headers.put("Authorization", "Basic YWRtaW46YWRtaW4=");
                    default -> b.headers.put("X-Casare-Webhook-Key", token(32));
                }
            }
            case UNKNOWN_PATH -> {
                if (!b.op.pathParams().isEmpty()) {
                    String param = b.op.pathParams().get(random.nextInt(b.op.pathParams().size()));
                    String value = random.nextBoolean() ? "zz-" + token(12) : random.nextBoolean()
                            ? pick(RAW_URL_TEXT) : encode("zz" + pick(HOSTILE_TEXT));
                    b.path = fixtures.path(b.op, param, value);
                }
            }
            case NOT_JSON -> b.body = pick(new String[] {"{", "not json", "{\"a\":}", "{'single': 'quotes'}", "<xml/>", "\u0000",
                    "{\"a\":1}}", "[1,2", "{\"a\" 1}"});
            case TRUNCATED -> {
                String whole = b.body == null ? "{\"name\":\"x\"}" : b.body;
                b.body = whole.substring(0, 1 + random.nextInt(Math.max(1, whole.length() - 1)));
            }
            case WRONG_SHAPE -> b.body = pick(new String[] {"[]", "[" + (b.body == null ? "{}" : b.body) + "]", "\"text\"", "42",
                    "null", "true"});
            case UNKNOWN_FIELD -> b.body = withField(b, "zz_" + token(6), "1");
            case NUL -> b.body = withField(b, declared(b), "\"a\\u0000b\"");
            case SURROGATE -> b.body = withField(b, declared(b), "\"a\\ud800b\"");
            case DEEP -> b.body = withField(b, declared(b), "[".repeat(5000) + "]".repeat(5000));
            case OVERSIZED -> b.body = withField(b, "zz_pad", "\"" + "p".repeat(2 * 1024 * 1024 + 10) + "\"");
        }
    }

    private String declared(Built b) {
        return b.op.bodyFields().isEmpty() ? "zz_field" : b.op.bodyFields().get(random.nextInt(b.op.bodyFields().size()));
    }

    /** The example body with {@code field} set to the JSON text {@code json}. */
    private static String withField(Built b, String field, String json) {
        ObjectNode example = b.op.exampleBody().deepCopy();
        example.remove(field);
        String rest = example.toString();
        String member = "\"" + field + "\":" + json;
        return rest.equals("{}") ? "{" + member + "}" : "{" + member + "," + rest.substring(1);
    }

    private void hostileQuery(Built b) {
        List<String> names = new ArrayList<>(b.op.queryParams());
        names.addAll(List.of("limit", "cursor", "zz", "state", "folder"));
        String name = names.get(random.nextInt(names.size()));
        String value = random.nextInt(4) == 0 ? pick(RAW_URL_TEXT) : encode(pick(HOSTILE_TEXT));
        int times = random.nextInt(10) == 0 ? 200 : 1;
        for (int i = 0; i < times; i++) {
            b.query.add(name + "=" + value);
        }
        b.changes.add("query " + name + (times > 1 ? " x" + times : ""));
    }

    private void check(Built request, int status, String body, boolean write, boolean big) {
        statuses.merge(status == -1 ? "none" : String.valueOf(status), 1, Integer::sum);
        String what = request + " -> " + status + " " + (body == null ? "" : body.substring(0, Math.min(300, body.length())));
        if (status == -1 && !big) {
            finding("no answer: " + what);
        } else if (status >= 500) {
            finding("5xx: " + what);
        } else if (write && status >= 200 && status < 400) {
            finding("a hostile write was accepted: " + what);
        } else if (status >= 400 && !errorBody(body)) {
            finding("a 4xx without the JSON error body: " + what);
        }
    }

    private static boolean errorBody(String body) {
        try {
            JsonNode json = com.casarerpa.common.json.Json.mapper().readTree(body);
            return json.at("/error/code").isTextual();
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private void finding(String what) {
        found++;
        if (findings.size() < MAX_FINDINGS) {
            findings.add("#" + sent + " " + what);
        }
    }

    /** Requests no HTTP client library sends, over a socket of their own. */
    private void raw() {
        String admin = fixtures.admin.get("X-API-Key");
        String head = "Host: 127.0.0.1\r\nConnection: close\r\n";
        byte[][] variants = {
                ascii("GARBAGE\r\n\r\n"),
                ascii("GET /api/v1/jobs?state=%ZZ HTTP/1.1\r\n" + head + "X-API-Key: " + admin + "\r\n\r\n"),
                ascii("GET /api/v1/%zz/../../../etc/passwd HTTP/1.1\r\n" + head + "\r\n"),
                ascii("GET /api/v1/robots HTTP/9.9\r\n" + head + "\r\n"),
                ascii("GET /api/v1/robots HTTP/1.1\r\n" + head + "NoColonHere\r\n\r\n"),
                ascii("DELETE /api/v1/workflows HTTP/1.1\r\n" + head + "Content-Length: -5\r\n\r\n"),
                ascii("POST /api/v1/jobs HTTP/1.1\r\n" + head + "X-API-Key: " + admin
                        + "\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"workflow_name\""),
                ascii("POST /api/v1/jobs HTTP/1.1\r\n" + head + "X-API-Key: " + admin
                        + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n"),
                concat(ascii("POST /api/v1/jobs HTTP/1.1\r\n" + head + "X-API-Key: " + admin
                        + "\r\nContent-Type: application/json\r\nContent-Length: " + INVALID_UTF8_BODY.length + "\r\n\r\n"),
                        INVALID_UTF8_BODY),
        };
        int pick = random.nextInt(variants.length);
        int status = send(variants[pick]);
        String label = "raw #" + pick + " " + new String(variants[pick], 0, Math.min(60, variants[pick].length),
                StandardCharsets.ISO_8859_1).lines().findFirst().orElse("");
        statuses.merge(status == -1 ? "none" : String.valueOf(status), 1, Integer::sum);
        // Garbage may be dropped without an answer; an answer must not be 5xx, nor accept the job. HTTP/9.9 is the one
        // exception: 505 HTTP Version Not Supported is the answer RFC 9110 gives it (Jetty's, before any route).
        if (status >= 500 && !(pick == 3 && status == 505)) {
            finding("5xx: " + label + " -> " + status);
        } else if (status >= 200 && status < 400 && pick >= 5) {
            finding("a hostile write was accepted: " + label + " -> " + status);
        }
    }

    private int send(byte[] request) {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(30_000);
            OutputStream out = s.getOutputStream();
            out.write(request);
            out.flush();
            s.shutdownOutput();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            int c;
            while ((c = in.read()) != -1 && c != '\n') {
                line.write(c);
            }
            String[] parts = line.toString(StandardCharsets.ISO_8859_1).split(" ");
            return parts.length >= 2 && parts[1].matches("\\d{3}") ? Integer.parseInt(parts[1]) : -1;
        } catch (IOException e) {
            return -1;
        }
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    private String pick(String[] values) {
        return values[random.nextInt(values.length)];
    }

    private String token(int length) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < length; i++) {
            sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return sb.toString();
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
