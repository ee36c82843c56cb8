package com.casarerpa.orchestrator.service;

import com.casarerpa.orchestrator.domain.Folder;
import com.casarerpa.orchestrator.domain.InvalidWorkflowException;
import com.casarerpa.orchestrator.domain.Workflow;
import com.casarerpa.orchestrator.workflow.WorkflowDefinition;
import com.casarerpa.orchestrator.domain.WorkflowProblem;
import com.casarerpa.orchestrator.workflow.WorkflowVersion;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads an export document (parsed with {@link com.casarerpa.orchestrator.workflow.WorkflowJson},
 * so numbers are exact) into the workflows and versions to restore, checking everything first:
 * the envelope, each field, each definition's rules and that each checksum matches its
 * definition. Throws {@link InvalidInputException} or {@link InvalidWorkflowException} with the
 * JSON path from the document's root ({@code workflows[0].versions[1].checksum}). A version that
 * names {@code masked_variables} was exported with hidden values: its definition is checked, but
 * its checksum is the original's and cannot match; it is kept aside as a {@link MaskedVersion}.
 */
final class ExportDocumentReader {
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,40}");
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    /**
     * A workflow as it will be written, with its versions in ascending order; {@code masked} holds
     * the versions exported with hidden values, by version number.
     */
    record Restorable(Workflow workflow, List<WorkflowVersion> versions, Map<Integer, MaskedVersion> masked,
            Optional<FolderHint> folder) {
        /** The workflow in the folder it is restored to. */
        Restorable inFolder(String folderId) {
            return new Restorable(workflow.inFolder(folderId), versions, masked, folder);
        }

        /** {@code version:checksum} of each version as exported (for a masked one, the original definition's). */
        List<String> fingerprint() {
            return versions.stream().map(v -> v.version() + ":"
                    + (masked.containsKey(v.version()) ? masked.get(v.version()).checksum() : v.definition().checksum())).toList();
        }
    }

    /**
     * The folder an entry names ({@code folder}: {@code {id, path}} as exported, or one string, an
     * id or a path); restored by id, else by path. {@code field} is its place in the document.
     */
    record FolderHint(String field, Optional<String> id, Optional<String> path) {}

    /** A version whose {@code names} were hidden at export; {@code checksum} is the original definition's. */
    record MaskedVersion(String path, String checksum, List<String> names) {}

    private ExportDocumentReader() {}

    static List<Restorable> read(JsonNode root, String importedBy) {
        if (root == null || !root.isObject()) {
            throw new InvalidInputException("", "an export document must be a JSON object");
        }
        JsonNode format = root.get("format");
        if (format == null || !ExportDocument.FORMAT.equals(format.asText(null))) {
            throw new InvalidInputException("format", "must be \"" + ExportDocument.FORMAT + "\" (is this an export of"
                    + " workflows? a single workflow file is deployed with 'deploy', not imported)");
        }
        JsonNode version = root.get("format_version");
        if (version == null || !version.isIntegralNumber() || version.asInt() != ExportDocument.FORMAT_VERSION) {
            throw new InvalidInputException("format_version", "this server reads format_version "
                    + ExportDocument.FORMAT_VERSION + ", got " + version);
        }
        JsonNode workflows = root.get("workflows");
        if (workflows == null || !workflows.isArray()) {
            throw new InvalidInputException("workflows", "must be an array");
        }
        List<Restorable> out = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < workflows.size(); i++) {
            Restorable r = entry("workflows[" + i + "]", workflows.get(i), importedBy);
            if (!ids.add(r.workflow().id())) {
                throw new InvalidInputException("workflows[" + i + "].id", "appears twice in the document");
            }
            if (!names.add(r.workflow().name())) {
                throw new InvalidInputException("workflows[" + i + "].name", "appears twice in the document");
            }
            out.add(r);
        }
        return out;
    }

    private static Restorable entry(String path, JsonNode w, String importedBy) {
        if (!w.isObject()) {
            throw new InvalidInputException(path, "must be an object");
        }
        String id = text(w, path, "id", true);
        if (!ID.matcher(id).matches()) {
            throw new InvalidInputException(path + ".id", "must be 1 to 40 letters, digits, '_' or '-', got \"" + id + "\"");
        }
        String name = prefixed(path, () -> WorkflowService.checkedName(text(w, path, "name", true)));
        String description = text(w, path, "description", false);
        List<String> tags = prefixed(path, () -> WorkflowService.checkedTags(strings(w.get("tags"), path + ".tags")));
        Instant createdAt = instant(w, path, "created_at", null);
        String createdBy = orElse(text(w, path, "created_by", false), importedBy);
        JsonNode versions = w.get("versions");
        if (versions == null || !versions.isArray() || versions.isEmpty()) {
            throw new InvalidInputException(path + ".versions", "must be a non-empty array");
        }
        List<WorkflowVersion> restored = new ArrayList<>();
        Map<Integer, MaskedVersion> masked = new LinkedHashMap<>();
        for (int i = 0; i < versions.size(); i++) {
            String vp = path + ".versions[" + i + "]";
            JsonNode node = versions.get(i);
            List<String> hidden = node.isObject() ? strings(node.get("masked_variables"), vp + ".masked_variables") : List.of();
            WorkflowVersion v = version(vp, node, id, importedBy, !hidden.isEmpty());
            if (!restored.isEmpty() && v.version() <= restored.getLast().version()) {
                throw new InvalidInputException(vp + ".version", "versions must be listed in ascending order");
            }
            restored.add(v);
            if (!hidden.isEmpty()) {
                masked.put(v.version(), new MaskedVersion(vp, node.get("checksum").asText(), hidden));
            }
        }
        Instant updatedAt = instant(w, path, "updated_at", restored.getLast().createdAt());
        Workflow workflow = new Workflow(id, name, description == null || description.isBlank() ? null : description,
                tags, restored.getLast().version(), createdAt, updatedAt, createdBy, Folder.ROOT_ID);
        return new Restorable(workflow, restored, masked, folder(w.get("folder"), path + ".folder"));
    }

    private static Optional<FolderHint> folder(JsonNode folder, String field) {
        if (folder == null || folder.isNull()) {
            return Optional.empty();
        }
        if (folder.isTextual()) {
            return Optional.of(new FolderHint(field, Optional.of(folder.asText()), Optional.of(folder.asText())));
        }
        if (!folder.isObject()) {
            throw new InvalidInputException(field, "must be {\"id\": …, \"path\": …} as exported, or a folder id or path");
        }
        Optional<String> id = Optional.ofNullable(text(folder, field, "id", false));
        Optional<String> path = Optional.ofNullable(text(folder, field, "path", false));
        if (id.isEmpty() && path.isEmpty()) {
            throw new InvalidInputException(field, "names no folder: give its id or path, or leave folder out for the root");
        }
        return Optional.of(new FolderHint(field, id, path));
    }

    private static WorkflowVersion version(String path, JsonNode v, String workflowId, String importedBy, boolean masked) {
        if (!v.isObject()) {
            throw new InvalidInputException(path, "must be an object");
        }
        JsonNode number = v.get("version");
        if (number == null || !number.canConvertToInt() || !number.isIntegralNumber() || number.asInt() < 1) {
            throw new InvalidInputException(path + ".version", "must be an integer >= 1");
        }
        String checksum = text(v, path, "checksum", true);
        if (!SHA256.matcher(checksum).matches()) {
            throw new InvalidInputException(path + ".checksum", "must be 64 lower-case hex digits (SHA-256)");
        }
        WorkflowDefinition definition;
        try {
            definition = WorkflowDefinition.of(v.get("workflow_data"));
        } catch (InvalidWorkflowException e) {
            String prefix = path + ".workflow_data";
            throw new InvalidWorkflowException(e.problems().stream()
                    .map(p -> new WorkflowProblem(p.pathUnder(prefix), p.message())).toList());
        }
        if (!masked && !definition.checksum().equals(checksum)) {
            throw new InvalidInputException(path + ".checksum", "does not match workflow_data (sha256 of its compact JSON is "
                    + definition.checksum() + "); the document was changed after export");
        }
        return new WorkflowVersion(workflowId, number.asInt(), definition, instant(v, path, "created_at", null),
                orElse(text(v, path, "created_by", false), importedBy));
    }

    private static String text(JsonNode parent, String path, String field, boolean required) {
        JsonNode v = parent.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                throw new InvalidInputException(path + "." + field, "is required");
            }
            return null;
        }
        if (!v.isTextual()) {
            throw new InvalidInputException(path + "." + field, "must be a string");
        }
        return v.asText();
    }

    private static Instant instant(JsonNode parent, String path, String field, Instant fallback) {
        String text = text(parent, path, field, fallback == null);
        if (text == null) {
            return fallback;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new InvalidInputException(path + "." + field, "must be an ISO-8601 instant such as 2026-01-31T09:00:00Z");
        }
    }

    static List<String> strings(JsonNode array, String path) {
        if (array == null || array.isNull()) {
            return List.of();
        }
        if (!array.isArray()) {
            throw new InvalidInputException(path, "must be an array of strings");
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            if (!array.get(i).isTextual()) {
                throw new InvalidInputException(path + "[" + i + "]", "must be a string");
            }
            out.add(array.get(i).asText());
        }
        return out;
    }

    /** Runs a check written for top-level fields and puts {@code path} in front of the field it names. */
    private static <T> T prefixed(String path, java.util.function.Supplier<T> check) {
        try {
            return check.get();
        } catch (InvalidInputException e) {
            throw e.field().startsWith(path) ? e : new InvalidInputException(path + "." + e.field(), e.getMessage());
        }
    }

    private static String orElse(String value, String fallback) {
        return value == null || value.isBlank() ? fallback : value;
    }
}
