package com.casarerpa.engine.nodes;

import com.casarerpa.engine.node.LoopState;
import com.casarerpa.engine.node.Node;
import com.casarerpa.engine.node.NodeContext;
import com.casarerpa.engine.node.NodeFailure;
import com.casarerpa.engine.node.NodeResult;
import com.casarerpa.engine.value.Values;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs its {@code body} once per item, then goes on along {@code completed}. Items: the
 * {@code items} port or config (a list; a map gives its values, keys in {@code current_key}; text
 * gives its characters), else the variable named by {@code list_var}, else
 * {@code range(start, end, step)} (defaults 0, 10, 1; always so with {@code mode: "range"}).
 * Each pass sets variables {@code <item_var>} (default "item"), {@code <item_var>_index} and,
 * for maps, {@code <item_var>_key}. The paired ForLoopEndNode brings execution back here.
 */
public final class ForLoopStartNode implements Node {
    @Override
    public NodeResult execute(NodeContext ctx) {
        LoopState state = ctx.flow().loop(ctx.nodeId());
        if (state == null) {
            state = items(ctx);
            ctx.flow().startLoop(ctx.nodeId(), state);
        }
        if (state.breakRequested() || state.index() >= state.items().size()) {
            ctx.flow().endLoop(ctx.nodeId());
            return NodeResult.to("completed");
        }
        int index = state.index();
        Object item = state.items().get(index);
        Object key = state.keys() == null ? null : state.keys().get(index);
        String itemVar = ctx.text("item_var", "item").trim();
        ctx.variables().set(itemVar, item);
        ctx.variables().set(itemVar + "_index", (long) index);
        if (key != null) {
            ctx.variables().set(itemVar + "_key", key);
        }
        state.advance();
        return NodeResult.to("body", NodeResult.outputs("current_item", item, "current_index", (long) index, "current_key", key));
    }

    private static LoopState items(NodeContext ctx) {
        if (!"range".equalsIgnoreCase(ctx.text("mode", "items").trim())) {
            Object items = ctx.param("items");
            if (items == null) {
                items = listVariable(ctx);
            }
            if (items != null) {
                return of(items);
            }
        }
        return range(ctx);
    }

    private static Object listVariable(NodeContext ctx) {
        Object named = ctx.param("list_var");
        if (named == null || named instanceof String s && s.isBlank()) {
            return null;
        }
        if (!(named instanceof String name)) {
            return named;
        }
        Object value = ctx.variables().lookup(name.trim());
        if (value == com.casarerpa.engine.value.Variables.MISSING) {
            throw NodeFailure.config("ForLoopStartNode '" + ctx.nodeId() + "': list_var names variable '" + name + "', which does not exist");
        }
        return value;
    }

    private static LoopState of(Object items) {
        if (items instanceof Map<?, ?> map) {
            return new LoopState(new ArrayList<>(map.values()), new ArrayList<>(map.keySet()));
        }
        if (items instanceof List<?> list) {
            return new LoopState(new ArrayList<>(list), null);
        }
        if (items instanceof String s) {
            return new LoopState(new ArrayList<>(s.codePoints().mapToObj(Character::toString).toList()), null);
        }
        return new LoopState(new ArrayList<>(List.of(items)), null);
    }

    private static LoopState range(NodeContext ctx) {
        long start = whole(ctx, "start", 0);
        long end = whole(ctx, "end", 10);
        long step = whole(ctx, "step", 1);
        if (step == 0) {
            throw NodeFailure.config("ForLoopStartNode '" + ctx.nodeId() + "': step must not be 0");
        }
        List<Object> items = new ArrayList<>();
        for (long i = start; step > 0 ? i < end : i > end; i += step) {
            if (items.size() >= 1_000_000) {
                throw NodeFailure.config("ForLoopStartNode '" + ctx.nodeId() + "': the range has more than 1,000,000 items");
            }
            items.add(i);
        }
        return new LoopState(items, null);
    }

    private static long whole(NodeContext ctx, String name, long fallback) {
        Number n = ctx.number(name, fallback);
        if (n.doubleValue() != Math.rint(n.doubleValue())) {
            throw NodeFailure.config("ForLoopStartNode '" + ctx.nodeId() + "': " + name + " must be a whole number, got " + Values.text(n));
        }
        return n.longValue();
    }
}
