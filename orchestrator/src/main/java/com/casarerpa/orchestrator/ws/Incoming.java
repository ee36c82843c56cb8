package com.casarerpa.orchestrator.ws;

import com.casarerpa.common.json.Json;
import com.casarerpa.protocol.ws.Protocol;
import com.casarerpa.protocol.ws.RobotMessage;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.type.LogicalType;
import java.util.List;

/**
 * One text message of a robot as received: a JSON object, its envelope read leniently (the
 * {@code id}, {@code type} and {@code job_id} an error names; {@code null} when absent or not
 * strings), and its {@link RobotMessage} record, decoded when its handler asks for it. Decoding
 * is strict: a value of the wrong JSON type (a string for a number, a number for a string,
 * {@code 1.5} for an integer) is refused naming its path, in {@link Check}'s words. Unknown fields
 * are ignored and {@code null} is the same as absent, as everywhere in the protocol.
 */
final class Incoming {
    private static final ObjectMapper STRICT = Protocol.mapperBuilder()
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .withCoercionConfig(LogicalType.Textual, c -> c.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
            .build();

    final String id;
    final String type;
    final String jobId;
    private final JsonNode message;

    private Incoming(JsonNode message) {
        this.message = message;
        this.id = text(message, "id");
        this.type = text(message, "type");
        this.jobId = text(message, "job_id");
    }

    /** @throws ProtocolError when the text is not one JSON object */
    static Incoming parse(String text) {
        JsonNode message;
        try {
            message = Json.mapper().readTree(text);
        } catch (JsonProcessingException e) {
            throw ProtocolError.invalid("$", "not JSON: " + e.getOriginalMessage());
        }
        if (message == null || !message.isObject()) {
            throw ProtocolError.invalid("$", "expected one JSON object per message");
        }
        return new Incoming(message);
    }

    private static String text(JsonNode message, String field) {
        JsonNode v = message.get(field);
        return v != null && v.isTextual() ? v.asText() : null;
    }

    /** Its {@code id}, checked before anything else: absent, or a string of 1 to 64 characters. */
    void checkId() {
        JsonNode v = message.get("id");
        if (v != null && !v.isNull() && !v.isTextual()) {
            throw ProtocolError.invalid("id", Check.wrongType("id", v, String.class));
        }
        Check.text("id", id, 64);
    }

    /** The message as its record; call it once its {@code type} is known to be one of the protocol's. */
    <T extends RobotMessage> T decode(Class<T> expected) {
        try {
            return expected.cast(STRICT.treeToValue(message, RobotMessage.class));
        } catch (JsonProcessingException e) {
            List<JsonMappingException.Reference> at = e instanceof JsonMappingException m ? m.getPath() : List.of();
            Class<?> target = e instanceof MismatchedInputException m ? m.getTargetType() : null;
            String path = path(at);
            throw ProtocolError.invalid(path.isEmpty() ? "$" : path, Check.wrongType(path, message.at(pointer(at)), target));
        }
    }

    /** {@code result} as the robot sent it, unknown fields included: what a {@code job_completed} stores. */
    String result() {
        return message.get("result").toString();
    }

    /** {@code entries[3].message}. */
    private static String path(List<JsonMappingException.Reference> at) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference r : at) {
            if (r.getFieldName() != null) {
                path.append(path.isEmpty() ? "" : ".").append(r.getFieldName());
            } else {
                path.append('[').append(r.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    private static JsonPointer pointer(List<JsonMappingException.Reference> at) {
        JsonPointer pointer = JsonPointer.empty();
        for (JsonMappingException.Reference r : at) {
            pointer = r.getFieldName() != null ? pointer.appendProperty(r.getFieldName()) : pointer.appendIndex(r.getIndex());
        }
        return pointer;
    }
}
