package com.casarerpa.orchestrator.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.casarerpa.common.json.Json;
import com.casarerpa.orchestrator.testing.CliHarness;
import com.casarerpa.orchestrator.testing.Http;
import com.casarerpa.orchestrator.testing.LoopbackOidcProvider;
import com.casarerpa.orchestrator.testing.OpenApiOperations;
import com.casarerpa.orchestrator.testing.OpenApiOperations.Operation;
import com.casarerpa.orchestrator.testing.People;
import com.casarerpa.orchestrator.testing.RunningOrchestrator;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every operation listed in the served {@code /openapi.json}, with every path parameter, query
 * parameter and top-level body field it declares, and every string inside its example body
 * ({@code principal.kind}, {@code bindings[0].role}), set in turn to what PostgreSQL text cannot
 * hold (NUL; an unpaired UTF-16 surrogate, as a JSON escape and as raw bytes in a URL) and to long
 * strings (past the columns of names and ids, past every column, 1 MB), on PostgreSQL and on H2
 * (single sign-on on, at a loopback provider): no answer is a 5xx, every 4xx has the JSON error
 * body, NUL and surrogates are 400 naming the input (a path with them is refused before routing),
 * and a 400 names an input the document declares. The other inputs of each request are real ids
 * ({@link DocumentedResources}) and the document's example body, which is also sent as it is:
 * an example answered 404 (or 401 or 403 past a public route) fails the test, since the fuzz of
 * that route would stop there. A refused request must change nothing: no audit event of it.
 * A route added to the document is covered without editing this test.
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
        try (LoopbackOidcProvider provider = LoopbackOidcProvider.start();
                RunningOrchestrator server = RunningOrchestrator.postgres(workDir, settings(provider.env()))) {
            String admin = CliHarness.orchestrator(server.env(), workDir, "create-api-key", "--name", "fuzz", "--role", "admin",
                    "--json").out().replaceAll("(?s).*\"key\" : \"([^\"]+)\".*", "$1");
            fuzz(server, admin);
        }
    }

    @Test
    void no_documented_route_answers_5xx_to_text_postgresql_cannot_hold_on_h2() {
        try (LoopbackOidcProvider provider = LoopbackOidcProvider.start();
                RunningOrchestrator server = RunningOrchestrator.embedded(workDir, settings(provider.env()))) {
            fuzz(server, server.orchestrator().bootstrapKey().orElseThrow());
        }
    }

    @Test
    void every_json_route_but_the_robot_protocol_refuses_a_field_it_does_not_know() {
        try (RunningOrchestrator server = RunningOrchestrator.embedded(workDir, settings(Map.of()))) {
            Http http = server.http();
            DocumentedResources fixtures = new DocumentedResources(http, server.orchestrator().bootstrapKey().orElseThrow());
            TracedRequests requests = new TracedRequests(http);
            JsonNode document = http.get("/openapi.json", fixtures.admin).json();
            List<Operation> withBodies = OpenApiOperations.of(document).stream()
                    .filter(op -> !op.bodyFields().isEmpty() && !op.access().equals("robot.connect") && !op.access().equals("webhook"))
                    .filter(op -> !op.path().endsWith("/workflows/import")) // an export file, not a request: see rest-api.md
                    .toList();
            assertThat(withBodies).hasSizeGreaterThan(8);

            List<String> wrong = new ArrayList<>();
            int nested = 0;
            for (Operation op : withBodies) {
                // The body itself, and each object inside the example whose schema names its fields.
                List<Place> objects = new ArrayList<>(List.of(new Place("", "", op.exampleBody())));
                places(op.exampleBody()).stream().filter(p -> p.value().isObject()
                        && OpenApiOperations.namesAllFields(document, OpenApiOperations.bodySchemaAt(document, op, p.pointer())))
                        .forEach(objects::add);
                nested += objects.size() - 1;
                for (Place object : objects) {
                    ObjectNode body = op.exampleBody().deepCopy();
                    ((ObjectNode) body.at(object.pointer())).put("zz_not_a_field", 1);
                    String field = object.name().isEmpty() ? "zz_not_a_field" : object.name() + ".zz_not_a_field";
                    Http.Response r = requests.send(op, fixtures.path(op, null, null), body.toString(), fixtures.headersFor(op));
                    if (r.status() != 400 || !field.equals(r.json().at("/error/details/field").asText())) {
                        wrong.add(op + " " + field + " -> " + r.status() + " " + r.body().substring(0, Math.min(200, r.body().length())));
                    }
                }
            }
            assertThat(nested).as("objects inside the examples (a binding's principal, a token's bindings)").isGreaterThan(2);
            assertThat(wrong).as("routes that accepted an unknown field, or did not name it").isEmpty();
            assertThat(requests.changesOfRefused(requests.audited(fixtures.admin))).as("changes made by requests that were refused")
                    .isEmpty();
        }
    }

    /**
     * Rate limits out of the way (the fuzz sends thousands of requests from one address), cheap
     * Argon2 for the person's sign-ins, and {@code more} (single sign-on at a loopback provider,
     * so that its routes answer rather than 404).
     */
    private static Map<String, String> settings(Map<String, String> more) {
        Map<String, String> env = new HashMap<>(People.FAST_SIGN_IN);
        env.put("CASARE_ORCHESTRATOR_RATE_LIMIT_BURST", "100000");
        env.put("CASARE_ORCHESTRATOR_RATE_LIMIT_REQUESTS_PER_MINUTE", "100000");
        env.putAll(more);
        return env;
    }

    private void fuzz(RunningOrchestrator server, String adminKey) {
        Http http = server.http();
        DocumentedResources fixtures = new DocumentedResources(http, adminKey);
        TracedRequests requests = new TracedRequests(http);
        List<Operation> operations = OpenApiOperations.of(http.get("/openapi.json", fixtures.admin).json());
        assertThat(operations).hasSizeGreaterThan(40);
        assertThat(http.get(OidcRoutes.BASE, Map.of()).json().path("enabled").asBoolean()).as("single sign-on is on: its routes"
                + " answer rather than 404").isTrue();
        // The folder references (deploy, move, and the listings' filter) are fuzzed like any input.
        assertThat(operations).filteredOn(op -> op.bodyFields().contains("folder")).extracting(Operation::toString)
                .contains("POST /api/v1/workflows", "PATCH /api/v1/workflows/{id}");
        assertThat(operations).filteredOn(op -> op.queryParams().contains("folder")).extracting(Operation::toString)
                .contains("GET /api/v1/workflows", "GET /api/v1/jobs", "GET /api/v1/schedules", "GET /api/v1/webhooks",
                        "GET /api/v1/audit");

        List<String> wrong = new ArrayList<>();
        List<String> unreached = new ArrayList<>();
        for (Operation op : operations) {
            if (!op.bodyFields().isEmpty()) {
                Http.Response r = requests.send(op, fixtures.path(op, null, null), body(op, null, null), fixtures.headersFor(op));
                check(wrong, op, op + " example body", null, false, r);
                // A public route checks the secrets of its body itself: its 401 comes from there.
                if (r.status() == 404 || (r.status() == 401 || r.status() == 403) && !op.access().equals("public")) {
                    unreached.add(op + " -> " + r.status() + " " + r.body());
                }
            }
            for (Hostile value : VALUES) {
                for (String param : op.pathParams()) {
                    String path = fixtures.path(op, param, value.url());
                    check(wrong, op, op + " path " + param + "=" + value.label(), null, value.refused(),
                            requests.send(op, path, body(op, null, null), fixtures.headersFor(op)));
                }
                for (String param : op.queryParams()) {
                    String path = fixtures.path(op, null, null) + "?" + param + "=" + value.url();
                    check(wrong, op, op + " query " + param + "=" + value.label(), param, value.refused(),
                            requests.send(op, path, body(op, null, null), fixtures.headersFor(op)));
                }
                for (Map.Entry<String, String> input : bodyInputs(op).entrySet()) {
                    check(wrong, op, op + " body " + input.getKey() + "=" + value.label(), input.getKey(), value.refused(),
                            requests.send(op, fixtures.path(op, null, null), body(op, input.getValue(), value.json()),
                                    fixtures.headersFor(op)));
                }
            }
        }
        assertThat(requests.count()).isGreaterThan(200);
        assertThat(wrong).as("answers to hostile inputs").isEmpty();
        assertThat(unreached).as("operations whose example body, sent with real ids, stopped at the gate or at the path's"
                + " resources (give each access its credentials, each example's names a resource, in DocumentedResources)").isEmpty();
        Map<String, List<JsonNode>> audited = requests.audited(fixtures.admin);
        assertThat(audited).as("the audit trail names the requests of the fuzz (the examples make things)").isNotEmpty();
        assertThat(requests.changesOfRefused(audited)).as("changes made by requests that were refused").isEmpty();
    }

    /**
     * The body's inputs, by the name a refusal gives them, with their JSON pointers: each top-level
     * field the document declares, and each string inside the example's objects and arrays
     * ({@code principal.kind}, {@code bindings[0].role}).
     */
    private static Map<String, String> bodyInputs(Operation op) {
        Map<String, String> inputs = new LinkedHashMap<>();
        op.bodyFields().forEach(field -> inputs.put(field, "/" + field));
        places(op.exampleBody()).stream().filter(p -> p.value().isTextual()).forEach(p -> inputs.putIfAbsent(p.name(), p.pointer()));
        return inputs;
    }

    /** A value inside a body: its name as a refusal gives it ({@code bindings[0].role}), its JSON pointer, the value. */
    private record Place(String name, String pointer, JsonNode value) {}

    /** Every value of {@code body}'s fields and every value inside them, outermost first. */
    private static List<Place> places(ObjectNode body) {
        List<Place> out = new ArrayList<>();
        body.properties().forEach(e -> walk(e.getValue(), e.getKey(), "/" + e.getKey(), out));
        return out;
    }

    private static void walk(JsonNode node, String name, String pointer, List<Place> out) {
        out.add(new Place(name, pointer, node));
        for (int i = 0; node.isArray() && i < node.size(); i++) {
            walk(node.get(i), name + "[" + i + "]", pointer + "/" + i, out);
        }
        if (node.isObject()) {
            node.properties().forEach(e -> walk(e.getValue(), name + "." + e.getKey(), pointer + "/" + e.getKey(), out));
        }
    }

    /** The example body with the value at {@code pointer} set to the raw JSON literal {@code json}; null when the operation has no body. */
    private static String body(Operation op, String pointer, String json) {
        if (op.bodyFields().isEmpty() && op.exampleBody().isEmpty()) {
            return null;
        }
        ObjectNode body = op.exampleBody().deepCopy();
        if (pointer == null) {
            return body.toString();
        }
        JsonPointer at = JsonPointer.compile(pointer);
        JsonNode parent = body.at(at.head());
        if (parent instanceof ArrayNode array) {
            array.set(at.last().getMatchingIndex(), PLACEHOLDER);
        } else {
            ((ObjectNode) parent).put(at.last().getMatchingProperty(), PLACEHOLDER);
        }
        return body.toString().replace("\"" + PLACEHOLDER + "\"", json);
    }

    /**
     * @param named the input a refusal must name in {@code details.field}; null when the server refuses it before routing
     *              (path parameters) or the request holds no hostile value
     */
    private static void check(List<String> wrong, Operation op, String what, String named, boolean refused, Http.Response r) {
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
        String field = error == null ? "" : error.path("details").path("field").asText();
        if (r.status() < 0 || r.status() >= 500) {
            wrong.add(summary);
        } else if (r.status() >= 400 && (error == null || !error.path("code").isTextual())) {
            wrong.add(summary + " (no JSON error body)");
        } else if (refused && r.status() != 400) {
            wrong.add(summary + " (expected 400)");
        } else if (refused && named != null && !named.equals(field)) {
            wrong.add(summary + " (expected details.field " + named + ")");
        } else if (r.status() == 400 && (named != null || !field.isEmpty()) && !declares(op, field)) {
            wrong.add(summary + " (details.field should name an input the document declares: " + op.pathParams() + " "
                    + op.queryParams() + " " + op.bodyFields() + ")");
        }
    }

    /** True when {@code field} is a parameter of {@code op}, a field of its body or inside one ({@code principal.kind}), or the body. */
    private static boolean declares(Operation op, String field) {
        String root = field.split("[.\\[]", 2)[0];
        return !field.isEmpty() && (op.pathParams().contains(root) || op.queryParams().contains(root) || op.bodyFields().contains(root)
                || root.equals("body"));
    }
}
