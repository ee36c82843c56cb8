package com.casarerpa.orchestrator.domain;

import java.util.Locale;
import java.util.Optional;

/**
 * What an API key or token may do. {@code admin} does everything; {@code operator} runs,
 * cancels and deploys; {@code viewer} reads; {@code robot} only speaks the robot protocol, for
 * its own robot.
 */
public enum Role {
    ADMIN,
    OPERATOR,
    VIEWER,
    ROBOT;

    /** True when a caller with this role may use something that needs {@code required}. */
    public boolean grants(Role required) {
        return switch (this) {
            case ADMIN -> true;
            case OPERATOR -> required == OPERATOR || required == VIEWER;
            case VIEWER -> required == VIEWER;
            case ROBOT -> required == ROBOT;
        };
    }

    /** The lower-case name used on the wire and in the CLI ({@code admin}, …). */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
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
