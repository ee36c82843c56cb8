package com.casarerpa.orchestrator.domain;

import java.util.Optional;

/**
 * Which workflows a listing shows.
 *
 * @param nameContains case-insensitive substring of the name
 * @param tag          only workflows carrying exactly this tag
 */
public record WorkflowFilter(Optional<String> nameContains, Optional<String> tag) {
    public static final WorkflowFilter ALL = new WorkflowFilter(Optional.empty(), Optional.empty());
}
