package com.casarerpa.orchestrator.domain;

import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * Which audit events to list; every field optional.
 *
 * @param targetType only events whose target (the resource changed) is of this type ({@code workflow}, {@code job}, …)
 * @param targetId   only events whose target has this id
 * @param folders    only events of these folders (none: every event, those of no folder included)
 */
public record AuditFilter(Optional<String> actorId, Optional<String> action, Optional<String> targetType,
        Optional<String> targetId, Optional<Instant> since, Optional<Instant> until, Optional<Set<String>> folders) {
    public AuditFilter {
        folders = folders.map(Set::copyOf);
    }

    public static AuditFilter all() {
        return new AuditFilter(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty());
    }

    /** The same filter, limited to {@code folders}. */
    public AuditFilter within(Optional<Set<String>> folders) {
        return new AuditFilter(actorId, action, targetType, targetId, since, until, folders);
    }
}
