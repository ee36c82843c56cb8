package com.casarerpa.orchestrator.domain;

import java.util.Optional;
import java.util.Set;

/**
 * Which workflows a listing shows.
 *
 * @param nameContains case-insensitive substring of the name
 * @param tag          only workflows carrying exactly this tag
 * @param folders      only workflows in these folders (empty: in any folder)
 */
public record WorkflowFilter(Optional<String> nameContains, Optional<String> tag, Optional<Set<String>> folders) {
    public static final WorkflowFilter ALL = new WorkflowFilter(Optional.empty(), Optional.empty(), Optional.empty());

    public WorkflowFilter {
        folders = folders.map(Set::copyOf);
    }

    public WorkflowFilter(Optional<String> nameContains, Optional<String> tag) {
        this(nameContains, tag, Optional.empty());
    }

    /** The same filter, only in {@code visible} folders (empty: no limit). */
    public WorkflowFilter within(Optional<Set<String>> visible) {
        return new WorkflowFilter(nameContains, tag, visible);
    }
}
