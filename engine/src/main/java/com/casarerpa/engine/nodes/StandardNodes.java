package com.casarerpa.engine.nodes;

import com.casarerpa.engine.HostResolver;
import com.casarerpa.engine.node.Node;
import java.util.List;

/** The node types of the reference robot (issue 5). Add a node type here after writing its class. */
public final class StandardNodes {
    private StandardNodes() {}

    public static List<Node> all() {
        return all(HostResolver.SYSTEM);
    }

    /** Every node type, HttpRequestNode resolving host names with {@code resolver}. */
    public static List<Node> all(HostResolver resolver) {
        return List.of(
                new StartNode(), new EndNode(), new CommentNode(),
                new SetVariableNode(), new GetVariableNode(), new IncrementVariableNode(),
                new IfNode(), new SwitchNode(),
                new ForLoopStartNode(), new ForLoopEndNode(), new WhileLoopStartNode(), new WhileLoopEndNode(),
                new BreakNode(), new ContinueNode(),
                new TryNode(), new CatchNode(), new FinallyNode(), new ThrowErrorNode(),
                new LogNode(), new WaitNode(),
                new HttpRequestNode(resolver), new ReadFileNode(), new WriteFileNode(), new RunCommandNode(),
                new JsonParseNode(), new FormatStringNode());
    }
}
