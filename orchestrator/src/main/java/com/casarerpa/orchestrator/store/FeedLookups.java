package com.casarerpa.orchestrator.store;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;

/**
 * What the live feed reads to decide who may see a change: the folders of jobs whose change did
 * not carry one, and the folders robots are assigned to. Primary-key reads, many ids at once.
 */
public final class FeedLookups {
    private static final int CHUNK = 1_000;
    private final Jdbi jdbi;

    public FeedLookups(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** The folder of each of {@code jobIds} that exists. */
    public Map<String, String> jobFolders(Collection<String> jobIds) {
        return pairs("SELECT id, folder_id FROM jobs WHERE id IN (<ids>)", jobIds).entrySet().stream()
                .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, e -> e.getValue().getFirst()));
    }

    /** The folders each of {@code robotIds} is assigned to; a robot assigned to none (or unknown) is absent. */
    public Map<String, List<String>> robotFolders(Collection<String> robotIds) {
        return pairs("SELECT robot_id, folder_id FROM robot_folders WHERE robot_id IN (<ids>)", robotIds);
    }

    private Map<String, List<String>> pairs(String sql, Collection<String> ids) {
        Map<String, List<String>> out = new HashMap<>();
        List<String> all = List.copyOf(ids);
        for (int i = 0; i < all.size(); i += CHUNK) {
            List<String> chunk = all.subList(i, Math.min(all.size(), i + CHUNK));
            Jdbi3.call("live feed", () -> jdbi.withHandle(h -> {
                h.createQuery(sql).bindList("ids", chunk)
                        .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getString(2)))
                        .forEach(e -> out.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue()));
                return null;
            }));
        }
        return out;
    }
}
