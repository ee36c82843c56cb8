package com.casarerpa.orchestrator.api;

import com.casarerpa.orchestrator.domain.Permission;

import com.casarerpa.orchestrator.domain.BatchSubmitted;
import com.casarerpa.orchestrator.domain.FolderTree;
import com.casarerpa.orchestrator.domain.JobState;
import com.casarerpa.orchestrator.domain.Submitted;
import com.casarerpa.orchestrator.service.JobCommands;
import com.casarerpa.orchestrator.service.JobRequest;
import com.casarerpa.orchestrator.service.JobRequestReader;
import com.casarerpa.orchestrator.service.JobService;
import com.casarerpa.orchestrator.service.JobSubmissions;
import com.casarerpa.orchestrator.service.JobViews;
import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code /api/v1/jobs}: submit (one, or a batch), list (searched and filtered, as JSON pages or
 * CSV), read with attempts and logs, cancel, retry one finished job, retry dead letters in bulk;
 * and, registered first, the failure groups, stuck jobs ({@link JobInsightRoutes}) and bulk
 * actions on a filter ({@link JobBulkRoutes}). Documented in docs/rest-api.md ("Jobs").
 * The robot protocol's paths under {@code /api/v1/jobs} ({@code claim}, {@code {id}/complete},
 * …) belong to the robot routes; none of these routes takes them.
 */
public final class JobRoutes implements RouteGroup {
    private static final String BASE = "/api/v1/jobs";
    private static final long MAX_SUBMIT_BODY = 2L * 1024 * 1024;
    private static final long MAX_BATCH_BODY = 32L * 1024 * 1024;
    private static final String IDEMPOTENCY_HEADER = "Idempotency-Key";
    private static final Set<String> BULK_RETRY_FIELDS = Set.of("ids", "state", "workflow_id", "limit");

    private final JobService jobs;

    public JobRoutes(JobService jobs) {
        this.jobs = jobs;
    }

    @Override
    public void register(RoutesConfig routes) {
        // The fixed paths come before {id}, which would match them too.
        new JobInsightRoutes(jobs).register(routes);
        new JobBulkRoutes(jobs.batches()).register(routes);
        routes.post(BASE + "/batch", this::submitBatch, Access.to(Permission.JOB_RUN));
        routes.post(BASE + "/retry", this::retryDeadLetters, Access.to(Permission.JOB_RETRY));
        routes.post(BASE, this::submit, Access.to(Permission.JOB_RUN));
        routes.get(BASE, this::list, Access.to(Permission.JOB_READ));
        routes.get(BASE + "/{id}", this::get, Access.to(Permission.JOB_READ));
        routes.get(BASE + "/{id}/logs", this::logs, Access.to(Permission.JOB_READ));
        routes.post(BASE + "/{id}/cancel", this::cancel, Access.to(Permission.JOB_CANCEL));
        routes.post(BASE + "/{id}/retry", this::retry, Access.to(Permission.JOB_RETRY));
    }

    private void submit(Context ctx) {
        JobRequest request = JobRequestReader.read(RequestBodies.object(ctx, MAX_SUBMIT_BODY), "");
        Optional<String> header = Optional.ofNullable(ctx.header(IDEMPOTENCY_HEADER));
        if (header.isPresent() && request.idempotencyKey().isPresent() && !header.get().equals(request.idempotencyKey().get())) {
            throw ApiError.invalidField("idempotency_key", "differs from the Idempotency-Key header; send one of the two");
        }
        if (header.isPresent()) {
            request = request.withIdempotencyKey(header);
        }
        Submitted s = jobs.submissions().submit(request, Callers.of(ctx));
        ctx.header("Location", BASE + "/" + s.job().id());
        ctx.status(s.created() ? 201 : 200).json(jobs.views().submitted(s));
    }

    private void submitBatch(Context ctx) {
        JsonNode body = RequestBodies.onlyFields(RequestBodies.object(ctx, MAX_BATCH_BODY), "a batch", "jobs");
        JsonNode items = body.get("jobs");
        if (items == null || !items.isArray()) {
            throw ApiError.invalidField("jobs", "is required: an array of jobs, each as the body of POST " + BASE);
        }
        if (items.isEmpty() || items.size() > JobSubmissions.MAX_BATCH) {
            throw ApiError.invalidField("jobs", "must hold 1 to " + JobSubmissions.MAX_BATCH + " jobs, got " + items.size());
        }
        List<JobRequest> requests = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            requests.add(JobRequestReader.read(items.get(i), "jobs[" + i + "]."));
        }
        BatchSubmitted stored = jobs.submissions().submitBatch(requests,
                Optional.ofNullable(ctx.header(IDEMPOTENCY_HEADER)), Callers.of(ctx));
        FolderTree tree = jobs.views().tree();
        ctx.status(stored.created() ? 201 : 200).json(Map.of("items", stored.jobs().stream().map(j -> jobs.views().summary(j, tree))
                .toList(), "created", stored.created()));
    }

    /** A page of jobs as JSON, or every matching job as CSV ({@code format=csv}, or {@code Accept: text/csv}). */
    private void list(Context ctx) {
        JobFilterParams.Asked asked = JobFilterParams.fromQuery(ctx);
        if (JobCsvAnswer.wanted(ctx)) {
            JobCsvAnswer.send(ctx, jobs, asked);
            return;
        }
        var page = jobs.queries().list(asked.filter(), asked.folder(), Paging.from(ctx), Callers.of(ctx));
        FolderTree tree = jobs.views().tree();
        ctx.json(page.map(j -> jobs.views().summary(j, tree)));
    }

    private void get(Context ctx) {
        ctx.json(jobs.views().detail(jobs.queries().get(ctx.pathParam("id"), Callers.of(ctx)), jobs.views().tree()));
    }

    private void logs(Context ctx) {
        ctx.json(jobs.queries().logs(ctx.pathParam("id"), RequestBodies.positiveInt(ctx, "attempt"), afterSeq(ctx),
                Paging.from(ctx), Callers.of(ctx)).map(JobViews::log));
    }

    /** {@code after_seq}: only log lines whose id is greater (the {@code seq} of the live feed's {@code log} event). */
    private static Optional<Long> afterSeq(Context ctx) {
        String raw = ctx.queryParam("after_seq");
        if (raw == null || raw.isEmpty()) {
            return Optional.empty();
        }
        if (!raw.strip().matches("\\d{1,18}")) {
            throw ApiError.invalidField("after_seq", "must be a log line id (0 or more), got \"" + raw + "\"");
        }
        return Optional.of(Long.parseLong(raw.strip()));
    }

    private void cancel(Context ctx) {
        JobCommands.Cancelled c = jobs.commands().cancel(ctx.pathParam("id"), Callers.of(ctx));
        ctx.status(c.stopping() ? 202 : 200).json(jobs.views().summary(c.job(), jobs.views().tree()));
    }

    private void retry(Context ctx) {
        ctx.json(jobs.views().summary(jobs.commands().retry(ctx.pathParam("id"), Callers.of(ctx)), jobs.views().tree()));
    }

    private void retryDeadLetters(Context ctx) {
        JsonNode body = RequestBodies.object(ctx, MAX_SUBMIT_BODY);
        body.fieldNames().forEachRemaining(f -> {
            if (!BULK_RETRY_FIELDS.contains(f)) {
                throw ApiError.invalidField(f, "unknown field; a bulk retry takes ids, or state, workflow_id and limit");
            }
        });
        Optional<List<String>> ids = RequestBodies.optionalStrings(body, "ids");
        Optional<String> state = RequestBodies.optionalString(body, "state");
        if (ids.isEmpty() && state.isEmpty()) {
            throw ApiError.invalidField("ids", "give ids (\"ids\": [\"job_…\"]) or a filter (\"state\": \"failed\")");
        }
        if (state.isPresent() && !state.get().equals(JobState.FAILED.wireName())) {
            throw ApiError.invalidField("state", "must be \"failed\": dead letters are the failed jobs; retry other finished"
                    + " jobs one by one (POST " + BASE + "/{id}/retry)");
        }
        Optional<Integer> limit = Optional.ofNullable(body.get("limit")).filter(v -> !v.isNull()).map(v -> {
            if (!v.isIntegralNumber() || !v.canConvertToInt()) {
                throw ApiError.invalidField("limit", "must be a whole number, got " + v);
            }
            return v.asInt();
        });
        JobCommands.BulkRetried r = jobs.commands().retryDeadLetters(new JobCommands.BulkRetry(ids,
                RequestBodies.optionalString(body, "workflow_id"), limit), Callers.of(ctx));
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("retried_count", r.retried().size());
        answer.put("retried", r.retried());
        answer.put("skipped", r.skipped().entrySet().stream().map(e -> Map.of("id", e.getKey(), "reason", e.getValue())).toList());
        ctx.json(answer);
    }

}
