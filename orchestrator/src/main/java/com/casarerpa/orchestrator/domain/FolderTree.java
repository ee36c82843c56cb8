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

    /** The folders right below {@code id}. */
    public List<Folder> children(String id) {
        return children.getOrDefault(id, List.of()).stream().map(byId::get).toList();
    }

    /**
     * The folder at {@code path} ({@code Default/Finance/AP}; names compared ignoring case). A path
     * that does not start with the root's name is read from below the root ({@code Finance/AP}).
     */
    public Optional<Folder> atPath(String path) {
        List<String> names = java.util.Arrays.stream(path.split("/")).map(String::strip).filter(n -> !n.isEmpty()).toList();
        Optional<Folder> root = find(Folder.ROOT_ID);
        if (names.isEmpty() || root.isEmpty()) {
            return Optional.empty();
        }
        Optional<Folder> fromRoot = root.get().name().equalsIgnoreCase(names.get(0)) ? walk(root.get(), names.subList(1, names.size()))
                : Optional.empty();
        return fromRoot.or(() -> walk(root.get(), names));
    }

    private Optional<Folder> walk(Folder from, List<String> names) {
        Folder at = from;
        for (String name : names) {
            Optional<Folder> next = childNamed(at.id(), name);
            if (next.isEmpty()) {
                return Optional.empty();
            }
            at = next.get();
        }
        return Optional.of(at);
    }

    /** The child of {@code parentId} called {@code name}, ignoring case (sibling names are unique that way). */
    public Optional<Folder> childNamed(String parentId, String name) {
        return children(parentId).stream().filter(f -> f.name().equalsIgnoreCase(name)).findFirst();
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
