package com.casarerpa.orchestrator.domain;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The role an API key was made with, as {@code POST /api/v1/api-keys} and {@code create-api-key}
 * take it ({@link #KEY_ROLES}): {@code admin} does everything; {@code operator} runs, cancels and
 * deploys; {@code viewer} reads; {@code robot} only speaks the robot protocol, for its own robot.
 * Since folders, a key of the first three acts with the bindings of its service account, made
 * from the role (docs/access.md). {@link #BINDINGS} marks a key made without such a role (a key
 * of a service account made through {@code /api/v1/service-accounts}, a personal token): it
 * acts with its owner's bindings alone.
 */
public enum Role {
    ADMIN,
    OPERATOR,
    VIEWER,
    ROBOT,
    /** Not a role of its own: the key acts with what its owner's bindings (and its own) grant. */
    BINDINGS;

    /** The roles a key can be created with through the API-key routes and command. */
    public static final List<Role> KEY_ROLES = List.of(ADMIN, OPERATOR, VIEWER, ROBOT);

    /** True when a caller with this role may use something that needs {@code required}. */
    public boolean grants(Role required) {
        return switch (this) {
            case ADMIN -> true;
            case OPERATOR -> required == OPERATOR || required == VIEWER;
            case VIEWER -> required == VIEWER;
            case ROBOT -> required == ROBOT;
            case BINDINGS -> false;
        };
    }

    /** The lower-case name used on the wire and in the CLI ({@code admin}, …). */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** One of {@link #KEY_ROLES} by its wire name; empty for anything else, {@code bindings} included. */
    public static Optional<Role> keyRole(String value) {
        return fromWire(value).filter(KEY_ROLES::contains);
    }

    /** {@code admin, operator, viewer, robot}: the roles a key can be created with, for messages. */
    public static String keyRoleNames() {
        return String.join(", ", KEY_ROLES.stream().map(Role::wireName).toList());
    }

    public static Optional<Role> fromWire(String value) {
        if (value == null) {
            return Optional.empty();
        }
        for (Role r : values()) {
            if (r.wireName().equals(value.trim().toLowerCase(Locale.ROOT))) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }
}
