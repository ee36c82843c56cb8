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
 * @param folderId  the folder it lives in (its schedules and webhooks too; its jobs are in the
 *                  folder it had when they were submitted)
 */
public record Workflow(String id, String name, String description, List<String> tags, int latestVersion,
        Instant createdAt, Instant updatedAt, String createdBy, String folderId) {

    public Workflow {
        tags = List.copyOf(tags);
    }

    /** The same workflow in another folder. */
    public Workflow inFolder(String folder) {
        return new Workflow(id, name, description, tags, latestVersion, createdAt, updatedAt, createdBy, folder);
    }
}
