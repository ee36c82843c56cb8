package com.casarerpa.orchestrator.service;

import com.casarerpa.orchestrator.domain.Actor;
import com.casarerpa.orchestrator.domain.AuditTrail;
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
 * read, list, change metadata, delete. Every write is recorded in the {@link AuditTrail} in its
 * own transaction.
 *
 * <p>Failures: {@link com.casarerpa.orchestrator.domain.InvalidWorkflowException} (a definition
 * broke a rule; paths relative to the definition), {@link InvalidInputException} (name,
 * description, tags), {@link NotFoundException}, {@link ConflictException}, and the store's
 * exceptions when the database fails.
 */
public final class WorkflowService {
    private static final int DEPLOY_ATTEMPTS = 3;

    private final WorkflowStore store;
    private final AuditTrail audit;
    private final List<WorkflowReferences> references;
    private final Clock clock;
    private final Supplier<String> newId;

    public WorkflowService(WorkflowStore store, AuditTrail audit, List<WorkflowReferences> references, Clock clock,
            Supplier<String> newId) {
        this.store = store;
        this.audit = audit;
        this.references = List.copyOf(references);
        this.clock = clock;
        this.newId = newId;
    }

    /**
     * Stores the definition as version 1 of a new workflow, or as the next version of the workflow
     * with that name. Concurrent deploys of one name get consecutive versions.
     */
    public Deployment deploy(DeployRequest request, Actor actor) {
        String name = checkedName(request.name());
        Optional<String> description = request.description().map(WorkflowService::checkedDescription);
        Optional<List<String>> tags = request.tags().map(WorkflowService::checkedTags);
        WorkflowDefinition definition = WorkflowDefinition.of(request.definition());
        for (int attempt = 1; ; attempt++) {
            try {
                return audit.atomically(() -> {
                    Deployment d = store.inTransaction(rows -> deploy(rows, name, description, tags, definition, actor));
                    audit.record(actor, "workflow.deploy", "workflow", d.workflow().id(), Map.of("name", d.workflow().name(),
                            "version", d.version().version(), "checksum", definition.checksum()));
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

    private Deployment deploy(WorkflowRows rows, String name, Optional<String> description,
            Optional<List<String>> tags, WorkflowDefinition definition, Actor actor) {
        Instant now = now();
        Optional<Workflow> existing = rows.findByName(name, true);
        Workflow workflow = existing
                .map(w -> new Workflow(w.id(), w.name(), description.isPresent() ? blankToNull(description.get()) : w.description(),
                        tags.orElse(w.tags()), w.latestVersion() + 1, w.createdAt(), now, w.createdBy()))
                .orElseGet(() -> new Workflow(newId.get(), name, description.map(WorkflowService::blankToNull).orElse(null),
                        tags.orElse(List.of()), 1, now, now, by(actor)));
        if (existing.isPresent()) {
            rows.update(workflow);
        } else {
            rows.insert(workflow);
        }
        WorkflowVersion version = new WorkflowVersion(workflow.id(), workflow.latestVersion(), definition, now, by(actor));
        rows.insert(version);
        return new Deployment(workflow, version, existing.isEmpty());
    }

    /** The workflow with this id or, failing that, this name. */
    public Workflow get(String idOrName) {
        return store.read(rows -> rows.find(idOrName, false)).orElseThrow(() -> notFound(idOrName));
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

    public Page<Workflow> list(WorkflowFilter filter, PageRequest page) {
        return store.inTransaction(rows -> rows.list(filter, page));
    }

    /** Changes description and tags; the definition and its versions stay. */
    public Workflow update(String idOrName, MetadataUpdate update, Actor actor) {
        Optional<String> description = update.description().map(WorkflowService::checkedDescription);
        Optional<List<String>> tags = update.tags().map(WorkflowService::checkedTags);
        Map<String, Object> details = new LinkedHashMap<>();
        description.ifPresent(d -> details.put("description", d));
        tags.ifPresent(t -> details.put("tags", t));
        return audit.atomically(() -> {
            Workflow updated = store.inTransaction(rows -> {
                Workflow w = rows.find(idOrName, true).orElseThrow(() -> notFound(idOrName));
                Workflow changed = new Workflow(w.id(), w.name(), description.isPresent() ? blankToNull(description.get())
                        : w.description(), tags.orElse(w.tags()), w.latestVersion(), w.createdAt(), now(), w.createdBy());
                rows.update(changed);
                return changed;
            });
            audit.record(actor, "workflow.update", "workflow", updated.id(), details);
            return updated;
        });
    }

    /**
     * Deletes a workflow and every version. While anything refers to it ({@link WorkflowReferences})
     * the delete is refused, unless {@code cascade} asks to remove those references too.
     */
    public Workflow delete(String idOrName, boolean cascade, Actor actor) {
        Workflow w = get(idOrName);
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
                    Map.of("name", w.name(), "versions", w.latestVersion(), "cascade", cascade, "references", found));
        });
        return w;
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
