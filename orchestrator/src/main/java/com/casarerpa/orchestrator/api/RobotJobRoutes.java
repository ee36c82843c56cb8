package com.casarerpa.orchestrator.api;

import com.casarerpa.common.json.Json;
import com.casarerpa.orchestrator.domain.Job;
import com.casarerpa.orchestrator.domain.JobState;
import com.casarerpa.orchestrator.domain.Robot;
import com.casarerpa.orchestrator.error.OrchestratorException;
import com.casarerpa.orchestrator.metrics.RobotMetrics;
import com.casarerpa.orchestrator.service.RobotJobs;
import com.casarerpa.protocol.rest.JobBodies;
import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;

/**
 * The job side of the REST pull protocol of existing CasareRPA robots (COMPAT.md):
 * {@code POST /api/v1/jobs/claim} (JSON {@code null} when nothing is available, the job with its
 * workflow as a JSON string otherwise, an array when {@code limit > 1}), and
 * {@code /api/v1/jobs/{id}/extend-lease|complete|fail|release}. The calling robot is decided by
 * the caller's key ({@link RobotJobs#caller}); existing agents send no robot id. The limits (claim
 * size, lease length: more than 3,600 s is refused, naming the field) are {@link RobotJobs}'s. A
 * report refused as stale (409 {@code stale_lease}) is counted as a stale report of the REST
 * transport.
 */
public final class RobotJobRoutes implements RouteGroup {
    private static final long MAX_BODY = 1024 * 1024;

    private final RobotJobs jobs;
    private final RobotMetrics metrics;

    /** @param metrics where reports refused as stale are counted */
    public RobotJobRoutes(RobotJobs jobs, RobotMetrics metrics) {
        this.jobs = jobs;
        this.metrics = metrics;
    }

    @Override
    public void register(RoutesConfig routes) {
        routes.post("/api/v1/jobs/claim", this::claim, Access.ROBOT);
        routes.post("/api/v1/jobs/{id}/extend-lease", report(ctx -> {
            JsonNode body = RequestBodies.objectOrEmpty(ctx, MAX_BODY);
            Optional<Long> seconds = positive(body, "extension_seconds");
            String id = ctx.pathParam("id");
            jobs.extend(robot(ctx, body, Optional.of(id)), id, seconds);
            ctx.json(new JobBodies.LeaseExtended(id, true));
        }), Access.ROBOT);
        routes.post("/api/v1/jobs/{id}/complete", report(ctx -> {
            JsonNode body = RequestBodies.objectOrEmpty(ctx, MAX_BODY);
            String id = ctx.pathParam("id");
            JsonNode result = body.get("result");
            jobs.complete(robot(ctx, body, Optional.of(id)), id, result == null || result.isNull() ? "{}" : result.toString());
            ctx.json(new JobBodies.CompletionRecorded(id, true));
        }), Access.ROBOT);
        routes.post("/api/v1/jobs/{id}/fail", report(ctx -> {
            JsonNode body = RequestBodies.objectOrEmpty(ctx, MAX_BODY);
            String id = ctx.pathParam("id");
            String message = RequestBodies.optionalString(body, "error_message").orElse("the robot reported a failure");
            JobState now = jobs.fail(robot(ctx, body, Optional.of(id)), id, message);
            ctx.json(new JobBodies.FailureRecorded(id, now.wireName()));
        }), Access.ROBOT);
        routes.post("/api/v1/jobs/{id}/release", report(ctx -> {
            JsonNode body = RequestBodies.objectOrEmpty(ctx, MAX_BODY);
            String id = ctx.pathParam("id");
            jobs.release(robot(ctx, body, Optional.of(id)), id);
            ctx.json(new JobBodies.JobReleased(id, true));
        }), Access.ROBOT);
    }

    /** A report route: its refusal as stale (whoever decided it, the lease check or the store's write) is counted. */
    private Handler report(Handler handler) {
        return ctx -> {
            try {
                handler.handle(ctx);
            } catch (OrchestratorException e) {
                if (e.code().equals("stale_lease")) {
                    metrics.staleReport(RobotMetrics.Transport.REST);
                }
                throw e;
            }
        };
    }

    private void claim(Context ctx) {
        JsonNode body = RequestBodies.objectOrEmpty(ctx, MAX_BODY);
        Optional<Long> limit = positive(body, "limit");
        Optional<Long> lease = positive(body, "visibility_timeout_seconds");
        Robot robot = robot(ctx, body, Optional.empty());
        List<JobBodies.ClaimedJob> claimed = jobs.claim(robot, RequestBodies.optionalString(body, "environment"), limit, lease)
                .stream().map(RobotJobRoutes::claimView).toList();
        if (limit.orElse(1L) == 1) {
            ctx.contentType("application/json").result(claimed.isEmpty() ? "null" : Json.mapper().valueToTree(claimed.getFirst()).toString());
        } else {
            ctx.json(claimed);
        }
    }

    /** A positive integer field, if given (its range is {@link RobotJobs}'s to check). */
    private static Optional<Long> positive(JsonNode body, String field) {
        return body.hasNonNull(field) ? Optional.of((long) RequestBodies.positiveInt(field, body.get(field).asText())) : Optional.empty();
    }

    private static JobBodies.ClaimedJob claimView(RobotJobs.ClaimedJob c) {
        Job job = c.job();
        return new JobBodies.ClaimedJob(job.id(), job.workflowId(), c.workflowName(), job.workflowVersion(), c.definition(),
                job.priority(), job.environment().orElse("default"), tree(job.variables()), job.createdAt(), job.updatedAt(),
                job.attempt() - 1, job.maxRetries(), c.lease().expiresAt(), job.timeoutSeconds().orElse(null));
    }

    private static JsonNode tree(String json) {
        try {
            return Json.mapper().readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Which robot is calling: {@link RobotJobs#caller}. */
    private Robot robot(Context ctx, JsonNode body, Optional<String> jobId) {
        Optional<String> named = RequestBodies.optionalString(body, "robot_id")
                .or(() -> Optional.ofNullable(ctx.header("X-Robot-Id")));
        return jobs.caller(named, jobId, Callers.of(ctx));
    }
}
