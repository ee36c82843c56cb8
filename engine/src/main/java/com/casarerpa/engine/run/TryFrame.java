package com.casarerpa.engine.run;

import com.casarerpa.engine.node.Flow.CaughtError;
import com.casarerpa.engine.workflow.NodeSpec;
import com.casarerpa.engine.workflow.Workflow;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * One TryNode in progress with its handlers: the CatchNode and FinallyNode whose
 * {@code config.paired_try_id} names it. Each phase has a scope, the nodes reachable from its
 * body port (including nested Try blocks and their handlers); the phase is over when none of
 * them is queued.
 */
final class TryFrame {
    enum Phase { TRY, CATCH, FINALLY }

    final String tryId;
    final String catchId;
    final String finallyId;
    private final Set<String> tryScope;
    private final Set<String> catchScope;
    private final Set<String> finallyScope;
    Phase phase = Phase.TRY;
    /** The error being handled (catch) or seen (finally's {@code had_error}). */
    CaughtError error;
    /** An error to raise again once the finally body is done (no catch, or the catch body failed). */
    CaughtError pending;
    boolean pendingRetryable;

    TryFrame(Workflow workflow, String tryId) {
        this.tryId = tryId;
        this.catchId = workflow.pairedNode("CatchNode", "paired_try_id", tryId).map(NodeSpec::id).orElse(null);
        this.finallyId = workflow.pairedNode("FinallyNode", "paired_try_id", tryId).map(NodeSpec::id).orElse(null);
        this.tryScope = scope(workflow, tryId, "try_body", false);
        this.catchScope = catchId == null ? Set.of() : scope(workflow, catchId, "catch_body", true);
        this.finallyScope = finallyId == null ? Set.of() : scope(workflow, finallyId, "finally_body", true);
    }

    /** The nodes of the current phase (the handler node itself included). */
    Set<String> activeScope() {
        return switch (phase) {
            case TRY -> tryScope;
            case CATCH -> catchScope;
            case FINALLY -> finallyScope;
        };
    }

    /** The handler ids plus the continuation: where to go once the whole statement is done. */
    List<String> statementNodes() {
        return java.util.stream.Stream.of(tryId, catchId, finallyId).filter(java.util.Objects::nonNull).toList();
    }

    private static Set<String> scope(Workflow workflow, String head, String bodyPort, boolean includeHead) {
        Set<String> scope = new LinkedHashSet<>();
        if (includeHead) {
            scope.add(head);
        }
        scope.addAll(workflow.body(head, List.of(bodyPort), null));
        return scope;
    }
}
