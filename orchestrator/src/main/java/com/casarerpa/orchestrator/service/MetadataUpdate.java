package com.casarerpa.orchestrator.service;

import java.util.List;
import java.util.Optional;

/**
 * A change of a workflow's metadata, or a move to another {@code folder} (an id or a path);
 * absent fields stay as they are. A definition never changes: deploy a new version.
 */
public record MetadataUpdate(Optional<String> description, Optional<List<String>> tags, Optional<String> folder) {

    public MetadataUpdate(Optional<String> description, Optional<List<String>> tags) {
        this(description, tags, Optional.empty());
    }
}
