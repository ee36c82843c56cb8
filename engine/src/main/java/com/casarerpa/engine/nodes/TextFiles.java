package com.casarerpa.engine.nodes;

import com.casarerpa.engine.node.NodeContext;
import com.casarerpa.engine.node.NodeFailure;
import java.nio.charset.Charset;

/** The {@code encoding} parameter of the file nodes. */
final class TextFiles {
    private TextFiles() {}

    static Charset charset(NodeContext ctx) {
        String name = ctx.text("encoding", "utf-8").trim();
        try {
            return Charset.forName(name.isEmpty() ? "utf-8" : name);
        } catch (IllegalArgumentException e) {
            throw NodeFailure.config("unknown encoding '" + name + "'");
        }
    }
}
