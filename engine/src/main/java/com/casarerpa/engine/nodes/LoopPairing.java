package com.casarerpa.engine.nodes;

import com.casarerpa.engine.node.LoopState;
import com.casarerpa.engine.node.NodeContext;
import com.casarerpa.engine.value.Values;

/** The loop start a loop-end, Break or Continue node belongs to ({@code paired_start_id} / {@code paired_loop_start_id}). */
final class LoopPairing {
    private LoopPairing() {}

    /** The paired start's id, or {@code null} when not configured. */
    static String startId(NodeContext ctx) {
        for (String key : new String[] {"paired_start_id", "paired_loop_start_id"}) {
            Object v = ctx.rawConfig(key);
            if (v != null && !Values.text(v).isBlank()) {
                return Values.text(v).trim();
            }
        }
        return null;
    }

    /** The running state of the paired loop, or {@code null} (unpaired, or the loop is not running). */
    static LoopState running(NodeContext ctx) {
        String id = startId(ctx);
        return id == null ? null : ctx.flow().loop(id);
    }
}
