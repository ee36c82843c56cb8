package com.casarerpa.protocol.rest;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import java.time.Instant;
import java.util.List;

/**
 * Folders, bindings, groups, service accounts, roles and personal tokens as the REST API and
 * the CLI's {@code --json} show them (schemas {@code Folder}, {@code Binding}, {@code Group},
 * {@code GroupDetail}, {@code ServiceAccount}, {@code ServiceAccountDetail}, {@code RoleDefinition},
 * {@code PersonalToken}, {@code CreatedPersonalToken}). docs/access.md explains them.
 */
public final class AccessBodies {
    private AccessBodies() {}

    /**
     * @param path    the names from the root down, {@code Default/Finance/AP}
     * @param visible false for a folder listed only because a visible one is below it
     */
    public record Folder(String id, String name, String path, String parentId, String description, Instant createdAt,
            String createdBy, boolean visible) {}

    /** @param kind {@code user}, {@code group} or {@code service_account} */
    public record Principal(String kind, String id, String name) {}

    /** @param inherited true for a binding of a folder above, listed with the folder it counts in */
    public record Binding(String id, Principal principal, String role, String folderId, String folderPath, boolean inherited,
            Instant createdAt, String createdBy) {}

    public record Group(String id, String name, String description, String externalName, int memberCount, Instant createdAt,
            String createdBy) {}

    /** @param source {@code local} (added by an administrator) or {@code oidc} (from the identity provider's groups claim) */
    public record GroupMember(String userId, String username, String status, String source) {}

    public record GroupDetail(@JsonUnwrapped Group group, List<GroupMember> members) {}

    /** @param status {@code active} or {@code disabled} */
    public record ServiceAccount(String id, String name, String description, String status, Instant createdAt, String createdBy,
            Instant disabledAt) {}

    public record ServiceAccountDetail(@JsonUnwrapped ServiceAccount account, List<ApiKeyBodies.ApiKey> keys,
            List<Binding> bindings) {}

    /** A role: built in or custom, with its permissions ({@code resource.action}). */
    public record RoleDefinition(String name, String description, boolean builtIn, List<String> permissions) {}

    /** A role in a folder that a personal token carries. */
    public record TokenBinding(String role, String folderId, String folderPath) {}

    public record PersonalToken(@JsonUnwrapped ApiKeyBodies.ApiKey key, List<TokenBinding> bindings) {}

    /** The answer to a token's creation: its record and, this once, the key. */
    public record CreatedPersonalToken(String id, String name, String key, Instant createdAt, Instant expiresAt,
            List<TokenBinding> bindings) {}
}
