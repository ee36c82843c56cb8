package com.casarerpa.orchestrator.workflow;

import com.casarerpa.orchestrator.domain.InvalidWorkflowException;
import com.casarerpa.orchestrator.domain.WorkflowLimits;
import com.casarerpa.orchestrator.domain.WorkflowProblem;
import com.casarerpa.orchestrator.workflow.WorkflowJson;
import com.casarerpa.orchestrator.workflow.WorkflowValidator;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * A valid workflow definition (CasareRPA workflow JSON), kept verbatim: {@link #text()} is its
 * compact JSON, the stored form; {@link #checksum()} the SHA-256 of that text.
 */
public record WorkflowDefinition(JsonNode json, String text, String checksum, int sizeBytes, int nodeCount) {

    /**
     * Checks {@code json} against {@link WorkflowValidator} and the size limit.
     *
     * @throws InvalidWorkflowException listing every problem
     */
    public static WorkflowDefinition of(JsonNode json) {
        List<WorkflowProblem> problems = WorkflowValidator.validate(json);
        if (!problems.isEmpty()) {
            throw new InvalidWorkflowException(problems);
        }
        String text = WorkflowJson.compact(json);
        int size = text.getBytes(StandardCharsets.UTF_8).length;
        if (size > WorkflowLimits.MAX_DEFINITION_BYTES) {
            throw new InvalidWorkflowException(List.of(new WorkflowProblem("", "the definition is " + size
                    + " bytes; a workflow may be at most " + WorkflowLimits.MAX_DEFINITION_BYTES + " bytes (5 MB)")));
        }
        return new WorkflowDefinition(json, text, WorkflowJson.sha256(text), size, json.get("nodes").size());
    }

    /** A definition read back from storage, where it was validated when it was written. */
    public static WorkflowDefinition stored(String text, String checksum, int sizeBytes, int nodeCount) {
        return new WorkflowDefinition(WorkflowJson.parse(text), text, checksum, sizeBytes, nodeCount);
    }

    /** The name the file gives itself: {@code metadata.name}, else a top-level {@code name} (snippets). */
    public static Optional<String> declaredName(JsonNode json) {
        for (JsonNode candidate : List.of(json.path("metadata").path("name"), json.path("name"))) {
            if (candidate.isTextual() && !candidate.asText().isBlank()) {
                return Optional.of(candidate.asText().strip());
            }
        }
        return Optional.empty();
    }

    /** The distinct {@code node_type}s of the nodes, sorted; empty when the JSON is not at hand. */
    public java.util.SortedSet<String> nodeTypes() {
        java.util.SortedSet<String> types = new java.util.TreeSet<>();
        if (json != null && json.path("nodes").isObject()) {
            json.path("nodes").forEach(node -> {
                String type = node.path("node_type").asText("");
                if (!type.isBlank()) {
                    types.add(type);
                }
            });
        }
        return types;
    }
}
