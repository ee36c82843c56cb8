package com.casarerpa.protocol.ws;

import com.fasterxml.jackson.annotation.JsonTypeName;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The WebSocket protocol of docs/websocket-api.md: its version, how it writes times, and the
 * mapper that reads and writes {@link RobotMessage}s and {@link ServerMessage}s (snake_case,
 * unknown fields ignored, an unknown {@code type} read as {@code null}).
 */
public final class Protocol {
    /** The protocol version this code speaks. */
    public static final int VERSION = 1;
    /** The largest message a robot may send (until {@code registered} says otherwise). */
    public static final int MAX_MESSAGE_BYTES = 1024 * 1024;

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);
    private static final ObjectMapper MAPPER = mapperBuilder().build();

    private Protocol() {}

    /**
     * A builder with the protocol's settings, for a mapper that differs in some respect (the
     * server reads robot messages with no coercion between JSON types).
     */
    public static JsonMapper.Builder mapperBuilder() {
        return JsonMapper.builder()
                .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(DeserializationFeature.FAIL_ON_INVALID_SUBTYPE);
    }

    /** A shared, thread-safe mapper for the messages; do not reconfigure it. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** ISO-8601 in UTC with milliseconds, as the protocol writes times: {@code 2026-11-27T09:00:00.123Z}. */
    public static String time(Instant instant) {
        return instant == null ? null : TIME.format(instant);
    }

    /** The {@code type} a message record is written with ({@code job_completed} for a {@link RobotMessage.JobCompleted}). */
    public static String type(Object message) {
        return type(message.getClass());
    }

    /** The {@code type} the records of this class are written with. */
    public static String type(Class<?> messageClass) {
        JsonTypeName name = messageClass.getAnnotation(JsonTypeName.class);
        if (name == null) {
            throw new IllegalArgumentException(messageClass + " is not a message of the protocol");
        }
        return name.value();
    }

    /** A message as JSON text. */
    public static String text(Object message) {
        try {
            return MAPPER.writeValueAsString(message);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A message as a JSON tree (to add an {@code id}, to measure or mask it before sending). */
    public static com.fasterxml.jackson.databind.node.ObjectNode tree(Object message) {
        return MAPPER.valueToTree(message);
    }

    /**
     * A server message read from JSON text.
     *
     * @return the message, or {@code null} when its {@code type} is not one this version knows
     * @throws UncheckedIOException when the text is not JSON, not an object, or has no {@code type}
     */
    public static ServerMessage server(String text) {
        return read(text, ServerMessage.class);
    }

    /** A robot message read from JSON text; {@code null} when its {@code type} is unknown. */
    public static RobotMessage robot(String text) {
        return read(text, RobotMessage.class);
    }

    /** A server message read from a tree; {@code null} when its {@code type} is unknown. */
    public static ServerMessage server(JsonNode tree) {
        try {
            return MAPPER.treeToValue(tree, ServerMessage.class);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static <T> T read(String text, Class<T> type) {
        try {
            return MAPPER.readValue(text, type);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
