package com.casarerpa.engine;

/**
 * Why a run failed.
 *
 * @param type      a stable name: a node error class, or one of {@code unsupported_node_type},
 *                  {@code invalid_workflow}, {@code workflow_timeout}, {@code interrupted}, {@code internal}
 * @param message   for people
 * @param nodeId    the node that failed, or {@code null}
 * @param nodeType  its type, or {@code null}
 * @param details   a stack trace or command output, or {@code null}
 * @param retryable {@code false} when running again cannot help (invalid workflow, unknown node type)
 */
public record ExecutionError(String type, String message, String nodeId, String nodeType, String details, boolean retryable) {}
