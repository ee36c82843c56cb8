package com.casarerpa.orchestrator.domain;

import java.time.Instant;
import java.util.Optional;

/**
 * An API key as stored: everything but the key itself, of which only a hash is kept.
 *
 * @param id        stable identifier ({@code key_…}), safe to show and log
 * @param prefix    the first characters of the key, so a person can tell keys apart
 * @param robotId   for a robot key bound to one robot; empty for a fleet key or a non-robot key
 * @param createdBy who created it ({@link Actor#describe()})
 */
public record ApiKey(
        String id,
        String name,
        Role role,
        String prefix,
        Optional<String> robotId,
        Instant createdAt,
        String createdBy,
        Optional<Instant> expiresAt,
        Optional<Instant> lastUsedAt,
        Optional<Instant> revokedAt) {

    public enum Status {
        ACTIVE, EXPIRED, REVOKED;

        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public Status status(Instant now) {
        if (revokedAt.isPresent()) {
            return Status.REVOKED;
        }
        if (expiresAt.isPresent() && !now.isBefore(expiresAt.get())) {
            return Status.EXPIRED;
        }
        return Status.ACTIVE;
    }

    public Actor actor() {
        return Actor.apiKey(id, name, role, robotId);
    }
}
