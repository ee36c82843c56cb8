package com.casarerpa.orchestrator.service;

import com.casarerpa.orchestrator.domain.Actor;
import com.casarerpa.orchestrator.domain.AuditTrail;
import com.casarerpa.orchestrator.domain.Binding;
import com.casarerpa.orchestrator.domain.Folder;
import com.casarerpa.orchestrator.domain.FolderTree;
import com.casarerpa.orchestrator.domain.Principal;
import com.casarerpa.orchestrator.domain.RoleDefinition;
import com.casarerpa.orchestrator.domain.WorkflowIds;
import com.casarerpa.orchestrator.store.BindingStore;
import com.casarerpa.orchestrator.store.UniqueViolationException;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * The bindings of a folder: who holds which role there (its own, and those inherited from the
 * folders above). Listing, granting and taking back all need {@code folder.manage} in the folder;
 * granting and taking back a role also need every permission of the role there
 * ({@link Escalation}); the last admin binding is never taken back ({@link AdminGuard}).
 */
public final class Bindings {
    private final FolderLookup lookup;
    private final BindingStore store;
    private final Principals principals;
    private final RoleCatalog roles;
    private final AdminGuard guard;
    private final AuditTrail audit;
    private final Clock clock;

    Bindings(FolderLookup lookup, BindingStore store, Principals principals, RoleCatalog roles, AuditTrail audit, Clock clock) {
        this.lookup = lookup;
        this.store = store;
        this.principals = principals;
        this.roles = roles;
        this.guard = new AdminGuard(store, audit);
        this.audit = audit;
        this.clock = clock;
    }

    /**
     * A binding as a folder lists it.
     *
     * @param inherited true for a binding of a folder above, which counts here too
     */
    public record Shown(Binding binding, String folderPath, boolean inherited) {}

    /** The folder's bindings and those it inherits, from the root down. */
    public List<Shown> list(String folderRef, Actor actor) {
        FolderTree tree = lookup.tree();
        Folder folder = managed(tree, folderRef, actor, "Listing a folder's bindings");
        List<String> above = tree.selfAndAncestors(folder.id()).reversed();
        return store.inFolders(above).stream()
                .sorted(java.util.Comparator.comparingInt(b -> above.indexOf(b.folderId())))
                .map(b -> new Shown(b, tree.path(b.folderId()), !b.folderId().equals(folder.id())))
                .toList();
    }

    /** Gives a user, group or service account (by id or name) a role in the folder. */
    public Shown grant(String folderRef, String principalKind, String principalRef, String roleName, Actor by) {
        FolderTree tree = lookup.tree();
        Folder folder = managed(tree, folderRef, by, "Granting a role in a folder");
        Principals.Named principal = principals.resolve(principalKind, principalRef, "principal");
        RoleDefinition role = roles.named(roleName, "role");
        String path = tree.path(folder.id());
        Escalation.requireMayGrant(by, role, folder.id(), path, "role");
        store.find(principal.principal(), role.name(), folder.id()).ifPresent(b -> {
            throw conflict(principal, role, path, b);
        });
        Binding binding = new Binding(WorkflowIds.random("rb_"), principal.principal(), principal.name(), role.name(), folder.id(),
                clock.instant(), by.describe());
        audit.atomically(() -> {
            try {
                store.insert(binding);
            } catch (UniqueViolationException e) {
                throw conflict(principal, role, path, binding);
            }
            audit.record(by, "binding.create", "binding", binding.id(), details(binding, path), binding.folderId());
        });
        return new Shown(binding, path, false);
    }

    /** Takes back one of the folder's own bindings. */
    public void revoke(String folderRef, String bindingId, Actor by) {
        FolderTree tree = lookup.tree();
        Folder folder = managed(tree, folderRef, by, "Taking back a role in a folder");
        String path = tree.path(folder.id());
        Binding binding = store.find(bindingId)
                .filter(b -> b.folderId().equals(folder.id()) && !b.principal().kind().equals(Principal.API_KEY))
                .orElseThrow(() -> new NotFoundException("Binding " + bindingId + " does not exist in folder " + path
                        + " (a binding is taken back in the folder it was made in)."));
        Escalation.requireMayGrant(by, roles.get(binding.roleName()), folder.id(), path, "role");
        guard.atomically("Taking back " + binding.roleName() + " from " + binding.principal(), () -> {
            store.delete(binding.id());
            audit.record(by, "binding.delete", "binding", binding.id(), details(binding, path), binding.folderId());
        });
    }

    /** The id of the folder's binding of this principal to this role (for the CLI's unbind by name); 404 when there is none. */
    public String find(String folderRef, String principalKind, String principalRef, String roleName, Actor actor) {
        FolderTree tree = lookup.tree();
        Folder folder = managed(tree, folderRef, actor, "Finding a binding");
        Principals.Named principal = principals.resolve(principalKind, principalRef, "principal");
        return store.find(principal.principal(), roleName, folder.id()).map(Binding::id)
                .orElseThrow(() -> new NotFoundException(principal.principal().kind() + " " + principal.name() + " holds no role "
                        + roleName + " in folder " + tree.path(folder.id()) + " itself."));
    }

    /** Every binding of a principal, wherever it is (a service account's, a group's). */
    public List<Shown> of(Principal principal) {
        FolderTree tree = lookup.tree();
        return store.of(principal).stream().map(b -> new Shown(b, tree.path(b.folderId()), false)).toList();
    }

    /** Removes every binding of a principal (a group deleted), in the caller's transaction; how many there were. */
    int removeAll(Principal principal) {
        return store.deleteOf(principal);
    }

    /** Runs a change that may take admin away in one transaction, undone when it would leave no admin ({@link AdminGuard}). */
    void guarded(String what, Runnable change) {
        guard.atomically(what, change);
    }

    /**
     * 403 unless {@code by} could grant every binding of {@code principal} itself: making a user a
     * member of a group hands on the group's roles, so it needs what granting them needs.
     */
    void requireMayHandOn(Principal principal, Actor by) {
        FolderTree tree = lookup.tree();
        for (Binding b : store.of(principal)) {
            Escalation.requireMayGrant(by, roles.get(b.roleName()), b.folderId(), tree.path(b.folderId()), "role");
        }
    }

    private static Folder managed(FolderTree tree, String ref, Actor actor, String doing) {
        Folder folder = FolderLookup.visible(tree, ref, actor);
        FolderLookup.requireManage(actor, folder, tree, doing);
        return folder;
    }

    private static ConflictException conflict(Principals.Named principal, RoleDefinition role, String path, Binding existing) {
        return new ConflictException(principal.principal().kind() + " " + principal.name() + " already holds role " + role.name()
                + " in folder " + path + " (binding " + existing.id() + ")", Map.of("binding_id", existing.id()));
    }

    private static Map<String, Object> details(Binding b, String path) {
        return Map.of("principal_kind", b.principal().kind(), "principal_id", b.principal().id(), "role", b.roleName(),
                "folder_id", b.folderId(), "path", path);
    }
}
