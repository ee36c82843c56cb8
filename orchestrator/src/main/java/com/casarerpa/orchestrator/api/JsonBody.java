package com.casarerpa.orchestrator.api;

import com.casarerpa.common.json.Json;
import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * A JSON request body read field by field, so that every mistake is a 400 naming the field
 * ({@code role: expected one of admin, operator, viewer, robot, got "root"}).
 */
public final class JsonBody {
    private final JsonNode root;

    private JsonBody(JsonNode root) {
        this.root = root;
    }

    /** The body as a JSON object; an empty body counts as {@code {}}. */
    public static JsonBody of(Context ctx) {
        String text = ctx.body();
        if (text.isBlank()) {
            return new JsonBody(Json.mapper().createObjectNode());
        }
        JsonNode node;
        try {
            node = Json.mapper().readTree(text);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw ApiError.invalidField("body", "not valid JSON (" + e.getOriginalMessage() + ")");
        } catch (IOException e) {
            throw ApiError.invalidField("body", "could not be read");
        }
        if (node == null || !node.isObject()) {
            throw ApiError.invalidField("body", "expected a JSON object");
        }
        return new JsonBody(node);
    }

    public JsonNode node() {
        return root;
    }

    public String requiredText(String field) {
        return optionalText(field).orElseThrow(() -> ApiError.invalidField(field, "required"));
    }

    public Optional<String> optionalText(String field) {
        JsonNode v = root.get(field);
        if (v == null || v.isNull()) {
            return Optional.empty();
        }
        if (!v.isTextual()) {
            throw ApiError.invalidField(field, "expected a string, got " + v.getNodeType().name().toLowerCase());
        }
        return Optional.of(v.asText());
    }

    public Optional<Instant> optionalInstant(String field) {
        return optionalText(field).map(text -> {
            try {
                return Instant.parse(text);
            } catch (DateTimeParseException e) {
                throw ApiError.invalidField(field, "expected an ISO-8601 instant such as 2027-01-31T00:00:00Z, got \"" + text + "\"");
            }
        });
    }
}
