package com.casarerpa.orchestrator.api;

import com.casarerpa.orchestrator.workflow.StorableText;
import com.casarerpa.orchestrator.workflow.WorkflowJson;
import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Reading JSON request bodies field by field, so every wrong or missing field is a 400 that
 * names it. Bodies are read with exact numbers ({@link WorkflowJson}) and a size cap of the
 * route's choosing (a deploy carries up to 5 MB of workflow; an import many). A JSON body must
 * come as {@code Content-Type: application/json} (415 otherwise), be valid UTF-8, and hold only
 * text the database can store ({@link StorableText}), anywhere in it: 400 naming the JSON path.
 * A string field is at most {@value #MAX_TEXT_CHARS} characters unless its reader says less.
 */
final class RequestBodies {
    /** The default bound of a string field; the services bound most fields more tightly. */
    static final int MAX_TEXT_CHARS = 10_000;
    /** Ids no service checks before storing them (an API key's robot_id): their columns hold 200 characters. */
    static final int MAX_ID_CHARS = 200;

    private RequestBodies() {}

    /** The body as a JSON object. */
    static JsonNode object(Context ctx, long maxBytes) {
        return read(ctx, maxBytes, false);
    }

    /** The body as a JSON object; an empty body counts as {@code {}} (for routes whose body is optional). */
    static JsonNode objectOrEmpty(Context ctx, long maxBytes) {
        return read(ctx, maxBytes, true);
    }

    /**
     * {@code body}, when it has no field but {@code fields}: a misspelt {@code descriptoin} is a
     * 400 naming it, never silently dropped. (The robot protocol's routes do not call this:
     * existing CasareRPA robots send fields we do not read.)
     *
     * @param what the thing the body describes, for the message ({@code "a deploy"})
     */
    static JsonNode onlyFields(JsonNode body, String what, String... fields) {
        return onlyFieldsAt(body, "", what, fields);
    }

    /** {@link #onlyFields} for an object inside the body, at {@code at} ({@code principal}, {@code bindings[0]}), which a refusal names. */
    static JsonNode onlyFieldsAt(JsonNode object, String at, String what, String... fields) {
        List<String> known = List.of(fields);
        object.fieldNames().forEachRemaining(field -> {
            if (!known.contains(field)) {
                throw ApiError.invalidField(named(at, field), "unknown field; " + what + " takes " + String.join(", ", known));
            }
        });
        return object;
    }

    /**
     * The body's bytes, whatever they are; 413 when there are more than {@code maxBytes}.
     *
     * @throws IncompleteBody when the client closes the connection (or stalls) before sending all
     *                        it announced: its problem, not the server's
     */
    static byte[] bytes(Context ctx, long maxBytes) {
        byte[] bytes;
        try (InputStream in = ctx.bodyInputStream()) {
            bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
        } catch (IOException e) {
            throw new IncompleteBody(e);
        }
        if (bytes.length > maxBytes) {
            throw new ApiError(413, "payload_too_large", "The request body is larger than " + maxBytes
                    + " bytes.", Map.of("max_bytes", maxBytes));
        }
        return bytes;
    }

    private static JsonNode read(Context ctx, long maxBytes, boolean emptyAllowed) {
        byte[] bytes = bytes(ctx, maxBytes);
        Optional<String> decoded = StorableText.utf8(bytes);
        if (decoded.isPresent() && decoded.get().isBlank()) {
            if (emptyAllowed) {
                return com.casarerpa.common.json.Json.mapper().createObjectNode();
            }
            throw ApiError.invalidField("body", "a JSON object is required");
        }
        requireJsonContentType(ctx);
        String text = decoded.orElseThrow(() -> ApiError.invalidField("body", "not valid UTF-8"));
        JsonNode node;
        try {
            node = WorkflowJson.parse(text);
        } catch (IllegalArgumentException e) {
            throw ApiError.invalidField("body", "not valid JSON: " + e.getMessage());
        }
        if (!node.isObject()) {
            throw ApiError.invalidField("body", "must be a JSON object");
        }
        StorableText.firstProblem(node, "body").ifPresent(p -> {
            throw ApiError.invalidField(p.field(), p.message());
        });
        return node;
    }

    /** {@code application/json} or another {@code application/…+json}, any parameters (charset). */
    private static void requireJsonContentType(Context ctx) {
        String type = ctx.header("Content-Type");
        String media = type == null ? "" : type.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        if (!media.equals("application/json") && !(media.startsWith("application/") && media.endsWith("+json"))) {
            throw new ApiError(415, "unsupported_media_type", "The body must be JSON sent with 'Content-Type: application/json'; got "
                    + (type == null ? "no Content-Type" : "'" + type + "'") + ".", Map.of("content_type", type == null ? "" : type));
        }
    }

    static String requiredString(JsonNode body, String field) {
        return optionalString(body, field).orElseThrow(() -> ApiError.invalidField(field, "is required"));
    }

    /** Empty when absent or null; at most {@value #MAX_TEXT_CHARS} characters. */
    static Optional<String> optionalString(JsonNode body, String field) {
        return optionalString(body, field, MAX_TEXT_CHARS);
    }

    /** Empty when absent or null; at most {@code maxChars} characters (a column the service does not check). */
    static Optional<String> optionalString(JsonNode body, String field, int maxChars) {
        return optionalStringAt(body, "", field, maxChars);
    }

    /** {@link #optionalString(JsonNode, String, int)} of an object inside the body, at {@code at}, which a refusal names. */
    static Optional<String> optionalStringAt(JsonNode object, String at, String field, int maxChars) {
        JsonNode v = object.get(field);
        if (v == null || v.isNull()) {
            return Optional.empty();
        }
        if (!v.isTextual()) {
            throw ApiError.invalidField(named(at, field), "must be a string");
        }
        if (v.asText().length() > maxChars) {
            throw ApiError.invalidField(named(at, field), "at most " + maxChars + " characters, got " + v.asText().length());
        }
        return Optional.of(v.asText());
    }

    /** The JSON path of {@code field} of the object at {@code at} (the body itself when empty). */
    private static String named(String at, String field) {
        return at.isEmpty() ? field : at + "." + field;
    }

    /** An ISO-8601 instant; empty when absent or null. */
    static Optional<java.time.Instant> optionalInstant(JsonNode body, String field) {
        return optionalString(body, field).map(text -> {
            try {
                return java.time.Instant.parse(text);
            } catch (java.time.format.DateTimeParseException e) {
                throw ApiError.invalidField(field, "expected an ISO-8601 instant such as 2027-01-31T00:00:00Z, got \"" + text + "\"");
            }
        });
    }

    /** A query parameter stripped of surrounding spaces; empty when absent or blank (a form's empty field). */
    static Optional<String> textParam(Context ctx, String name) {
        return Optional.ofNullable(ctx.queryParam(name)).map(String::strip).filter(v -> !v.isEmpty());
    }

    /** A query parameter that must be an ISO-8601 instant when present. */
    static Optional<java.time.Instant> instantParam(Context ctx, String name) {
        String text = ctx.queryParam(name);
        if (text == null || text.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(java.time.Instant.parse(text));
        } catch (java.time.format.DateTimeParseException e) {
            throw ApiError.invalidField(name, "expected an ISO-8601 instant such as 2026-11-27T00:00:00Z, got \"" + text + "\"");
        }
    }

    /** Empty when absent or null. */
    static Optional<List<String>> optionalStrings(JsonNode body, String field) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return Optional.empty();
        }
        if (!v.isArray()) {
            throw ApiError.invalidField(field, "must be an array of strings");
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < v.size(); i++) {
            if (!v.get(i).isTextual()) {
                throw ApiError.invalidField(field + "[" + i + "]", "must be a string");
            }
            out.add(v.get(i).asText());
        }
        return Optional.of(out);
    }

    /** A query parameter that must be a positive integer when present. */
    static Optional<Integer> positiveInt(Context ctx, String name) {
        String raw = ctx.queryParam(name);
        return raw == null || raw.isEmpty() ? Optional.empty() : Optional.of(positiveInt(name, raw));
    }

    static int positiveInt(String field, String raw) {
        try {
            int n = Integer.parseInt(raw.trim());
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw ApiError.invalidField(field, "must be a positive integer, got \"" + raw + "\"");
    }

    static boolean flag(Context ctx, String name) {
        String raw = ctx.queryParam(name);
        if (raw == null || raw.isEmpty() || raw.equalsIgnoreCase("false")) {
            return false;
        }
        if (raw.equalsIgnoreCase("true")) {
            return true;
        }
        throw ApiError.invalidField(name, "must be true or false, got \"" + raw + "\"");
    }
}
