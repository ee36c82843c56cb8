package com.casarerpa.orchestrator.domain;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** All folders as a tree: ancestors, descendants and paths ({@code Default/Finance/Invoices}). */
public final class FolderTree {
    private final Map<String, Folder> byId = new HashMap<>();
    private final Map<String, List<String>> children = new HashMap<>();

    public FolderTree(Collection<Folder> folders) {
        for (Folder f : folders) {
            byId.put(f.id(), f);
            f.parentId().ifPresent(p -> children.computeIfAbsent(p, k -> new ArrayList<>()).add(f.id()));
        }
    }

    public Optional<Folder> find(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    public Collection<Folder> all() {
        return byId.values();
    }

    /** The folder and every folder below it; empty for an unknown id. */
    public Set<String> selfAndDescendants(String id) {
        Set<String> out = new LinkedHashSet<>();
        if (!byId.containsKey(id)) {
            return out;
        }
        List<String> todo = new ArrayList<>(List.of(id));
        while (!todo.isEmpty()) {
            String next = todo.remove(todo.size() - 1);
            if (out.add(next)) {
                todo.addAll(children.getOrDefault(next, List.of()));
            }
        }
        return out;
    }

    /** The folder and its ancestors up to the root, nearest first. */
    public List<String> selfAndAncestors(String id) {
        List<String> out = new ArrayList<>();
        Folder f = byId.get(id);
        while (f != null && !out.contains(f.id())) {
            out.add(f.id());
            f = f.parentId().map(byId::get).orElse(null);
        }
        return out;
    }

    /**
     * The folder a reference names: a folder id, or a path from the root ({@code Default/Finance},
     * the names as {@link #path} writes them); empty when there is none.
     */
    public Optional<Folder> byIdOrPath(String reference) {
        Folder byIdentity = byId.get(reference);
        if (byIdentity != null) {
            return Optional.of(byIdentity);
        }
        return byId.keySet().stream().filter(id -> path(id).equals(reference)).findFirst().map(byId::get);
    }

    /**
     * The folders a robot assigned to {@code assigned} serves: each of them and every folder below.
     * Empty (meaning every folder) when nothing is assigned or the root is: a robot without an
     * assignment serves the root.
     */
    public Optional<Set<String>> servedBy(Collection<String> assigned) {
        if (assigned.isEmpty() || assigned.contains(Folder.ROOT_ID)) {
            return Optional.empty();
        }
        Set<String> out = new LinkedHashSet<>();
        assigned.forEach(a -> out.addAll(selfAndDescendants(a)));
        return Optional.of(out);
    }

    /** True when a robot assigned to {@code assigned} runs the jobs of {@code folderId}: it is assigned to it or an ancestor. */
    public boolean serves(Collection<String> assigned, String folderId) {
        return assigned.isEmpty() || selfAndAncestors(folderId).stream().anyMatch(assigned::contains);
    }

    /** {@code Default/Finance/Invoices}: the names from the root down. */
    public String path(String id) {
        List<String> ids = selfAndAncestors(id);
        StringBuilder sb = new StringBuilder();
        for (int i = ids.size() - 1; i >= 0; i--) {
            sb.append(byId.get(ids.get(i)).name());
            if (i > 0) {
                sb.append('/');
            }
        }
        return sb.toString();
    }
}
