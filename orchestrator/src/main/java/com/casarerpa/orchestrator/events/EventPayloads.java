package com.casarerpa.orchestrator.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The text of the NOTIFY payloads that carry events between instances:
 * {@code {"i":"<instance>","e":[["job","<id>","pending","assigned",null,<epoch ms>,"<folder>"],…]}}, each under
 * {@link #MAX_BYTES} (PostgreSQL refuses 8000 bytes or more). The seventh item, the folder (null
 * when unknown), came later: an item of six (an older instance's) decodes with no folder, and an
 * older instance reads the first six of a newer item.
 */
final class EventPayloads {
    /** The most UTF-8 bytes of one payload. */
    static final int MAX_BYTES = 7_900;
    private static final ObjectMapper JSON = new ObjectMapper();

    private EventPayloads() {}

    /** {@code events} (all of one instance) as few payloads as fit; an event too large for one payload alone is left out. */
    static List<String> encode(String instance, List<ChangeEvent> events) {
        String head = "{\"i\":" + JSON.valueToTree(instance) + ",\"e\":[";
        String tail = "]}";
        int fixed = bytes(head) + bytes(tail);
        List<String> out = new ArrayList<>();
        StringBuilder body = new StringBuilder();
        int size = fixed;
        for (ChangeEvent e : events) {
            String item = item(e).toString();
            int n = bytes(item);
            if (fixed + n > MAX_BYTES) {
                continue;
            }
            if (size + n + (body.isEmpty() ? 0 : 1) > MAX_BYTES) {
                out.add(head + body + tail);
                body.setLength(0);
                size = fixed;
            }
            if (!body.isEmpty()) {
                body.append(',');
                size++;
            }
            body.append(item);
            size += n;
        }
        if (!body.isEmpty()) {
            out.add(head + body + tail);
        }
        return out;
    }

    private static ArrayNode item(ChangeEvent e) {
        Change c = e.change();
        ArrayNode a = JSON.createArrayNode();
        a.add(c.kind().wireName()).add(c.subject()).add(c.from().orElse(null)).add(c.to()).add(c.job().orElse(null))
                .add(e.at().toEpochMilli()).add(c.folder().orElse(null));
        return a;
    }

    /** The events of one payload, with the instance that sent them. */
    record Decoded(String instance, List<ChangeEvent> events) {}

    /** @throws IllegalArgumentException when {@code payload} is not one this class wrote */
    static Decoded decode(String payload) {
        try {
            JsonNode root = JSON.readTree(payload);
            if (!(root instanceof ObjectNode o) || !o.path("i").isTextual() || !o.path("e").isArray()) {
                throw new IllegalArgumentException("not an event payload");
            }
            String instance = o.get("i").asText();
            List<ChangeEvent> events = new ArrayList<>();
            for (JsonNode a : o.get("e")) {
                Optional<Change.Kind> kind = kind(a.get(0).asText());
                if (kind.isEmpty()) {
                    continue; // a kind of a newer instance: the others of the payload still count
                }
                Change c = new Change(kind.get(),
                        a.get(1).asText(), text(a.get(2)), a.get(3).asText(), text(a.get(4)), text(a.get(6)));
                events.add(new ChangeEvent(c, Instant.ofEpochMilli(a.get(5).asLong()), instance, true));
            }
            return new Decoded(instance, events);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("not an event payload: " + e.getMessage(), e);
        }
    }

    private static Optional<Change.Kind> kind(String wire) {
        return java.util.Arrays.stream(Change.Kind.values()).filter(k -> k.wireName().equals(wire)).findFirst();
    }

    private static Optional<String> text(JsonNode n) {
        return n == null || n.isNull() ? Optional.empty() : Optional.of(n.asText());
    }

    private static int bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }
}
