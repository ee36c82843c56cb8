package com.casarerpa.orchestrator.service;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Optional;

/**
 * A deploy: the definition under a name. For an existing name it becomes the next version;
 * a given description or tag list also replaces the workflow's, an absent one keeps it.
 * {@code folder} (an id or a path) places a new workflow; empty: the root folder. A new version
 * stays in its workflow's folder.
 */
public record DeployRequest(String name, JsonNode definition, Optional<String> description,
        Optional<List<String>> tags, Optional<String> folder) {

    /** A deploy that names no folder. */
    public DeployRequest(String name, JsonNode definition, Optional<String> description, Optional<List<String>> tags) {
        this(name, definition, description, tags, Optional.empty());
    }
}
