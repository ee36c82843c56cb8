package com.casarerpa.orchestrator.workflow;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Reads and writes workflow definitions without changing them: decimals stay exactly as written
 * ({@code 0.0} stays {@code 0.0}, {@code 420.6494172646342} keeps every digit), object keys keep
 * their order, unknown fields are kept, and a key written twice or anything after the document
 * is an error rather than silently dropped. Use it for anything that carries {@code workflow_data}:
 * deploy bodies, files, export documents.
 */
public final class WorkflowJson {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private WorkflowJson() {}

    /** The exact-number mapper; shared and thread-safe, do not reconfigure it. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /**
     * Parses JSON text.
     *
     * @throws IllegalArgumentException with a one-line reason (and line/column) when it is not JSON
     */
    public static JsonNode parse(String text) {
        try (JsonParser parser = MAPPER.createParser(text)) {
            JsonNode node;
            try {
                node = MAPPER.readTree(parser);
                if (node != null && parser.nextToken() != null) {
                    throw new IllegalArgumentException("more content after the end of the JSON document"
                            + JsonErrorMessage.at(parser.currentTokenLocation()));
                }
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException(JsonErrorMessage.of(e, parser.currentLocation()), e);
            } catch (NumberFormatException e) {
                // Jackson lets this one through unwrapped (a decimal exponent beyond BigDecimal's range)
                throw new IllegalArgumentException(JsonErrorMessage.of(e, parser.currentTokenLocation()), e);
            }
            if (node == null || node.isMissingNode()) {
                throw new IllegalArgumentException("empty document");
            }
            return node;
        } catch (IOException e) {
            throw new UncheckedIOException("reading JSON from a string", e);
        }
    }

    /** Compact JSON text; the stored form of a definition, and what its checksum covers. */
    public static String compact(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }

    /** SHA-256 of the UTF-8 bytes of {@code text}, as 64 lower-case hex digits. */
    public static String sha256(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
