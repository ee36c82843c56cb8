package com.casarerpa.orchestrator.service;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;

/**
 * The export format of workflows (docs/workflows.md), written by {@code export-workflows},
 * {@code export-workflow} and {@code GET /api/v1/workflows/export}, read by {@code import-workflows}
 * and {@code POST /api/v1/workflows/import}. Serialised with snake_case names:
 * {@code {"format":"casare-rpa-workflows","format_version":1,"exported_at":…,"workflows":[…]}}.
 */
public record ExportDocument(String format, int formatVersion, Instant exportedAt, List<Entry> workflows) {
    public static final String FORMAT = "casare-rpa-workflows";
    public static final int FORMAT_VERSION = 1;
    /** The largest document the CLI and the API read (a workflow is at most 5 MB; a backup holds many). */
    public static final long MAX_BYTES = 256L * 1024 * 1024;

    public ExportDocument {
        workflows = List.copyOf(workflows);
    }

    public static ExportDocument of(Instant exportedAt, List<Entry> workflows) {
        return new ExportDocument(FORMAT, FORMAT_VERSION, exportedAt, workflows);
    }

    /** One workflow with the versions exported (all of them, or the one asked for). */
    public record Entry(String id, String name, String description, List<String> tags, Instant createdAt,
            Instant updatedAt, String createdBy, List<Version> versions) {
        public Entry {
            tags = List.copyOf(tags);
            versions = List.copyOf(versions);
        }
    }

    /** One version; {@code checksum} is the SHA-256 of the compact JSON of {@code workflowData}. */
    public record Version(int version, Instant createdAt, String createdBy, String checksum, JsonNode workflowData) {}
}
