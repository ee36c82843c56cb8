package com.casarerpa.orchestrator.service;

import com.casarerpa.orchestrator.domain.Folder;
import com.casarerpa.orchestrator.domain.FolderTree;
import com.casarerpa.orchestrator.domain.Grants;
import com.casarerpa.orchestrator.domain.Permission;
import com.casarerpa.orchestrator.domain.RoleDefinition;
import com.casarerpa.orchestrator.store.AccessStore;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Resolves what a principal may do: its bindings (and its groups'), their roles' permissions,
 * spread over the folder tree ({@link Grants}). Read from the database on every call, like keys,
 * so a change of bindings counts at once on every instance. A principal bound only at the root
 * (the common case) costs one query.
 */
public final class AccessControl {
    private final AccessStore store;

    public AccessControl(AccessStore store) {
        this.store = store;
    }

    /**
     * The grants of a principal.
     *
     * @param kind {@code user}, {@code service_account} or {@code api_key}
     */
    public Grants grantsOf(String kind, String id) {
        return grantsFrom(store.rolesOf(kind, id));
    }

    /** The grants of the roles a principal holds, read already (with its key: {@link com.casarerpa.orchestrator.store.ApiKeyStore#findWithRolesByHash}). */
    public Grants grantsFrom(List<AccessStore.HeldRole> held) {
        if (held.isEmpty()) {
            return Grants.none();
        }
        Set<String> custom = held.stream().map(AccessStore.HeldRole::roleName)
                .filter(r -> RoleDefinition.builtInRole(r).isEmpty()).collect(Collectors.toSet());
        Map<String, Set<String>> customPermissions = store.permissionsOf(custom);
        List<Grants.Held> resolved = new ArrayList<>();
        for (AccessStore.HeldRole h : held) {
            resolved.add(new Grants.Held(permissions(h.roleName(), customPermissions), h.folderId()));
        }
        boolean onlyRoot = held.stream().allMatch(h -> h.folderId().equals(Folder.ROOT_ID));
        return Grants.resolve(resolved, onlyRoot ? new FolderTree(List.of()) : tree());
    }

    /** The folder tree as it is now. */
    public FolderTree tree() {
        return new FolderTree(store.folders());
    }

    private static Set<Permission> permissions(String role, Map<String, Set<String>> custom) {
        return RoleDefinition.builtInRole(role).map(RoleDefinition::permissions).orElseGet(() -> {
            EnumSet<Permission> out = EnumSet.noneOf(Permission.class);
            custom.getOrDefault(role, Set.of()).forEach(p -> Permission.fromWire(p).ifPresent(out::add));
            return out;
        });
    }
}
