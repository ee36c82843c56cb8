package com.casarerpa.orchestrator.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

/**
 * Text the database can hold. PostgreSQL refuses a NUL character ({@code \u0000}) in any text
 * value, and an unpaired UTF-16 surrogate (a JSON escape such as {@code "\ud800"} with no partner)
 * is not a character at all: the driver would store {@code ?} for it. Both are refused where
 * text enters the server, naming the field, so neither database ever sees them.
 */
public final class StorableText {
    private StorableText() {}

    /** A string that cannot be stored, and where: {@code field} is a parameter name or a JSON path. */
    public record Problem(String field, String message) {}

    /** Why {@code text} cannot be stored, or empty when it can. */
    public static Optional<String> problem(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\u0000') {
                return Optional.of("contains a NUL character (\\u0000) at position " + i + ", which cannot be stored");
            }
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return Optional.of("contains an unpaired UTF-16 surrogate (\\u" + Integer.toHexString(c)
                        + ") at position " + i + ", which is not a character");
            }
        }
        return Optional.empty();
    }

    /** {@code bytes} as UTF-8, or empty when they are not valid UTF-8 (the lenient decoders would make U+FFFD of them). */
    public static Optional<String> utf8(byte[] bytes) {
        try {
            return Optional.of(StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString());
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
    }

    /**
     * The first string of a JSON document, value or field name, that cannot be stored.
     *
     * @param path the document's own path ({@code body}); the problem names the JSON path below it
     *             ({@code job.environment}, {@code tags[2]}), or {@code path} for the top level
     */
    public static Optional<Problem> firstProblem(JsonNode node, String path) {
        return firstProblem(node, "", path);
    }

    private static Optional<Problem> firstProblem(JsonNode node, String prefix, String root) {
        String here = prefix.isEmpty() ? root : prefix;
        if (node.isTextual()) {
            return problem(node.asText()).map(m -> new Problem(here, m));
        }
        if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                Optional<Problem> p = firstProblem(node.get(i), here + "[" + i + "]", root);
                if (p.isPresent()) {
                    return p;
                }
            }
        }
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                Optional<String> inName = problem(field.getKey());
                if (inName.isPresent()) {
                    return Optional.of(new Problem(here, "a field name " + inName.get()));
                }
                Optional<Problem> p = firstProblem(field.getValue(), prefix.isEmpty() ? field.getKey() : prefix + "." + field.getKey(), root);
                if (p.isPresent()) {
                    return p;
                }
            }
        }
        return Optional.empty();
    }
}
