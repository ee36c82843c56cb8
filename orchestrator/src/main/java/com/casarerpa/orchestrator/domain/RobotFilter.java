package com.casarerpa.orchestrator.domain;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Which robots a listing shows: in any of {@code statuses} as people see them
 * ({@link Robot#displayStatus()}: online, busy, offline, maintenance; all when empty), offering
 * every one of {@code capabilities} and carrying every one of {@code tags}, whose id, name or
 * hostname holds {@code text} in any case, and serving a folder of each set of {@code serving}:
 * a robot assigned to none of its folders (nor to any folder at all) is left out. The service
 * builds {@code serving} from what the caller may read and the {@code folder} it asked for, as
 * {@link FolderTree#serves} decides: a robot assigned to nothing serves every folder, one assigned
 * to a folder serves it and every folder below, so each set holds the folders asked for and
 * their ancestors.
 */
public record RobotFilter(Set<String> statuses, Set<String> capabilities, Set<String> tags, Optional<String> text,
        List<Set<String>> serving) {
    /** The statuses a filter may name. */
    public static final List<String> STATUSES = List.of("online", "busy", "offline", "maintenance");

    public RobotFilter {
        statuses = Set.copyOf(statuses);
        capabilities = Set.copyOf(capabilities);
        tags = Set.copyOf(tags);
        serving = serving.stream().map(Set::copyOf).toList();
    }

    public static RobotFilter all() {
        return new RobotFilter(Set.of(), Set.of(), Set.of(), Optional.empty(), List.of());
    }

    /** The same filter, only robots serving one of {@code folders} too. */
    public RobotFilter serving(Set<String> folders) {
        List<Set<String>> more = new java.util.ArrayList<>(serving);
        more.add(folders);
        return new RobotFilter(statuses, capabilities, tags, text, more);
    }
}
