package com.casarerpa.orchestrator.domain;

import java.time.Instant;
import java.util.Optional;

/** Which audit events to list; every field optional. */
public record AuditFilter(Optional<String> actorId, Optional<String> action, Optional<Instant> since,
        Optional<Instant> until) {
    public static AuditFilter all() {
        return new AuditFilter(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    }
}
