package com.casarerpa.orchestrator.domain;

import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * Who did something, for access checks, the audit trail and "created by" fields: a person
 * ({@code user}), an API key (of a service account, a robot, or a person's personal token), or
 * a local administrator using the CLI against the database.
 *
 * @param kind    {@code user}, {@code api_key}, {@code cli} or {@code system}
 * @param id      the user's or key's id, or the operating-system user for the CLI
 * @param name    the username, the key's name, or the OS user
 * @param grants  what the actor may do, folder by folder
 * @param robot   true for a robot credential (a robot-role key), which only speaks the robot protocol
 * @param robotId the one robot a robot key is bound to; empty for a fleet key and everyone else
 */
public record Actor(String kind, String id, String name, Grants grants, boolean robot, Optional<String> robotId) {
    /** The kind of a signed-in person. */
    public static final String USER = "user";

    /** An actor with the access of one of the four original key roles, in every folder. */
    public Actor(String kind, String id, String name, Role role) {
        this(kind, id, name, role, Optional.empty());
    }

    public Actor(String kind, String id, String name, Role role, Optional<String> robotId) {
        this(kind, id, name, grantsOf(role), role == Role.ROBOT, robotId);
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

    /** A signed-in person, with what its bindings (and its groups') give it now. */
    public static Actor user(String userId, String username, Grants grants) {
        return new Actor(USER, userId, username, grants, false, Optional.empty());
    }

    /** True for a signed-in person (never a robot, whatever its roles). */
    public boolean isUser() {
        return kind.equals(USER);
    }

    /** True when the actor may do {@code permission} in {@code folderId}. */
    public boolean may(Permission permission, String folderId) {
        return grants.allows(permission, folderId);
    }

    /** True for an installation administrator (the admin role at the root). */
    public boolean isAdmin() {
        return grants.allowsEverywhere(Permission.API_KEY_MANAGE) && grants.allowsEverywhere(Permission.USER_MANAGE);
    }

    /** {@code api_key:k_123 (Admin Key)} for logs and audit listings. */
    public String describe() {
        return kind + ":" + id + " (" + name + ")";
    }

    /** The grants of the built-in roles an original key role stands for, at the root. */
    public static Grants grantsOf(Role role) {
        Set<Permission> all = new HashSet<>();
        RoleDefinition.forKeyRole(role).forEach(r -> all.addAll(RoleDefinition.builtInRole(r).orElseThrow().permissions()));
        return Grants.everywhere(all);
    }
}
