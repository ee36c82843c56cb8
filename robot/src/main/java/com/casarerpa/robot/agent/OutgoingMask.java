package com.casarerpa.robot.agent;

import com.casarerpa.common.config.Secret;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Hides the robot's own secrets (its API key, …) in every message it sends: job errors, log
 * entries, results, progress. A workflow cannot read them from the robot's configuration or
 * environment; if one gets hold of them anyway (a program that prints a file holding the key),
 * the text still does not leave the robot for the orchestrator, where viewers read jobs.
 */
final class OutgoingMask {
    static final String MASK = "***";

    /** Longest first, so that a secret containing another is replaced whole. */
    private final List<String> secrets;

    OutgoingMask(List<Secret> secrets) {
        this.secrets = secrets.stream().map(Secret::reveal).filter(s -> !s.isEmpty()).distinct()
                .sorted(Comparator.comparingInt(String::length).reversed()).toList();
    }

    /** The message with every secret in its text values and field names replaced by {@value #MASK}; the same message when none occurs. */
    ObjectNode apply(ObjectNode message) {
        String text = message.toString();
        if (secrets.stream().noneMatch(text::contains) && secrets.stream().noneMatch(s -> text.contains(escaped(s)))) {
            return message;
        }
        return (ObjectNode) scrub(message);
    }

    private JsonNode scrub(JsonNode node) {
        if (node instanceof ObjectNode object) {
            ObjectNode out = object.objectNode();
            for (Map.Entry<String, JsonNode> field : object.properties()) {
                out.set(hide(field.getKey()), scrub(field.getValue()));
            }
            return out;
        }
        if (node instanceof ArrayNode array) {
            ArrayNode out = array.arrayNode();
            array.forEach(item -> out.add(scrub(item)));
            return out;
        }
        return node.isTextual() ? TextNode.valueOf(hide(node.asText())) : node;
    }

    private String hide(String text) {
        String out = text;
        for (String secret : secrets) {
            out = out.replace(secret, MASK);
        }
        return out;
    }

    private static String escaped(String secret) {
        String json = TextNode.valueOf(secret).toString();
        return json.substring(1, json.length() - 1);
    }
}
