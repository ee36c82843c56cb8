package com.casarerpa.orchestrator.service;

import com.casarerpa.orchestrator.domain.Actor;
import com.casarerpa.orchestrator.domain.AuditTrail;
import com.casarerpa.orchestrator.domain.FolderTree;
import com.casarerpa.orchestrator.domain.Folder;
import com.casarerpa.orchestrator.domain.Permission;
import com.casarerpa.orchestrator.domain.Workflow;
import com.casarerpa.orchestrator.workflow.WorkflowDefinition;
import com.casarerpa.orchestrator.domain.WorkflowFields;
import com.casarerpa.orchestrator.workflow.WorkflowVersion;
import com.casarerpa.orchestrator.paging.Page;
import com.casarerpa.orchestrator.paging.PageRequest;
import com.casarerpa.orchestrator.store.UniqueViolationException;
import com.casarerpa.orchestrator.domain.WorkflowFilter;
import com.casarerpa.orchestrator.store.WorkflowRows;
import com.casarerpa.orchestrator.store.WorkflowStore;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The workflow use cases shared by REST and the CLI: deploy (new workflow or next version),
 * read, list, change metadata, move to another folder, delete. Every write is recorded in the
 * {@link AuditTrail} in its own transaction, with the workflow's folder.
 *
 * <p>Access: the methods that take an {@link Actor} check the workflow's folder
 * ({@link FolderAccess}): a workflow where the caller lacks {@code workflow.read} is not found,
 * one it reads but may not change is a {@link ForbiddenException}. Names are unique in the whole
 * installation, whatever the folder.
 *
 * <p>Failures: {@link com.casarerpa.orchestrator.domain.InvalidWorkflowException} (a definition
 * broke a rule; paths relative to the definition), {@link InvalidInputException} (name,
 * description, tags), {@link NotFoundException}, {@link ConflictException}, and the store's
 * exceptions when the database fails.
 */
public final class WorkflowService {
    private static final int DEPLOY_ATTEMPTS = 3;

    private final WorkflowStore store;
    private final FolderAccess folders;
    private final AuditTrail audit;
    private final List<WorkflowReferences> references;
    private final Clock clock;
    private final Supplier<String> newId;

    public WorkflowService(WorkflowStore store, FolderAccess folders, AuditTrail audit, List<WorkflowReferences> references,
            Clock clock, Supplier<String> newId) {
        this.store = store;
        this.folders = folders;
        this.audit = audit;
        this.references = List.copyOf(references);
        this.clock = clock;
        this.newId = newId;
    }

    /**
     * Stores the definition as version 1 of a new workflow (in the request's folder, else the
     * root), or as the next version of the workflow with that name (in its folder). Concurrent
     * deploys of one name get consecutive versions. Needs {@code workflow.deploy} in the folder.
     */
    public Deployment deploy(DeployRequest request, Actor actor) {
        String name = checkedName(request.name());
        Optional<String> description = request.description().map(WorkflowService::checkedDescription);
        Optional<List<String>> tags = request.tags().map(WorkflowService::checkedTags);
        WorkflowDefinition definition = WorkflowDefinition.of(request.definition());
        Optional<Folder> asked = request.folder().map(f -> folders.resolve(actor, f, "folder"));
        for (int attempt = 1; ; attempt++) {
            try {
                return audit.atomically(() -> {
                    Deployment d = store.inTransaction(rows -> deploy(rows, name, description, tags, definition, asked, actor));
                    audit.record(actor, "workflow.deploy", "workflow", d.workflow().id(), Map.of("name", d.workflow().name(),
                            "version", d.version().version(), "checksum", definition.checksum()), d.workflow().folderId());
                    return d;
                });
            } catch (UniqueViolationException e) {
                if (attempt == DEPLOY_ATTEMPTS) {
                    throw new ConflictException("Workflow \"" + name + "\" was deployed concurrently; try again.",
                            Map.of("name", name));
                }
            }
        }
    }

    /**
     * The folder a deploy of {@code name} goes to, checked as the deploy checks it (to check a
     * deploy's trigger before anything is stored).
     */
    public String deployFolder(String name, Optional<String> folder, Actor actor) {
        String n = checkedName(name);
        Optional<Folder> asked = folder.map(f -> folders.resolve(actor, f, "folder"));
        return store.read(rows -> deployFolder(rows.findByName(n, false), n, asked, actor));
    }

    private String deployFolder(Optional<Workflow> existing, String name, Optional<Folder> asked, Actor actor) {
        if (existing.isEmpty()) {
            String folder = asked.map(Folder::id).orElse(Folder.ROOT_ID);
            if (!actor.may(Permission.WORKFLOW_DEPLOY, folder)) {
                throw folders.forbidden(actor, Permission.WORKFLOW_DEPLOY, folder);
            }
            return folder;
        }
        Workflow w = existing.get();
        folders.require(actor, w.folderId(), Permission.WORKFLOW_READ, Permission.WORKFLOW_DEPLOY, () -> new ConflictException(
                "The name \"" + name + "\" is taken by a workflow you cannot see (names are unique in the whole installation);"
                        + " choose another name.", Map.of("name", name)));
        if (asked.isPresent() && !asked.get().id().equals(w.folderId())) {
            throw new InvalidInputException("folder", "workflow " + w.id() + " (\"" + name + "\") is in folder "
                    + FolderAccess.ref(folders.tree(), w.folderId()).path() + ", and a new version stays in its workflow's"
                    + " folder; leave folder out, or move the workflow first (PATCH /api/v1/workflows/" + w.id() + " {\"folder\": …})");
        }
        return w.folderId();
    }

    private Deployment deploy(WorkflowRows rows, String name, Optional<String> description,
            Optional<List<String>> tags, WorkflowDefinition definition, Optional<Folder> asked, Actor actor) {
        Instant now = now();
        Optional<Workflow> existing = rows.findByName(name, true);
        String folder = deployFolder(existing, name, asked, actor);
        Workflow workflow = existing
                .map(w -> new Workflow(w.id(), w.name(), description.isPresent() ? blankToNull(description.get()) : w.description(),
                        tags.orElse(w.tags()), w.latestVersion() + 1, w.createdAt(), now, w.createdBy(), w.folderId()))
                .orElseGet(() -> new Workflow(newId.get(), name, description.map(WorkflowService::blankToNull).orElse(null),
                        tags.orElse(List.of()), 1, now, now, by(actor), folder));
        if (existing.isPresent()) {
            rows.update(workflow);
        } else {
            rows.insert(workflow);
        }
        WorkflowVersion version = new WorkflowVersion(workflow.id(), workflow.latestVersion(), definition, now, by(actor));
        rows.insert(version);
        return new Deployment(workflow, version, existing.isEmpty());
    }

    /**
     * The workflow with this id or, failing that, this name, without an access check: for use
     * cases that check the workflow's folder themselves (submitting a job, making a trigger).
     */
    public Workflow get(String idOrName) {
        return store.read(rows -> rows.find(idOrName, false)).orElseThrow(() -> notFound(idOrName));
    }

    /**
     * The id of the workflow {@code ref} names (an id or a name), when {@code actor} holds
     * {@code read} in its folder (else not found, as an unknown one): for a listing of the
     * workflow's schedules, webhooks, … filtered by workflow.
     */
    public String idSeenWith(String ref, Permission read, Actor actor) {
        Workflow w = get(ref);
        folders.requireRead(actor, w.folderId(), read, () -> notFound(ref));
        return w.id();
    }

    /** The workflow, when {@code actor} may read it (else not found, as an unknown one). */
    public Workflow get(String idOrName, Actor actor) {
        Workflow w = get(idOrName);
        folders.requireRead(actor, w.folderId(), Permission.WORKFLOW_READ, () -> notFound(idOrName));
        return w;
    }

    /** A version of a workflow with its definition; empty {@code version} means the latest. */
    public WorkflowVersion version(Workflow workflow, Optional<Integer> version) {
        int n = version.orElse(workflow.latestVersion());
        return store.inTransaction(rows -> rows.version(workflow.id(), n)).orElseThrow(() -> new NotFoundException(
                "Workflow " + workflow.id() + " (\"" + workflow.name() + "\") has no version " + n + "; its versions are 1 to "
                        + workflow.latestVersion() + "."));
    }

    /** Every version of a workflow, oldest first. */
    public List<WorkflowVersion> versions(Workflow workflow) {
        return store.inTransaction(rows -> rows.versions(workflow.id()));
    }

    /**
     * The workflows {@code actor} may read, in the folder {@code folder} names when it names one.
     *
     * @throws InvalidInputException ({@code folder}) for a folder that does not exist for the caller
     */
    public Page<Workflow> list(WorkflowFilter filter, Optional<String> folder, PageRequest page, Actor actor) {
        WorkflowFilter visible = filter.within(folders.listed(actor, Permission.WORKFLOW_READ, folder));
        return store.inTransaction(rows -> rows.list(visible, page));
    }

    /**
     * Changes description and tags (the definition and its versions stay), and moves the
     * workflow to {@code update.folder()} when that is another folder. Needs
     * {@code workflow.deploy} in its folder; a move needs it in both folders, and, with the
     * schedules and webhooks that move along, {@code schedule.change} and {@code webhook.change}
     * in both.
     */
    public Workflow update(String idOrName, MetadataUpdate update, Actor actor) {
        Optional<String> description = update.description().map(WorkflowService::checkedDescription);
        Optional<List<String>> tags = update.tags().map(WorkflowService::checkedTags);
        Optional<Folder> target = update.folder().map(f -> folders.resolve(actor, f, "folder"));
        Map<String, Object> details = new LinkedHashMap<>();
        description.ifPresent(d -> details.put("description", d));
        tags.ifPresent(t -> details.put("tags", t));
        return audit.atomically(() -> {
            Workflow[] before = new Workflow[1];
            Workflow updated = store.inTransaction(rows -> {
                Workflow w = rows.find(idOrName, true).orElseThrow(() -> notFound(idOrName));
                folders.require(actor, w.folderId(), Permission.WORKFLOW_READ, Permission.WORKFLOW_DEPLOY, () -> notFound(idOrName));
                before[0] = w;
                String folder = target.map(Folder::id).orElse(w.folderId());
                if (!folder.equals(w.folderId())) {
                    checkMove(rows.triggers(w.id()), w.folderId(), folder, actor);
                    rows.move(w.id(), folder);
                }
                Workflow changed = new Workflow(w.id(), w.name(), description.isPresent() ? blankToNull(description.get())
                        : w.description(), tags.orElse(w.tags()), w.latestVersion(), w.createdAt(), now(), w.createdBy(), folder);
                rows.update(changed);
                return changed;
            });
            String from = before[0].folderId();
            if (!details.isEmpty() || from.equals(updated.folderId())) {
                audit.record(actor, "workflow.update", "workflow", updated.id(), details, updated.folderId());
            }
            if (!from.equals(updated.folderId())) {
                // In both folders' trails: the one it left and the one it joined.
                Map<String, Object> move = Map.of("name", updated.name(), "from_folder", from, "to_folder", updated.folderId());
                audit.record(actor, "workflow.move", "workflow", updated.id(), move, from);
                audit.record(actor, "workflow.move", "workflow", updated.id(), move, updated.folderId());
            }
            return updated;
        });
    }

    private void checkMove(WorkflowRows.Triggers triggers, String from, String to, Actor actor) {
        for (String folder : List.of(from, to)) {
            List<Permission> needed = new ArrayList<>(List.of(Permission.WORKFLOW_DEPLOY));
            if (triggers.schedules() > 0) {
                needed.add(Permission.SCHEDULE_CHANGE);
            }
            if (triggers.webhooks() > 0) {
                needed.add(Permission.WEBHOOK_CHANGE);
            }
            for (Permission p : needed) {
                if (!actor.may(p, folder)) {
                    throw folders.forbidden(actor, p, folder);
                }
            }
        }
    }

    /**
     * Deletes a workflow and every version. While anything refers to it ({@link WorkflowReferences})
     * the delete is refused, unless {@code cascade} asks to remove those references too (its
     * jobs, schedules and webhooks, all in its folder or submitted from it). Needs
     * {@code workflow.delete} in its folder.
     */
    public Workflow delete(String idOrName, boolean cascade, Actor actor) {
        Workflow w = get(idOrName);
        folders.require(actor, w.folderId(), Permission.WORKFLOW_READ, Permission.WORKFLOW_DELETE, () -> notFound(idOrName));
        List<String> found = new ArrayList<>();
        references.forEach(r -> found.addAll(r.describe(w.id())));
        if (!found.isEmpty() && !cascade) {
            throw new ConflictException("Workflow " + w.id() + " (\"" + w.name() + "\") is in use (" + String.join(", ", found)
                    + "); delete with cascade=true to remove those too.", Map.of("references", found));
        }
        audit.atomically(() -> {
            if (cascade) {
                references.forEach(r -> r.remove(w.id()));
            }
            store.inTransaction(rows -> {
                rows.delete(w.id());
                return null;
            });
            audit.record(actor, "workflow.delete", "workflow", w.id(),
                    Map.of("name", w.name(), "versions", w.latestVersion(), "cascade", cascade, "references", found),
                    w.folderId());
        });
        return w;
    }

    /** The folder tree, to show folders in answers (read once per answer). */
    public FolderTree folderTree() {
        return folders.tree();
    }

    private Instant now() {
        // Microseconds: what both databases keep, so a value read back equals the one written.
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    static String by(Actor actor) {
        return actor.kind() + ":" + actor.id();
    }

    static NotFoundException notFound(String idOrName) {
        return new NotFoundException("No workflow with id or name \"" + idOrName + "\".");
    }

    static String checkedName(String name) {
        if (name == null) {
            throw new InvalidInputException("name", "is required");
        }
        String n = name.strip();
        WorkflowFields.problemWithName(n).ifPresent(p -> {
            throw new InvalidInputException("name", p);
        });
        return n;
    }

    private static String checkedDescription(String description) {
        WorkflowFields.problemWithDescription(description).ifPresent(p -> {
            throw new InvalidInputException("description", p);
        });
        return description;
    }

    static List<String> checkedTags(List<String> tags) {
        if (tags.size() > WorkflowFields.MAX_TAGS) {
            throw new InvalidInputException("tags", "at most " + WorkflowFields.MAX_TAGS + " tags, got " + tags.size());
        }
        for (int i = 0; i < tags.size(); i++) {
            int index = i;
            WorkflowFields.problemWithTag(tags.get(i).strip()).ifPresent(p -> {
                throw new InvalidInputException("tags[" + index + "]", p);
            });
        }
        return WorkflowFields.normalise(tags);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
