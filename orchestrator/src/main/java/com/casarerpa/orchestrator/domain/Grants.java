package com.casarerpa.orchestrator.domain;

import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What a caller may do where: the permissions its bindings give it in every folder, resolved
 * over the tree (a binding counts in its folder and below). A binding at the root gives its
 * permissions everywhere, in folders made later too. Installation permissions
 * ({@link Permission#folderScoped()} false) count only from the root.
 */
public final class Grants {
    private static final Grants NONE = new Grants(EnumSet.noneOf(Permission.class), Map.of());

    private final Set<Permission> everywhere;
    private final Map<String, Set<Permission>> inFolders;

    private Grants(Set<Permission> everywhere, Map<String, Set<Permission>> inFolders) {
        this.everywhere = everywhere;
        this.inFolders = inFolders;
    }

    public static Grants none() {
        return NONE;
    }

    /** The given permissions in every folder (a binding at the root). */
    public static Grants everywhere(Set<Permission> permissions) {
        return new Grants(permissions.isEmpty() ? EnumSet.noneOf(Permission.class) : EnumSet.copyOf(permissions), Map.of());
    }

    /** What one binding holds: its role's permissions, in its folder. */
    public record Held(Set<Permission> permissions, String folderId) {}

    /** The grants of bindings on a tree. */
    public static Grants resolve(Iterable<Held> bindings, FolderTree tree) {
        EnumSet<Permission> everywhere = EnumSet.noneOf(Permission.class);
        Map<String, Set<Permission>> inFolders = new HashMap<>();
        for (Held b : bindings) {
            if (b.permissions().isEmpty()) {
                continue;
            }
            if (b.folderId().equals(Folder.ROOT_ID)) {
                everywhere.addAll(b.permissions());
                continue;
            }
            EnumSet<Permission> scoped = EnumSet.noneOf(Permission.class);
            b.permissions().stream().filter(Permission::folderScoped).forEach(scoped::add);
            for (String folder : tree.selfAndDescendants(b.folderId())) {
                inFolders.computeIfAbsent(folder, f -> EnumSet.noneOf(Permission.class)).addAll(scoped);
            }
        }
        return new Grants(everywhere, inFolders);
    }

    /** True when the caller has {@code permission} in {@code folderId}. */
    public boolean allows(Permission permission, String folderId) {
        return everywhere.contains(permission) || inFolders.getOrDefault(folderId, Set.of()).contains(permission);
    }

    /** True when the caller has {@code permission} in at least one folder (the routes' first check). */
    public boolean allowsSomewhere(Permission permission) {
        return everywhere.contains(permission) || inFolders.values().stream().anyMatch(p -> p.contains(permission));
    }

    /** True when {@code permission} holds in every folder, present and future. */
    public boolean allowsEverywhere(Permission permission) {
        return everywhere.contains(permission);
    }

    /**
     * The folders where {@code permission} holds, for list queries: empty when it holds
     * everywhere (no filter needed), otherwise the folder ids (possibly none).
     */
    public Optional<Set<String>> foldersWith(Permission permission) {
        if (everywhere.contains(permission)) {
            return Optional.empty();
        }
        Set<String> out = new java.util.TreeSet<>();
        inFolders.forEach((folder, p) -> {
            if (p.contains(permission)) {
                out.add(folder);
            }
        });
        return Optional.of(Collections.unmodifiableSet(out));
    }

    /** Every permission held somewhere (for {@code /auth/me} and error messages). */
    public Set<Permission> permissionsSomewhere() {
        EnumSet<Permission> all = EnumSet.noneOf(Permission.class);
        all.addAll(everywhere);
        inFolders.values().forEach(all::addAll);
        return all;
    }

    /**
     * What holds where, for {@code /auth/me}: the root folder with what holds everywhere, and each
     * folder that has more with all that holds there (everywhere's included). A folder not listed
     * has the root's. Sorted by folder id.
     */
    public Map<String, Set<Permission>> byFolder() {
        Map<String, Set<Permission>> out = new java.util.TreeMap<>();
        if (!everywhere.isEmpty()) {
            out.put(Folder.ROOT_ID, Collections.unmodifiableSet(EnumSet.copyOf(everywhere)));
        }
        inFolders.forEach((folder, held) -> {
            EnumSet<Permission> all = EnumSet.noneOf(Permission.class);
            all.addAll(everywhere);
            all.addAll(held);
            if (!all.equals(everywhere)) {
                out.put(folder, Collections.unmodifiableSet(all));
            }
        });
        return Collections.unmodifiableMap(out);
    }

    /** Only what both grant: a personal token's own bindings within its owner's. */
    public Grants intersect(Grants other) {
        EnumSet<Permission> bothEverywhere = EnumSet.noneOf(Permission.class);
        bothEverywhere.addAll(everywhere);
        bothEverywhere.retainAll(other.everywhere);
        Map<String, Set<Permission>> both = new HashMap<>();
        Set<String> folders = new java.util.HashSet<>(inFolders.keySet());
        folders.addAll(other.inFolders.keySet());
        for (String f : folders) {
            EnumSet<Permission> mine = EnumSet.noneOf(Permission.class);
            mine.addAll(everywhere);
            mine.addAll(inFolders.getOrDefault(f, Set.of()));
            EnumSet<Permission> theirs = EnumSet.noneOf(Permission.class);
            theirs.addAll(other.everywhere);
            theirs.addAll(other.inFolders.getOrDefault(f, Set.of()));
            mine.retainAll(theirs);
            mine.removeAll(bothEverywhere);
            if (!mine.isEmpty()) {
                both.put(f, mine);
            }
        }
        return new Grants(bothEverywhere, both);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Grants g && g.everywhere.equals(everywhere) && g.inFolders.equals(inFolders);
    }

    @Override
    public int hashCode() {
        return everywhere.hashCode() * 31 + inFolders.hashCode();
    }

    @Override
    public String toString() {
        return "Grants[everywhere=" + everywhere + ", inFolders=" + inFolders + "]";
    }
}
