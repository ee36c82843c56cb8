package com.casarerpa.engine.nodes;

import com.casarerpa.engine.node.Node;
import com.casarerpa.engine.node.NodeContext;
import com.casarerpa.engine.node.NodeFailure;
import com.casarerpa.engine.node.NodeResult;
import com.casarerpa.engine.value.Values;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.util.List;
import java.util.Map;

/**
 * Parses {@code json_string} into output {@code data}; a value that is already a map or list is
 * passed through. Execution goes on along {@code exec_out} (CasareRPA stopped after it).
 */
public final class JsonParseNode implements Node {
    @Override
    public NodeResult execute(NodeContext ctx) {
        Object input = ctx.param("json_string");
        if (input instanceof Map<?, ?> || input instanceof List<?>) {
            return NodeResult.next(NodeResult.outputs("data", input));
        }
        String text = Values.text(input).trim();
        if (text.isEmpty()) {
            throw NodeFailure.config("Empty JSON string");
        }
        try {
            Object data = Values.json().readValue(text, Object.class);
            return new NodeResult(data == null ? Map.of() : Map.of("data", data), new com.casarerpa.engine.node.Route.Default());
        } catch (JsonProcessingException e) {
            throw new NodeFailure("JSONDecodeError", "Invalid JSON: " + e.getOriginalMessage()
                    + " at line " + e.getLocation().getLineNr() + " column " + e.getLocation().getColumnNr(), false);
        }
    }
}
