package com.casarerpa.orchestrator.domain;

import java.time.Instant;
import java.util.Optional;

/**
 * A group of users; a binding to the group counts for each member.
 *
 * @param externalName the value of the identity provider's groups claim that makes a signed-in
 *                     user a member, when the group is mapped to one
 * @param members      how many users belong to it
 */
public record UserGroup(String id, String name, String description, Optional<String> externalName, Instant createdAt,
        String createdBy, int members) {}
