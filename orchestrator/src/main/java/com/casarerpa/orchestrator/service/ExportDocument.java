package com.casarerpa.orchestrator.service;

import com.casarerpa.protocol.rest.FolderRef;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;

/**
 * The export format of workflows (docs/workflows.md), written by {@code export-workflows},
 * {@code export-workflow} and {@code GET /api/v1/workflows/export}, read by {@code import-workflows}
 * and {@code POST /api/v1/workflows/import}. Serialised with snake_case names:
 * {@code {"format":"casare-rpa-workflows","format_version":1,"exported_at":…,"secrets_included":false,"workflows":[…]}}.
 * Without secrets (the default), the values of sensitive variables are hidden as in every read,
 * and each version that had any names them in {@code masked_variables}; such a version can be
 * imported only where it already exists (see {@link WorkflowTransfer}).
 */
public record ExportDocument(String format, int formatVersion, Instant exportedAt, boolean secretsIncluded,
        List<Entry> workflows) {
    public static final String FORMAT = "casare-rpa-workflows";
    public static final int FORMAT_VERSION = 1;
    /** The largest document the CLI and the API read (a workflow is at most 5 MB; a backup holds many). */
    public static final long MAX_BYTES = 256L * 1024 * 1024;

    public ExportDocument {
        workflows = List.copyOf(workflows);
    }

    public static ExportDocument of(Instant exportedAt, boolean secretsIncluded, List<Entry> workflows) {
        return new ExportDocument(FORMAT, FORMAT_VERSION, exportedAt, secretsIncluded, workflows);
    }

    /**
     * One workflow with the versions exported (all of them, or the one asked for), and its
     * folder (an import puts it back there: by id, else by path).
     */
    public record Entry(String id, String name, String description, List<String> tags, Instant createdAt,
            Instant updatedAt, String createdBy, FolderRef folder, List<Version> versions) {
        public Entry {
            tags = List.copyOf(tags);
            versions = List.copyOf(versions);
        }
    }

    /**
     * One version; {@code checksum} is the SHA-256 of the compact JSON of the stored definition,
     * which is {@code workflowData} unless {@code maskedVariables} names variables whose values
     * were hidden (the field is left out when there are none).
     */
    public record Version(int version, Instant createdAt, String createdBy, String checksum,
            @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> maskedVariables, JsonNode workflowData) {
        public Version {
            maskedVariables = List.copyOf(maskedVariables);
        }
    }
}
