package com.casarerpa.orchestrator.api;

import com.casarerpa.orchestrator.domain.Permission;
import com.casarerpa.orchestrator.service.Csv;
import com.casarerpa.orchestrator.service.FailureGroups;
import com.casarerpa.orchestrator.service.JobService;
import com.casarerpa.orchestrator.service.StuckJobs;
import com.casarerpa.protocol.rest.JobInsightBodies;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.List;
import java.util.Map;

/**
 * What the jobs dashboard reads about failures and hangs: {@code GET /api/v1/jobs/failure-groups}
 * (failed and timed-out jobs by error signature) and {@code GET /api/v1/jobs/stuck} (running jobs
 * that went quiet). Documented in docs/rest-api.md ("Failure groups", "Stuck jobs").
 */
final class JobInsightRoutes implements RouteGroup {
    private static final String BASE = "/api/v1/jobs";

    private final JobService jobs;

    JobInsightRoutes(JobService jobs) {
        this.jobs = jobs;
    }

    @Override
    public void register(RoutesConfig routes) {
        routes.get(BASE + "/failure-groups", this::failureGroups, Access.to(Permission.JOB_READ));
        routes.get(BASE + "/stuck", this::stuck, Access.to(Permission.JOB_READ));
    }

    /** The largest groups as JSON, or every group as CSV ({@code format=csv}, or {@code Accept: text/csv}; {@code limit} ignored). */
    private void failureGroups(Context ctx) {
        boolean csv = CsvAnswer.wanted(ctx);
        int limit = limit(ctx, FailureGroups.DEFAULT_LIMIT, FailureGroups.MAX_LIMIT);
        FailureGroups.Query query = jobs.failures().query(RequestBodies.instantParam(ctx, "since"),
                RequestBodies.instantParam(ctx, "until"), RequestBodies.textParam(ctx, "workflow_id"), WorkflowRoutes.folderParam(ctx), Callers.of(ctx));
        if (csv) {
            CsvAnswer.send(ctx, "failure-groups", out -> {
                Csv.write(out, FAILURE_GROUP_COLUMNS);
                jobs.failures().each(query, groups -> groups.forEach(g -> Csv.write(out, failureGroupRow(g))));
            });
            return;
        }
        ctx.json(Map.of("items", jobs.failures().list(query, limit)));
    }

    /** The columns of {@code GET /api/v1/jobs/failure-groups?format=csv}; a group's workflows are joined by {@code ", "}. */
    static final List<String> FAILURE_GROUP_COLUMNS = List.of("signature", "error_type", "message_pattern", "count", "first_at",
            "last_at", "sample_job_id", "workflow_ids", "workflow_names");

    private static List<String> failureGroupRow(JobInsightBodies.FailureGroup g) {
        return java.util.Arrays.asList(g.signature(), g.errorType(), g.messagePattern(), String.valueOf(g.count()),
                Csv.text(g.firstAt()), Csv.text(g.lastAt()), g.sampleJobId(),
                String.join(", ", g.workflows().stream().map(JobInsightBodies.WorkflowRef::id).toList()),
                String.join(", ", g.workflows().stream().map(JobInsightBodies.WorkflowRef::name).toList()));
    }

    private void stuck(Context ctx) {
        int quiet = RequestBodies.positiveInt(ctx, "quiet_seconds").orElse(StuckJobs.DEFAULT_QUIET_SECONDS);
        int limit = limit(ctx, StuckJobs.DEFAULT_LIMIT, com.casarerpa.orchestrator.paging.PageRequest.MAX_LIMIT);
        ctx.json(Map.of("items", jobs.stuck().list(quiet, WorkflowRoutes.folderParam(ctx), limit, Callers.of(ctx)),
                "quiet_seconds", quiet));
    }

    private static int limit(Context ctx, int defaultLimit, int max) {
        int limit = RequestBodies.positiveInt(ctx, "limit").orElse(defaultLimit);
        if (limit > max) {
            throw ApiError.invalidField("limit", "must be from 1 to " + max + ", got " + limit);
        }
        return limit;
    }
}
