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
