package com.casarerpa.orchestrator.api;

import com.casarerpa.orchestrator.domain.Actor;
import com.casarerpa.orchestrator.domain.FolderTree;
import com.casarerpa.orchestrator.domain.InvalidWorkflowException;
import com.casarerpa.orchestrator.domain.Permission;
import com.casarerpa.orchestrator.domain.Workflow;
import com.casarerpa.orchestrator.workflow.WorkflowJson;
import com.casarerpa.orchestrator.domain.WorkflowLimits;
import com.casarerpa.orchestrator.domain.Schedule;
import com.casarerpa.orchestrator.paging.Page;
import com.casarerpa.orchestrator.paging.PageRequest;
import com.casarerpa.orchestrator.service.Csv;
import com.casarerpa.orchestrator.service.DeployRequest;
import com.casarerpa.orchestrator.service.Deployment;
import com.casarerpa.orchestrator.service.ScheduleSpec;
import com.casarerpa.orchestrator.service.Schedules;
import com.casarerpa.orchestrator.service.TriggerViews;
import com.casarerpa.orchestrator.service.ExportDocument;
import com.casarerpa.orchestrator.service.MetadataUpdate;
import com.casarerpa.orchestrator.service.WorkflowHealths;
import com.casarerpa.orchestrator.service.WorkflowService;
import com.casarerpa.orchestrator.service.WorkflowTransfer;
import com.casarerpa.orchestrator.service.WorkflowViews;
import com.casarerpa.orchestrator.domain.WorkflowFilter;
import com.casarerpa.orchestrator.domain.WorkflowHealth;
import com.casarerpa.protocol.rest.WorkflowBodies;
import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * {@code /api/v1/workflows}: deploy (a new workflow or its next version), read, list, change
 * metadata, move to another folder, delete, export and import. Routes and their access are
 * documented in docs/workflows.md. {@code {id}} is a workflow id or, failing that, a name. The
 * services check the workflow's folder (docs/rest-api.md, "Folders").
 */
public final class WorkflowRoutes implements RouteGroup {
    private static final String BASE = "/api/v1/workflows";
    /** A deploy body: a definition of at most 5 MB compact, with room for indentation. */
    private static final long MAX_DEPLOY_BODY = 4L * WorkflowLimits.MAX_DEFINITION_BYTES;
    private static final Set<String> PATCHABLE = Set.of("description", "tags", "folder");
    /** The column's size: a folder id or path longer than this names no folder. */
    private static final int MAX_FOLDER_CHARS = 1000;

    private final WorkflowService workflows;
    private final WorkflowTransfer transfer;
    private final Schedules schedules;
    private final WorkflowHealths health;

    /**
     * @param schedules where a deploy's schedule trigger goes
     * @param health    how the listed and shown workflows' jobs have been ending
     */
    public WorkflowRoutes(WorkflowService workflows, WorkflowTransfer transfer, Schedules schedules, WorkflowHealths health) {
        this.workflows = workflows;
        this.transfer = transfer;
        this.schedules = schedules;
        this.health = health;
    }

    @Override
    public void register(RoutesConfig routes) {
        // The fixed paths come before {id}, which would match them too.
        routes.get(BASE + "/export", this::export, Access.to(Permission.WORKFLOW_READ));
        routes.post(BASE + "/import", this::importDocument, Access.to(Permission.WORKFLOW_IMPORT));
        routes.post(BASE, this::deploy, Access.to(Permission.WORKFLOW_DEPLOY));
        routes.get(BASE, this::list, Access.to(Permission.WORKFLOW_READ));
        routes.get(BASE + "/{id}", this::get, Access.to(Permission.WORKFLOW_READ));
        routes.get(BASE + "/{id}/versions", this::versions, Access.to(Permission.WORKFLOW_READ));
        routes.get(BASE + "/{id}/versions/{version}", this::version, Access.to(Permission.WORKFLOW_READ));
        routes.patch(BASE + "/{id}", this::update, Access.to(Permission.WORKFLOW_DEPLOY));
        routes.delete(BASE + "/{id}", this::delete, Access.to(Permission.WORKFLOW_DELETE));
    }

    private void deploy(Context ctx) {
        JsonNode body = RequestBodies.onlyFields(RequestBodies.object(ctx, MAX_DEPLOY_BODY), "a deploy",
                "name", "workflow_data", "description", "tags", "trigger", "folder");
        Actor actor = Callers.of(ctx);
        Optional<ScheduleSpec> trigger = DeployTrigger.read(body.get("trigger"));
        String name = RequestBodies.requiredString(body, "name");
        Optional<String> folder = RequestBodies.optionalString(body, "folder", MAX_FOLDER_CHARS);
        if (trigger.isPresent()) {
            schedules.checkTrigger(trigger.get(), name.strip(), workflows.deployFolder(name, folder, actor), actor);
        }
        JsonNode definition = workflowData(body.get("workflow_data"));
        DeployRequest request = new DeployRequest(name, definition, RequestBodies.optionalString(body, "description"),
                RequestBodies.optionalStrings(body, "tags"), folder);
        Deployment d;
        try {
            d = workflows.deploy(request, actor);
        } catch (InvalidWorkflowException e) {
            throw e.under("workflow_data");
        }
        FolderTree tree = workflows.folderTree();
        WorkflowBodies.Deployment answer = WorkflowViews.deployment(d, tree);
        if (trigger.isPresent()) {
            Schedule s = schedules.applyTrigger(trigger.get(), d.workflow().id(), d.workflow().name(), actor);
            answer = answer.withSchedule(TriggerViews.schedule(s, schedules.upcoming(s, Schedules.DEPLOY_FIRES), tree));
        }
        ctx.status(201).json(answer);
    }

    /** The definition: a JSON object, or (as some clients send it) a string holding one. */
    private static JsonNode workflowData(JsonNode data) {
        if (data == null || data.isNull()) {
            throw ApiError.invalidField("workflow_data", "is required (the workflow JSON: metadata, nodes, connections, …)");
        }
        if (data.isTextual()) {
            try {
                data = WorkflowJson.parse(data.asText());
            } catch (IllegalArgumentException e) {
                throw ApiError.invalidField("workflow_data", "the string is not valid JSON: " + e.getMessage());
            }
        }
        if (!data.isObject()) {
            throw ApiError.invalidField("workflow_data", "must be a JSON object (the workflow)");
        }
        return data;
    }

    private void list(Context ctx) {
        WorkflowFilter filter = new WorkflowFilter(Optional.ofNullable(ctx.queryParam("q")).filter(q -> !q.isBlank()),
                Optional.ofNullable(ctx.queryParam("tag")).filter(t -> !t.isBlank()));
        Optional<String> folder = folderParam(ctx);
        FolderTree tree = workflows.folderTree();
        Function<PageRequest, Page<WorkflowBodies.ListedWorkflow>> read = request -> {
            Page<Workflow> page = workflows.list(filter, folder, request, Callers.of(ctx));
            Map<String, WorkflowHealth> healths = health.of(page.items());
            return page.map(w -> WorkflowViews.listed(w, healths.get(w.id()), tree));
        };
        if (CsvAnswer.wanted(ctx)) {
            CsvAnswer.sendPages(ctx, "workflows", CSV_COLUMNS, read, WorkflowRoutes::csvRow);
            return;
        }
        ctx.json(read.apply(Paging.from(ctx)));
    }

    /** The columns of {@code GET /api/v1/workflows?format=csv}: a listed workflow with its health and jobs of the last 24 hours. */
    static final List<String> CSV_COLUMNS = List.of("id", "name", "description", "tags", "folder_path", "latest_version",
            "created_at", "updated_at", "created_by", "health_last_outcome", "health_last_finished_at", "health_failing_streak",
            "health_last_success_at", "health_recovered_at", "jobs_24h_succeeded", "jobs_24h_failed");

    private static List<String> csvRow(WorkflowBodies.ListedWorkflow l) {
        WorkflowBodies.Workflow w = l.workflow();
        WorkflowBodies.Health h = l.health();
        return java.util.Arrays.asList(w.id(), w.name(), w.description(), String.join(", ", w.tags()), w.folder().path(),
                String.valueOf(w.latestVersion()), Csv.text(w.createdAt()), Csv.text(w.updatedAt()), w.createdBy(),
                h.lastOutcome(), Csv.text(h.lastFinishedAt()), String.valueOf(h.failingStreak()), Csv.text(h.lastSuccessAt()),
                Csv.text(h.recoveredAt()), String.valueOf(l.jobs_24h().succeeded()), String.valueOf(l.jobs_24h().failed()));
    }

    /** The {@code folder} query parameter of a listing: a folder id or path. */
    static Optional<String> folderParam(Context ctx) {
        return Optional.ofNullable(ctx.queryParam("folder")).filter(f -> !f.isBlank());
    }

    private void get(Context ctx) {
        Workflow w = workflows.get(ctx.pathParam("id"), Callers.of(ctx));
        ctx.json(WorkflowViews.shown(w, workflows.version(w, RequestBodies.positiveInt(ctx, "version")),
                health.of(List.of(w)).get(w.id()), workflows.folderTree()));
    }

    private void versions(Context ctx) {
        Workflow w = workflows.get(ctx.pathParam("id"), Callers.of(ctx));
        ctx.json(Map.of("workflow_id", w.id(), "items",
                workflows.versions(w).stream().map(v -> WorkflowViews.version(v, false)).toList()));
    }

    private void version(Context ctx) {
        int n = RequestBodies.positiveInt("version", ctx.pathParam("version"));
        Workflow w = workflows.get(ctx.pathParam("id"), Callers.of(ctx));
        ctx.json(WorkflowViews.version(workflows.version(w, Optional.of(n)), true));
    }

    private void update(Context ctx) {
        JsonNode body = RequestBodies.object(ctx, 64 * 1024);
        body.fieldNames().forEachRemaining(field -> {
            if (!PATCHABLE.contains(field)) {
                throw ApiError.invalidField(field, field.equals("workflow_data") || field.equals("name")
                        ? "cannot be changed here; deploy a new version (POST " + BASE + ") to change a definition"
                        : "unknown field; PATCH changes description and tags, or moves the workflow to another folder");
            }
        });
        Optional<String> description = body.has("description")
                ? Optional.of(RequestBodies.optionalString(body, "description").orElse("")) : Optional.empty();
        Optional<java.util.List<String>> tags = body.has("tags")
                ? Optional.of(RequestBodies.optionalStrings(body, "tags").orElse(java.util.List.of())) : Optional.empty();
        Optional<String> folder = body.has("folder") ? Optional.of(RequestBodies.optionalString(body, "folder", MAX_FOLDER_CHARS)
                .orElseThrow(() -> ApiError.invalidField("folder", "must be a folder id or path, e.g. \"Default/Finance\"")))
                : Optional.empty();
        Workflow w = workflows.update(ctx.pathParam("id"), new MetadataUpdate(description, tags, folder), Callers.of(ctx));
        ctx.json(WorkflowViews.summary(w, workflows.folderTree()));
    }

    private void delete(Context ctx) {
        boolean cascade = RequestBodies.flag(ctx, "cascade");
        Workflow w = workflows.delete(ctx.pathParam("id"), cascade, Callers.of(ctx));
        ctx.json(Map.of("id", w.id(), "name", w.name(), "deleted", true));
    }

    private void export(Context ctx) {
        String one = ctx.queryParam("workflow");
        Optional<Integer> version = RequestBodies.positiveInt(ctx, "version");
        if ((one == null || one.isBlank()) && version.isPresent()) {
            throw ApiError.invalidField("version", "needs workflow=ID_OR_NAME (a version belongs to one workflow)");
        }
        boolean withSecrets = RequestBodies.flag(ctx, "include_secrets");
        ExportDocument doc = one == null || one.isBlank() ? transfer.exportAll(Callers.of(ctx), withSecrets)
                : transfer.exportOne(one, version, Callers.of(ctx), withSecrets);
        if (withSecrets) {
            ctx.header("Cache-Control", "no-store");
        }
        ctx.json(doc);
    }

    private void importDocument(Context ctx) {
        JsonNode body = RequestBodies.object(ctx, ExportDocument.MAX_BYTES);
        ctx.json(transfer.importDocument(body, Callers.of(ctx)));
    }
}
