package com.casarerpa.orchestrator.domain;

/** The size limits of a workflow definition; the same as the CasareRPA loader's. */
public final class WorkflowLimits {
    public static final int MAX_NODES = 1_000;
    public static final int MAX_CONNECTIONS = 5_000;
    /** A node's config object is depth 1; each nested object or array adds one. */
    public static final int MAX_CONFIG_DEPTH = 10;
    public static final int MAX_CONFIG_STRING_CHARS = 10_000;
    /** The whole definition, as compact JSON in UTF-8 (and any file or body that carries one). */
    public static final int MAX_DEFINITION_BYTES = 5 * 1024 * 1024;

    private WorkflowLimits() {}
}
