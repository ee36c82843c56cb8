package com.casarerpa.orchestrator.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.casarerpa.orchestrator.api.Access;
import com.casarerpa.orchestrator.api.HttpApi;
import com.casarerpa.orchestrator.api.OpenApiDocument;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Compares the OpenAPI document with the routes an {@link HttpApi} really registered: every route
 * documented with the access it declares, every documented operation registered. Run it against
 * the fully wired application: {@code OpenApiCoverage.assertMatches(api.endpoints())}.
 */
public final class OpenApiCoverage {
    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "options", "head", "patch", "trace");

    private OpenApiCoverage() {}

    /** A method and path template, {@code GET /api/v1/workflows/{id}}. */
    public record Operation(String method, String path) {
        public static Operation of(String text) {
            String[] parts = text.trim().split("\\s+", 2);
            return new Operation(parts[0].toUpperCase(Locale.ROOT), parts[1]);
        }

        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    /** Fails listing every mismatch between the served document and {@code endpoints}. */
    public static void assertMatches(List<HttpApi.Endpoint> endpoints) {
        assertMatches(endpoints, Set.of());
    }

    /**
     * As {@link #assertMatches(List)}, but the operations in {@code notYetRegistered} may be
     * documented without a route (an entry that is registered after all is a mismatch too, so
     * the list cannot go stale).
     */
    public static void assertMatches(List<HttpApi.Endpoint> endpoints, Set<Operation> notYetRegistered) {
        List<String> mismatches = mismatches(OpenApiDocument.load().tree(), endpoints, notYetRegistered);
        assertThat(mismatches).as("OpenAPI document vs registered routes").isEmpty();
    }

    /** Every mismatch, one sentence each; empty when document and routes agree. */
    public static List<String> mismatches(JsonNode document, List<HttpApi.Endpoint> endpoints, Set<Operation> notYetRegistered) {
        Map<Operation, String> documented = documentedAccess(document);
        Map<Operation, Optional<Access>> registered = new TreeMap<>(OpenApiCoverage::compare);
        endpoints.forEach(e -> registered.put(new Operation(e.method().toUpperCase(Locale.ROOT), e.path()), e.access()));

        List<String> problems = new ArrayList<>();
        registered.forEach((op, access) -> {
            String declared = access.map(Access::wireName).orElse("(none)");
            String inDocument = documented.get(op);
            if (inDocument == null) {
                problems.add(op + " is registered (access " + declared + ") but not in the OpenAPI document");
            } else if (!inDocument.equals(declared)) {
                problems.add(op + " declares access " + declared + " but the document says " + inDocument);
            }
            if (notYetRegistered.contains(op)) {
                problems.add(op + " is registered: remove it from the list of documented but not yet registered operations");
            }
        });
        documented.keySet().stream()
                .filter(op -> !registered.containsKey(op) && !notYetRegistered.contains(op))
                .forEach(op -> problems.add(op + " is in the OpenAPI document but no route is registered for it"));
        notYetRegistered.stream()
                .filter(op -> !documented.containsKey(op))
                .forEach(op -> problems.add(op + " is listed as not yet registered but is not in the document either"));
        return problems;
    }

    /** Documented operations and the lower-case access of each ({@code (none)} when the field is missing). */
    public static Map<Operation, String> documentedAccess(JsonNode document) {
        Map<Operation, String> operations = new TreeMap<>(OpenApiCoverage::compare);
        document.path("paths").properties().forEach(path -> path.getValue().properties().forEach(entry -> {
            if (METHODS.contains(entry.getKey())) {
                JsonNode access = entry.getValue().path(OpenApiDocument.ACCESS_FIELD);
                operations.put(new Operation(entry.getKey().toUpperCase(Locale.ROOT), path.getKey()),
                        access.isTextual() ? access.asText() : "(none)");
            }
        }));
        return operations;
    }

    private static int compare(Operation a, Operation b) {
        int byPath = a.path().compareTo(b.path());
        return byPath != 0 ? byPath : a.method().compareTo(b.method());
    }
}
