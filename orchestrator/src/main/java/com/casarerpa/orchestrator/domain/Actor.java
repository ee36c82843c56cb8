package com.casarerpa.orchestrator.domain;

import java.util.Optional;

/**
 * Who did something, for the audit trail and for "created by" fields: an API key (directly or
 * through a JWT issued for it), or a local administrator using the CLI against the database.
 *
 * @param kind  {@code api_key} or {@code cli}
 * @param id    the key's id, or the operating-system user for the CLI
 * @param name  the key's name, or the OS user
 * @param role  what the actor may do
 * @param robotId the one robot a robot key is bound to; empty for a fleet key and other roles
 */
public record Actor(String kind, String id, String name, Role role, Optional<String> robotId) {

    public Actor(String kind, String id, String name, Role role) {
        this(kind, id, name, role, Optional.empty());
    }

    /** A person at the machine running a CLI command against the configured database. */
    public static Actor localCli() {
        String user = System.getProperty("user.name", "unknown");
        return new Actor("cli", user, user, Role.ADMIN);
    }

    public static Actor apiKey(String keyId, String name, Role role) {
        return new Actor("api_key", keyId, name, role);
    }

    public static Actor apiKey(String keyId, String name, Role role, Optional<String> robotId) {
        return new Actor("api_key", keyId, name, role, robotId);
    }

    /** {@code api_key:k_123 (Admin Key)} for logs and audit listings. */
    public String describe() {
        return kind + ":" + id + " (" + name + ")";
    }
}
