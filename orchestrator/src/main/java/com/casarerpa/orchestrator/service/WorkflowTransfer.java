package com.casarerpa.orchestrator.service;

import com.casarerpa.common.secrets.SensitiveNames;
import com.casarerpa.orchestrator.domain.Actor;
import com.casarerpa.orchestrator.domain.AuditTrail;
import com.casarerpa.orchestrator.domain.Folder;
import com.casarerpa.orchestrator.domain.FolderTree;
import com.casarerpa.orchestrator.domain.Permission;
import com.casarerpa.orchestrator.domain.Workflow;
import com.casarerpa.orchestrator.workflow.WorkflowVersion;
import com.casarerpa.orchestrator.store.WorkflowRows;
import com.casarerpa.orchestrator.store.WorkflowStore;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Export and import of workflows ({@link ExportDocument}). An import restores ids, names,
 * metadata, version numbers, definitions and checksums as exported. It is all or nothing, in one
 * transaction: a workflow the database already holds identically (same id, name, and versions
 * with the same numbers and checksums) is skipped; one that clashes (same id with other content,
 * or its name taken by another workflow) refuses the whole import with a {@link ConflictException}
 * that lists every clash, and nothing is written.
 *
 * <p>An export holds the workflows the caller may read ({@code workflow.read} in their folders),
 * each with its folder; an import (an installation permission) puts each workflow back in the
 * folder its entry names (by id, else by path; the root when it names none). An export hides
 * the values of sensitive variables ({@link SensitiveValues}) unless the caller asks for them and
 * holds {@code workflow.export_secrets} in the folder of every workflow exported. A version exported so is restored only by being skipped, where the database
 * already holds it with the same checksum; anywhere else the import is refused
 * ({@link InvalidInputException} at its {@code masked_variables}), since writing it would store
 * the mask instead of the values.
 */
public final class WorkflowTransfer {
    private static final String EXPORT_WITH_SECRETS = "/api/v1/workflows/export?include_secrets=true";

    private final WorkflowStore store;
    private final FolderAccess folders;
    private final AuditTrail audit;
    private final Clock clock;

    public WorkflowTransfer(WorkflowStore store, FolderAccess folders, AuditTrail audit, Clock clock) {
        this.store = store;
        this.folders = folders;
        this.audit = audit;
        this.clock = clock;
    }

    /**
     * Every workflow the caller may read, with every version, ordered by name.
     *
     * @param includeSecrets the real values of sensitive variables instead of the mask
     * @throws ForbiddenException when {@code includeSecrets} is asked for by a caller without
     *         {@code workflow.export_secrets} in the folder of one of them
     */
    public ExportDocument exportAll(Actor actor, boolean includeSecrets) {
        FolderTree tree = folders.tree();
        return recorded(actor, store.inTransaction(rows -> {
            List<ExportDocument.Entry> entries = new ArrayList<>();
            for (Workflow w : rows.all()) {
                if (actor.may(Permission.WORKFLOW_READ, w.folderId())) {
                    checkMayIncludeSecrets(actor, includeSecrets, w);
                    entries.add(entry(w, rows.versions(w.id()), includeSecrets, tree));
                }
            }
            return ExportDocument.of(now(), includeSecrets, entries);
        }));
    }

    /** One workflow (by id or name) with every version, or only {@code version}; importable like a full export. */
    public ExportDocument exportOne(String idOrName, Optional<Integer> version, Actor actor, boolean includeSecrets) {
        FolderTree tree = folders.tree();
        return recorded(actor, store.inTransaction(rows -> {
            Workflow w = rows.find(idOrName, false).orElseThrow(() -> WorkflowService.notFound(idOrName));
            folders.requireRead(actor, w.folderId(), Permission.WORKFLOW_READ, () -> WorkflowService.notFound(idOrName));
            checkMayIncludeSecrets(actor, includeSecrets, w);
            List<WorkflowVersion> versions = rows.versions(w.id()).stream()
                    .filter(v -> version.isEmpty() || v.version() == version.get())
                    .toList();
            if (versions.isEmpty()) {
                throw new NotFoundException("Workflow " + w.id() + " (\"" + w.name() + "\") has no version " + version.orElseThrow()
                        + "; its versions are 1 to " + w.latestVersion() + ".");
            }
            return ExportDocument.of(now(), includeSecrets, List.of(entry(w, versions, includeSecrets, tree)));
        }));
    }

    /**
     * Restores the workflows of an export document (parsed with exact numbers).
     *
     * @throws InvalidInputException or {@link com.casarerpa.orchestrator.domain.InvalidWorkflowException}
     *         when the document is malformed (nothing written)
     * @throws ConflictException when a workflow clashes with one in the database (nothing written)
     */
    public ImportReport importDocument(JsonNode document, Actor actor) {
        FolderTree tree = folders.tree();
        List<ExportDocumentReader.Restorable> incoming = ExportDocumentReader.read(document, WorkflowService.by(actor)).stream()
                .map(r -> r.inFolder(r.folder().map(hint -> folderOf(hint, tree)).orElse(Folder.ROOT_ID)))
                .toList();
        Map<String, String> folderOf = new java.util.HashMap<>();
        incoming.forEach(r -> folderOf.put(r.workflow().id(), r.workflow().folderId()));
        return audit.atomically(() -> {
            ImportReport report = store.inTransaction(rows -> restore(rows, incoming));
            for (ImportReport.Item item : report.imported()) {
                audit.record(actor, "workflow.import", "workflow", item.id(),
                        Map.of("name", item.name(), "versions", item.versions()), folderOf.get(item.id()));
            }
            return report;
        });
    }

    /** The folder of this database an entry names: by id, else by path. */
    private static String folderOf(ExportDocumentReader.FolderHint hint, FolderTree tree) {
        return hint.id().flatMap(tree::find)
                .or(() -> hint.path().flatMap(p -> tree.all().stream().filter(f -> tree.path(f.id()).equals(p)).findFirst()))
                .map(Folder::id)
                .orElseThrow(() -> new InvalidInputException(hint.field(), "no folder here with id "
                        + hint.id().map(i -> "\"" + i + "\"").orElse("(none)") + " or path "
                        + hint.path().map(p -> "\"" + p + "\"").orElse("(none)") + "; nothing was imported. Create the folder"
                        + " first, or remove the entry's folder to import the workflow into the root folder"));
    }

    private static ImportReport restore(WorkflowRows rows, List<ExportDocumentReader.Restorable> incoming) {
        List<ImportReport.Item> imported = new ArrayList<>();
        List<ImportReport.Item> skipped = new ArrayList<>();
        List<Map<String, Object>> conflicts = new ArrayList<>();
        List<ExportDocumentReader.Restorable> toWrite = new ArrayList<>();
        for (ExportDocumentReader.Restorable r : incoming) {
            Workflow w = r.workflow();
            Optional<Workflow> sameId = rows.findById(w.id(), true);
            Optional<Workflow> sameName = rows.findByName(w.name(), true);
            if (sameId.isPresent()) {
                if (sameId.get().name().equals(w.name()) && fingerprint(rows.versions(w.id())).equals(r.fingerprint())) {
                    skipped.add(item(r));
                } else {
                    conflicts.add(conflict(w, "a workflow with this id exists with other content (name \""
                            + sameId.get().name() + "\", versions 1 to " + sameId.get().latestVersion() + ")"));
                }
            } else if (sameName.isPresent()) {
                conflicts.add(conflict(w, "the name is taken by workflow " + sameName.get().id()));
            } else {
                toWrite.add(r);
            }
        }
        if (!conflicts.isEmpty()) {
            throw new ConflictException(conflicts.size() + " workflow(s) of the document clash with workflows in this "
                    + "database (first: " + conflicts.getFirst().get("name") + ": " + conflicts.getFirst().get("reason")
                    + "); nothing was imported. Delete or rename the existing ones, or edit the document.",
                    Map.of("conflicts", conflicts));
        }
        toWrite.stream().flatMap(r -> r.masked().values().stream()).findFirst().ifPresent(m -> {
            throw new InvalidInputException(m.path() + ".masked_variables", "this version was exported with the values of "
                    + String.join(", ", m.names()) + " hidden, and this database does not hold it, so it cannot be restored"
                    + " from this document (it would store the mask instead of the values); nothing was imported. Restore from"
                    + " an export with secrets (admin only: export-workflows --include-secrets, or GET " + EXPORT_WITH_SECRETS
                    + "), or deploy the workflow again");
        });
        for (ExportDocumentReader.Restorable r : toWrite) {
            rows.insert(r.workflow());
            for (WorkflowVersion v : r.versions()) {
                rows.insert(v);
            }
            imported.add(item(r));
        }
        return new ImportReport(imported, skipped);
    }

    private static List<String> fingerprint(List<WorkflowVersion> versions) {
        return versions.stream().map(v -> v.version() + ":" + v.definition().checksum()).toList();
    }

    private static ImportReport.Item item(ExportDocumentReader.Restorable r) {
        return new ImportReport.Item(r.workflow().id(), r.workflow().name(),
                r.versions().stream().map(WorkflowVersion::version).toList());
    }

    private static Map<String, Object> conflict(Workflow w, String reason) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("id", w.id());
        c.put("name", w.name());
        c.put("reason", reason);
        return c;
    }

    /** An export that carries secrets is on the audit trail, once per workflow (who saw whose secrets). */
    private ExportDocument recorded(Actor actor, ExportDocument doc) {
        if (doc.secretsIncluded()) {
            audit.atomically(() -> doc.workflows().forEach(e -> audit.record(actor, "workflow.export_secrets", "workflow",
                    e.id(), Map.of("name", e.name(), "versions", e.versions().stream().map(ExportDocument.Version::version).toList()),
                    e.folder().id())));
        }
        return doc;
    }

    private void checkMayIncludeSecrets(Actor actor, boolean includeSecrets, Workflow w) {
        if (includeSecrets && !actor.may(Permission.WORKFLOW_EXPORT_SECRETS, w.folderId())) {
            ForbiddenException denied = folders.forbidden(actor, Permission.WORKFLOW_EXPORT_SECRETS, w.folderId());
            throw new ForbiddenException("Exporting the values of sensitive variables (include_secrets) of workflow " + w.id()
                    + " (\"" + w.name() + "\") is refused. " + denied.getMessage() + " Without include_secrets they are hidden as \""
                    + SensitiveNames.MASK + "\".", denied.details());
        }
    }

    private static ExportDocument.Entry entry(Workflow w, List<WorkflowVersion> versions, boolean includeSecrets,
            FolderTree tree) {
        return new ExportDocument.Entry(w.id(), w.name(), w.description(), w.tags(), w.createdAt(), w.updatedAt(),
                w.createdBy(), FolderAccess.ref(tree, w.folderId()), versions.stream().map(v -> version(v, includeSecrets)).toList());
    }

    private static ExportDocument.Version version(WorkflowVersion v, boolean includeSecrets) {
        SensitiveValues.MaskedDefinition data = includeSecrets
                ? new SensitiveValues.MaskedDefinition(v.definition().json(), List.of())
                : SensitiveValues.definition(v.definition().json());
        return new ExportDocument.Version(v.version(), v.createdAt(), v.createdBy(), v.definition().checksum(),
                data.maskedVariables(), data.json());
    }

    private java.time.Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }
}
