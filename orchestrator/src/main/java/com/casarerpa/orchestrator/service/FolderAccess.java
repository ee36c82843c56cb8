package com.casarerpa.orchestrator.service;

import com.casarerpa.orchestrator.domain.Actor;
import com.casarerpa.orchestrator.domain.Folder;
import com.casarerpa.orchestrator.domain.FolderTree;
import com.casarerpa.orchestrator.domain.Permission;
import com.casarerpa.orchestrator.store.AccessStore;
import com.casarerpa.protocol.rest.FolderRef;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.jdbi.v3.core.Jdbi;

/**
 * Where a caller may act on the resources of folders (workflows, jobs, schedules, webhooks, the
 * audit trail). A route lets in a caller holding its permission in some folder; the use case then
 * finds the resource and asks here. The rule (docs/rest-api.md, "Folders"): a resource in a folder
 * where the caller lacks the resource's read permission does not exist for it (404 with the very
 * answer an unknown id gets); one it reads but may not change there is 403, naming the permission
 * and the folder. Listings ask {@link #listed} for the folders to show and filter in SQL.
 *
 * <p>Decisions use the caller's {@link com.casarerpa.orchestrator.domain.Grants}, resolved when it
 * was authenticated; only messages and folder references read the folder tree.
 */
public final class FolderAccess {
    private final AccessStore store;

    public FolderAccess(AccessStore store) {
        this.store = store;
    }

    /** {@code jdbi} is the one {@link com.casarerpa.orchestrator.store.Jdbi3#of} of the database. */
    public static FolderAccess on(Jdbi jdbi) {
        return new FolderAccess(new AccessStore(jdbi));
    }

    /** The folder tree as it is now (small: read whole), for paths in answers. */
    public FolderTree tree() {
        return new FolderTree(store.folders());
    }

    /**
     * Lets {@code actor} do what needs {@code needed} on a resource in {@code folderId}.
     *
     * @param read     the permission that makes the resource visible ({@code workflow.read}, …)
     * @param notFound the exception an unknown resource gets, thrown when the caller holds
     *                 neither {@code read} nor {@code needed} there
     * @throws ForbiddenException when it reads there but lacks {@code needed}
     */
    public void require(Actor actor, String folderId, Permission read, Permission needed,
            Supplier<? extends RuntimeException> notFound) {
        if (actor.may(needed, folderId)) {
            return;
        }
        if (!actor.may(read, folderId)) {
            throw notFound.get();
        }
        throw forbidden(actor, needed, folderId);
    }

    /** {@link #require} for a read: 404 unless the caller holds {@code read} in the folder. */
    public void requireRead(Actor actor, String folderId, Permission read, Supplier<? extends RuntimeException> notFound) {
        require(actor, folderId, read, read, notFound);
    }

    /** The 403 of a caller that lacks {@code permission} in {@code folderId}, naming both. */
    public ForbiddenException forbidden(Actor actor, Permission permission, String folderId) {
        String path = pathOf(tree(), folderId);
        return new ForbiddenException("This needs the " + permission.wireName() + " permission in folder \"" + path + "\" ("
                + folderId + "), which " + actor.kind() + " " + actor.id() + " does not hold there.", lacking(permission, folderId, path));
    }

    /** The details of every 403 for a permission missing in a folder: the permission and the folder, for programs. */
    static Map<String, Object> lacking(Permission permission, String folderId, String path) {
        return Map.of("required_permission", permission.wireName(), "folder_id", folderId, "folder_path", path);
    }

    /**
     * The folders a listing shows: those where the caller holds {@code read} (empty: every
     * folder, no filter needed), or, when the request names a folder, that one alone (none when
     * the caller cannot read there).
     *
     * @param requested a folder id or path from the request's {@code folder} parameter
     * @throws InvalidInputException ({@code folder}) for a folder that does not exist for the caller
     */
    public Optional<Set<String>> listed(Actor actor, Permission read, Optional<String> requested) {
        if (requested.isEmpty()) {
            return actor.grants().foldersWith(read);
        }
        Folder f = resolve(actor, requested.get(), "folder");
        return Optional.of(actor.may(read, f.id()) ? Set.of(f.id()) : Set.of());
    }

    /**
     * A folder as a request names it: its id, or its path from the root ({@code Default/Finance};
     * leading and trailing slashes ignored). A folder where the caller holds nothing at all is
     * answered as one that does not exist.
     *
     * @throws InvalidInputException on {@code field} when there is no such folder for the caller
     */
    public Folder resolve(Actor actor, String reference, String field) {
        String ref = reference == null ? "" : reference.strip();
        if (ref.isEmpty()) {
            throw new InvalidInputException(field, "must be a folder id or a path such as \"Default/Finance\"");
        }
        FolderTree tree = tree();
        String path = trimSlashes(ref);
        Optional<Folder> found = tree.find(ref).or(() -> tree.all().stream().filter(f -> tree.path(f.id()).equals(path)).findFirst());
        return found.filter(f -> seesAnything(actor, f.id())).orElseThrow(() -> new InvalidInputException(field,
                "no folder with id or path \"" + ref + "\"; a path starts at the root, e.g. \"Default/Finance\""));
    }

    /** A folder for an answer: its id and path. */
    public static FolderRef ref(FolderTree tree, String folderId) {
        return new FolderRef(folderId, pathOf(tree, folderId));
    }

    private static String pathOf(FolderTree tree, String folderId) {
        return tree.find(folderId).isPresent() ? tree.path(folderId) : folderId;
    }

    private static boolean seesAnything(Actor actor, String folderId) {
        return Arrays.stream(Permission.values()).filter(Permission::folderScoped).anyMatch(p -> actor.may(p, folderId));
    }

    private static String trimSlashes(String s) {
        int from = 0;
        int to = s.length();
        while (from < to && s.charAt(from) == '/') {
            from++;
        }
        while (to > from && s.charAt(to - 1) == '/') {
            to--;
        }
        return s.substring(from, to);
    }
}
