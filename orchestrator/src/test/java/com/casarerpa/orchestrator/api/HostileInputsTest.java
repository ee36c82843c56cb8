package com.casarerpa.orchestrator.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.casarerpa.common.json.Json;
import com.casarerpa.orchestrator.testing.CliHarness;
import com.casarerpa.orchestrator.testing.Http;
import com.casarerpa.orchestrator.testing.OpenApiOperations;
import com.casarerpa.orchestrator.testing.OpenApiOperations.Operation;
import com.casarerpa.orchestrator.testing.RunningOrchestrator;
import com.casarerpa.orchestrator.testing.Samples;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every operation listed in the served {@code /openapi.json}, with every path parameter, query
 * parameter and top-level body field it declares set in turn to what PostgreSQL text cannot hold
 * (NUL; an unpaired UTF-16 surrogate, as a JSON escape and as raw bytes in a URL) and to long
 * strings (past the columns of names and ids, past every column, 1 MB), on PostgreSQL and on H2:
 * no answer is a 5xx, every 4xx has the JSON error body, and NUL and surrogates are 400, naming
 * the query parameter or body field (a path with them is refused before routing). The other
 * inputs of each request are real ids and the document's example body, so the hostile value
 * reaches as deep as it can. A route added to the document is covered without editing this test.
 */
class HostileInputsTest {
    private static final String PLACEHOLDER = "__hostile__";

    @TempDir
    Path workDir;

    /** One hostile value: its JSON literal, its form in a URL, and whether it must be refused with 400. */
    private record Hostile(String label, String json, String url, boolean refused) {
        static Hostile longText(String label, int chars) {
            String text = "x".repeat(chars);
            return new Hostile(label, "\"" + text + "\"", text, false);
        }
    }

    private static final List<Hostile> VALUES = List.of(
            new Hostile("NUL", "\"a\\u0000b\"", "a%00b", true),
            new Hostile("unpaired surrogate", "\"a\\ud800b\"", "a%ED%A0%80b", true),
            Hostile.longText("300 characters", 300),
            Hostile.longText("5000 characters", 5000),
            Hostile.longText("1 MB", 1024 * 1024));

    @Test
    void no_documented_route_answers_5xx_to_text_postgresql_cannot_hold_on_postgresql() {
        try (RunningOrchestrator server = RunningOrchestrator.postgres(workDir, generousLimits())) {
            String admin = CliHarness.orchestrator(server.env(), workDir, "create-api-key", "--name", "fuzz", "--role", "admin",
                    "--json").out().replaceAll("(?s).*\"key\" : \"([^\"]+)\".*", "$1");
            fuzz(server, admin);
        }
    }

    @Test
    void no_documented_route_answers_5xx_to_text_postgresql_cannot_hold_on_h2() {
        try (RunningOrchestrator server = RunningOrchestrator.embedded(workDir, generousLimits())) {
            fuzz(server, server.orchestrator().bootstrapKey().orElseThrow());
        }
    }

    @Test
    void every_json_route_but_the_robot_protocol_refuses_a_field_it_does_not_know() {
        try (RunningOrchestrator server = RunningOrchestrator.embedded(workDir, generousLimits())) {
            Http http = server.http();
            Fixtures fixtures = new Fixtures(http, server.orchestrator().bootstrapKey().orElseThrow());
            List<Operation> withBodies = OpenApiOperations.of(http.get("/openapi.json", fixtures.admin).json()).stream()
                    .filter(op -> !op.bodyFields().isEmpty() && !op.access().equals("robot.connect") && !op.access().equals("webhook"))
                    .filter(op -> !op.path().endsWith("/workflows/import")) // an export file, not a request: see rest-api.md
                    .toList();
            assertThat(withBodies).hasSizeGreaterThan(8);

            List<String> wrong = new ArrayList<>();
            for (Operation op : withBodies) {
                ObjectNode body = op.exampleBody().deepCopy();
                body.put("zz_not_a_field", 1);
                Http.Response r = send(http, op, fixtures.path(op, null, null), body.toString(), fixtures.headersFor(op));
                if (r.status() != 400 || !"zz_not_a_field".equals(r.json().at("/error/details/field").asText())) {
                    wrong.add(op + " -> " + r.status() + " " + r.body().substring(0, Math.min(200, r.body().length())));
                }
            }
            assertThat(wrong).as("routes that accepted an unknown field").isEmpty();
        }
    }

    private static Map<String, String> generousLimits() {
        return Map.of("CASARE_ORCHESTRATOR_RATE_LIMIT_BURST", "100000",
                "CASARE_ORCHESTRATOR_RATE_LIMIT_REQUESTS_PER_MINUTE", "100000");
    }

    private void fuzz(RunningOrchestrator server, String adminKey) {
        Http http = server.http();
        Fixtures fixtures = new Fixtures(http, adminKey);
        List<Operation> operations = OpenApiOperations.of(http.get("/openapi.json", fixtures.admin).json());
        assertThat(operations).hasSizeGreaterThan(40);
        // The folder references (deploy, move, and the listings' filter) are fuzzed like any input.
        assertThat(operations).filteredOn(op -> op.bodyFields().contains("folder")).extracting(Operation::toString)
                .contains("POST /api/v1/workflows", "PATCH /api/v1/workflows/{id}");
        assertThat(operations).filteredOn(op -> op.queryParams().contains("folder")).extracting(Operation::toString)
                .contains("GET /api/v1/workflows", "GET /api/v1/jobs", "GET /api/v1/schedules", "GET /api/v1/webhooks",
                        "GET /api/v1/audit");

        List<String> wrong = new ArrayList<>();
        int sent = 0;
        for (Operation op : operations) {
            Map<String, String> headers = fixtures.headersFor(op);
            for (Hostile value : VALUES) {
                for (String param : op.pathParams()) {
                    String path = fixtures.path(op, param, value.url());
                    sent++;
                    check(wrong, op + " path " + param + "=" + value.label(), null, value.refused(),
                            send(http, op, path, body(op, null, null), headers));
                }
                for (String param : op.queryParams()) {
                    String path = fixtures.path(op, null, null) + "?" + param + "=" + value.url();
                    sent++;
                    check(wrong, op + " query " + param + "=" + value.label(), param, value.refused(),
                            send(http, op, path, body(op, null, null), headers));
                }
                for (String field : op.bodyFields()) {
                    sent++;
                    check(wrong, op + " body " + field + "=" + value.label(), field, value.refused(),
                            send(http, op, fixtures.path(op, null, null), body(op, field, value.json()), headers));
                }
            }
        }
        assertThat(sent).isGreaterThan(200);
        assertThat(wrong).as("answers to hostile inputs").isEmpty();
    }

    /** The example body with {@code field} set to the raw JSON literal {@code json}; null when the operation has no body. */
    private static String body(Operation op, String field, String json) {
        if (op.bodyFields().isEmpty() && op.exampleBody().isEmpty()) {
            return null;
        }
        ObjectNode body = op.exampleBody().deepCopy();
        if (field == null) {
            return body.toString();
        }
        body.put(field, PLACEHOLDER);
        return body.toString().replace("\"" + PLACEHOLDER + "\"", json);
    }

    private static Http.Response send(Http http, Operation op, String path, String json, Map<String, String> headers) {
        try {
            return http.send(op.method(), path, json, headers);
        } catch (UncheckedIOException first) {
            // The server closes a connection after refusing a huge request; the client may not
            // have noticed yet and reuse it. Once more on a new connection.
            try {
                return http.send(op.method(), path, json, headers);
            } catch (UncheckedIOException e) {
                return new Http.Response(-1, String.valueOf(e.getCause()), null);
            }
        }
    }

    /** @param named the input a refusal must name in {@code details.field}; null when the server refuses it before routing */
    private static void check(List<String> wrong, String what, String named, boolean refused, Http.Response r) {
        if (r.status() >= 200 && r.status() < 400 && !refused) {
            return;
        }
        JsonNode error;
        try {
            error = Json.mapper().readTree(r.body()).path("error");
        } catch (Exception e) {
            error = null;
        }
        String summary = what + " -> " + r.status() + " " + (r.body() == null ? "" : r.body().substring(0, Math.min(200, r.body().length())));
        if (r.status() < 0 || r.status() >= 500) {
            wrong.add(summary);
        } else if (r.status() >= 400 && (error == null || !error.path("code").isTextual())) {
            wrong.add(summary + " (no JSON error body)");
        } else if (refused && r.status() != 400) {
            wrong.add(summary + " (expected 400)");
        } else if (refused && named != null && !named.equals(error.path("details").path("field").asText())) {
            wrong.add(summary + " (expected details.field " + named + ")");
        }
    }

    /**
     * Real resources for the path parameters a request does not fuzz: a workflow named as in the
     * document's examples, a job, a schedule, a webhook (key mode), a robot and a key bound to it
     * (so a robot route finds its robot without being told).
     */
    private static final class Fixtures {
        private static final Pattern PARAM = Pattern.compile("\\{([^}]+)}");

        final Map<String, String> admin;
        final Map<String, String> robot;
        final Map<String, String> webhook;
        private final Map<String, String> ids = new HashMap<>();

        Fixtures(Http http, String adminKey) {
            admin = Map.of("X-API-Key", adminKey);
            JsonNode robotKey = created(http.post("/api/v1/api-keys", "{\"name\":\"fuzz robot\",\"role\":\"robot\","
                    + "\"robot_id\":\"robot-fuzz\"}", admin));
            robot = Map.of("X-API-Key", robotKey.path("key").asText());
            ids.put("api-keys", robotKey.path("id").asText());
            ids.put("robots", "robot-fuzz");
            assertThat(http.post("/api/v1/robots/register", "{\"robot_id\":\"robot-fuzz\"}", robot).status()).isEqualTo(200);
            ids.put("workflows", created(http.post("/api/v1/workflows", "{\"name\":\"Daily Report\",\"workflow_data\":"
                    + Samples.chain("daily", "hello") + "}", admin)).path("id").asText());
            ids.put("jobs", created(http.post("/api/v1/jobs", "{\"workflow_name\":\"Daily Report\"}", admin)).path("id").asText());
            ids.put("schedules", created(http.post("/api/v1/schedules", "{\"name\":\"fuzz\",\"workflow_name\":\"Daily Report\","
                    + "\"cron\":\"0 9 * * *\"}", admin)).path("id").asText());
            JsonNode hook = created(http.post("/api/v1/webhooks", "{\"name\":\"fuzz\",\"workflow_name\":\"Daily Report\","
                    + "\"auth_mode\":\"key\"}", admin));
            ids.put("webhooks", hook.path("id").asText());
            webhook = Map.of("X-Casare-Webhook-Key", hook.path("secret").asText());
            ids.put("versions", "1");
            assertThat(ids.values()).doesNotContain("");
        }

        private static JsonNode created(Http.Response r) {
            assertThat(r.status()).as(r.body()).isIn(200, 201);
            return r.json();
        }

        Map<String, String> headersFor(Operation op) {
            return switch (op.access()) {
                case "robot.connect" -> robot;
                case "webhook" -> webhook;
                case "public" -> Map.of();
                default -> admin;
            };
        }

        /** The operation's path with {@code fuzzed} set to {@code value} and every other parameter to a real id. */
        String path(Operation op, String fuzzed, String value) {
            Matcher m = PARAM.matcher(op.path());
            StringBuilder out = new StringBuilder();
            while (m.find()) {
                String name = m.group(1);
                String before = op.path().substring(0, m.start());
                String resource = before.substring(before.lastIndexOf('/', before.length() - 2) + 1, before.length() - 1);
                String replacement = name.equals(fuzzed) ? value : ids.getOrDefault(resource, "x");
                m.appendReplacement(out, Matcher.quoteReplacement(replacement));
            }
            m.appendTail(out);
            return out.toString();
        }
    }
}
