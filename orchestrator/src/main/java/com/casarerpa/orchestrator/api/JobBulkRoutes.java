package com.casarerpa.orchestrator.api;

import com.casarerpa.orchestrator.domain.JobBatch;
import com.casarerpa.orchestrator.domain.Permission;
import com.casarerpa.orchestrator.service.JobBatches;
import com.casarerpa.orchestrator.workflow.WorkflowJson;
import com.casarerpa.protocol.rest.JobInsightBodies;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

/**
 * Bulk actions on every job of a filter: {@code POST /api/v1/jobs/bulk} (a dry run, or a batch
 * started), {@code GET /api/v1/jobs/bulk} and {@code /bulk/{id}} (progress),
 * {@code POST /api/v1/jobs/bulk/{id}/cancel}. The gate lets in job readers; the action's own
 * permission (job.retry, job.cancel) is checked per job's folder by the service. Documented in
 * docs/rest-api.md ("Bulk actions").
 */
final class JobBulkRoutes implements RouteGroup {
    private static final String BASE = "/api/v1/jobs/bulk";
    private static final long MAX_BODY = 64L * 1024;

    private final JobBatches batches;

    JobBulkRoutes(JobBatches batches) {
        this.batches = batches;
    }

    @Override
    public void register(RoutesConfig routes) {
        routes.post(BASE, this::start, Access.to(Permission.JOB_READ));
        routes.get(BASE, this::list, Access.to(Permission.JOB_READ));
        routes.get(BASE + "/{id}", this::get, Access.to(Permission.JOB_READ));
        routes.post(BASE + "/{id}/cancel", this::cancel, Access.to(Permission.JOB_READ));
    }

    private void start(Context ctx) {
        JsonNode body = RequestBodies.onlyFields(RequestBodies.object(ctx, MAX_BODY), "a bulk action", "action", "filter", "dry_run");
        String actionName = RequestBodies.requiredString(body, "action");
        JobBatch.Action action = JobBatch.Action.fromWire(actionName).orElseThrow(() -> ApiError.invalidField("action",
                "must be retry or cancel, got \"" + actionName + "\""));
        JsonNode dryRun = body.get("dry_run");
        if (dryRun != null && !dryRun.isNull() && !dryRun.isBoolean()) {
            throw ApiError.invalidField("dry_run", "must be true or false");
        }
        JobFilterParams.Asked asked = JobFilterParams.fromBody(body.get("filter"), "filter");
        JsonNode filter = body.get("filter") == null || body.get("filter").isNull() ? WorkflowJson.parse("{}") : body.get("filter");
        JobBatches.Request request = new JobBatches.Request(action, asked.filter(), asked.folder(), WorkflowJson.compact(filter));
        if (dryRun != null && dryRun.asBoolean()) {
            ctx.json(batches.dryRun(request, Callers.of(ctx)));
            return;
        }
        JobBatch b = batches.start(request, Callers.of(ctx));
        ctx.header("Location", BASE + "/" + b.id());
        ctx.status(202).json(view(b));
    }

    private void list(Context ctx) {
        ctx.json(batches.list(Paging.from(ctx), Callers.of(ctx)).map(JobBulkRoutes::view));
    }

    private void get(Context ctx) {
        ctx.json(view(batches.get(ctx.pathParam("id"), Callers.of(ctx))));
    }

    private void cancel(Context ctx) {
        ctx.json(view(batches.cancel(ctx.pathParam("id"), Callers.of(ctx))));
    }

    static JobInsightBodies.JobBatch view(JobBatch b) {
        JsonNode filter;
        try {
            filter = WorkflowJson.parse(b.filter());
        } catch (IllegalArgumentException e) {
            filter = TextNode.valueOf(b.filter());
        }
        return new JobInsightBodies.JobBatch(b.id(), b.action().wireName(), filter, b.state().wireName(), b.total(), b.done(),
                b.skipped(), b.failed(), b.error().orElse(null), b.createdBy(), b.createdAt(), b.updatedAt(),
                b.finishedAt().orElse(null));
    }
}
