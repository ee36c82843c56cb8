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
 * @param owner     whose credential it is: a service account (its bindings decide what the key
 *                  may do), a user (a personal token) or a robot
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
        Optional<Instant> revokedAt,
        Owner owner) {

    /**
     * @param kind {@code service_account}, {@code user} or {@code robot}
     * @param id   the service account or user; for a robot key, the robot it is bound to (empty for a fleet key)
     */
    public record Owner(String kind, Optional<String> id) {
        public static final String SERVICE_ACCOUNT = "service_account";
        public static final String USER = "user";
        public static final String ROBOT = "robot";

        public static Owner serviceAccount(String id) {
            return new Owner(SERVICE_ACCOUNT, Optional.of(id));
        }

        public static Owner user(String id) {
            return new Owner(USER, Optional.of(id));
        }

        public static Owner robot(Optional<String> robotId) {
            return new Owner(ROBOT, robotId);
        }
    }

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

    /** The caller this key stands for, with the grants its owner holds. */
    public Actor actor(Grants grants) {
        return new Actor("api_key", id, name, grants, role == Role.ROBOT, robotId);
    }
}
