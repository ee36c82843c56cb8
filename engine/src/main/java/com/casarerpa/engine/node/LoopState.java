package com.casarerpa.engine.node;

import java.util.List;

/** One running loop: the items of a for loop (and their keys for a map) and the progress. */
public final class LoopState {
    private final List<Object> items;
    private final List<Object> keys;
    private int index;
    private boolean breakRequested;

    public LoopState(List<Object> items, List<Object> keys) {
        this.items = items;
        this.keys = keys;
    }

    public static LoopState whileLoop() {
        return new LoopState(List.of(), null);
    }

    public List<Object> items() {
        return items;
    }

    /** Map keys in item order, or {@code null} when the items did not come from a map. */
    public List<Object> keys() {
        return keys;
    }

    /** Items taken so far (for loop), iterations entered so far (while loop). */
    public int index() {
        return index;
    }

    public void advance() {
        index++;
    }

    public boolean breakRequested() {
        return breakRequested;
    }

    public void requestBreak() {
        breakRequested = true;
    }
}
