package com.casarerpa.orchestrator.domain;

import com.casarerpa.orchestrator.workflow.WorkflowVersion;
import java.time.Instant;
import java.util.List;

/**
 * A named workflow; its definitions are {@code workflow.WorkflowVersion}s numbered from 1, and
 * {@code latestVersion} is the newest. Serialised as is (snake_case) on the wire.
 *
 * @param id        {@code wf_} followed by random characters; never reused
 * @param createdBy the actor that deployed version 1, as {@code kind:id}
 */
public record Workflow(String id, String name, String description, List<String> tags, int latestVersion,
        Instant createdAt, Instant updatedAt, String createdBy) {

    public Workflow {
        tags = List.copyOf(tags);
    }
}
