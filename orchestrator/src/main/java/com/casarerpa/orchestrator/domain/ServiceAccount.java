package com.casarerpa.orchestrator.domain;

import java.time.Instant;
import java.util.Optional;

/**
 * A caller that is not a person (CI, a script): its API keys act with its bindings. Disabled
 * accounts keep their record (the audit trail names them) but none of their keys works.
 */
public record ServiceAccount(String id, String name, String description, Instant createdAt, String createdBy,
        Optional<Instant> disabledAt) {
    public boolean disabled() {
        return disabledAt.isPresent();
    }
}
