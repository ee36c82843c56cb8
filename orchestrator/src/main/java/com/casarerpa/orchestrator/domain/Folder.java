package com.casarerpa.orchestrator.domain;

import java.time.Instant;
import java.util.Optional;

/**
 * A folder of the tree that workflows, schedules, webhooks, jobs and robots belong to. The root
 * ({@link #ROOT_ID}, named "Default") has no parent; everything is in it until teams make
 * folders of their own.
 */
public record Folder(String id, String name, Optional<String> parentId, String description, Instant createdAt,
        String createdBy) {
    public static final String ROOT_ID = "root";

    public boolean isRoot() {
        return parentId.isEmpty();
    }
}
