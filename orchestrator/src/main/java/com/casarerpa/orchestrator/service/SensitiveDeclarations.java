package com.casarerpa.orchestrator.service;

import com.casarerpa.orchestrator.store.WorkflowStore;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import java.time.Duration;
import java.util.Set;

/**
 * Which variables a workflow version declares {@code "sensitive": true}, so that a job's
 * variables are shown with those hidden too, not only the secret-looking names. A version never
 * changes once stored, so the answer is kept for a while (bounded; a version that is not found is
 * not kept, and an entry expires, in case a deleted workflow is imported again under its id).
 */
public final class SensitiveDeclarations {
    private static final int MAX_VERSIONS = 1_000;
    private static final Duration KEEP = Duration.ofMinutes(10);

    private record VersionKey(String workflowId, int version) {}

    private final LoadingCache<VersionKey, Set<String>> declared;

    public SensitiveDeclarations(WorkflowStore store) {
        this.declared = Caffeine.newBuilder()
                .maximumSize(MAX_VERSIONS)
                .expireAfterWrite(KEEP)
                .executor(Runnable::run)
                .build(k -> store.read(rows -> rows.version(k.workflowId(), k.version()))
                        .map(v -> SensitiveValues.declared(v.definition().json()))
                        .orElse(null));
    }

    /** The declared names of that version; empty when it declares none or no longer exists. */
    public Set<String> of(String workflowId, int version) {
        Set<String> names = declared.get(new VersionKey(workflowId, version));
        return names == null ? Set.of() : names;
    }
}
