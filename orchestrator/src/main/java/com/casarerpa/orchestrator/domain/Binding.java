package com.casarerpa.orchestrator.domain;

import java.time.Instant;

/**
 * A role given to a principal in a folder, and so in every folder below it.
 *
 * @param principalName the user's username, the group's or account's name, the token's name, as
 *                      stored now (empty when the principal no longer exists)
 */
public record Binding(String id, Principal principal, String principalName, String roleName, String folderId,
        Instant createdAt, String createdBy) {}
