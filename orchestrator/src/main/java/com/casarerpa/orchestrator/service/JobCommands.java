package com.casarerpa.orchestrator.service;

import com.casarerpa.orchestrator.domain.Actor;
import com.casarerpa.orchestrator.domain.AuditTrail;
import com.casarerpa.orchestrator.domain.Job;
import com.casarerpa.orchestrator.domain.JobState;
import com.casarerpa.orchestrator.store.JobReports;
import com.casarerpa.orchestrator.store.JobRetries;
import com.casarerpa.orchestrator.store.JobStore;
import com.casarerpa.orchestrator.domain.Permission;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * An operator's commands on jobs: cancel, retry one finished job, retry dead letters in bulk.
 * Each is recorded in the {@link AuditTrail} with the job's folder. A job in a folder where the
 * caller cannot read jobs is not found; one it reads but may not cancel or retry there is a
 * {@link ForbiddenException}. Failures: {@link NotFoundException} for an unknown job,
 * {@link ConflictException} when the job's state does not allow the command (the details carry
 * {@code state}), {@link InvalidInputException} for a bulk request out of bounds.
 */
public final class JobCommands {
    public static final int MAX_BULK = 1000;
    public static final int DEFAULT_BULK_LIMIT = 100;

    private final JobStore store;
    private final JobQueries queries;
    private final JobReports reports;
    private final JobRetries retries;
    private final AuditTrail audit;
    private final JobSignals signals;

    /** @param queries finds a job and checks the caller's access to it */
    public JobCommands(JobStore store, JobQueries queries, JobReports reports, JobRetries retries, AuditTrail audit,
            JobSignals signals) {
        this.store = store;
        this.queries = queries;
        this.reports = reports;
        this.retries = retries;
        this.audit = audit;
        this.signals = signals;
    }

    /** The job after a cancel; {@code stopping} when it runs on a robot that must stop it first. */
    public record Cancelled(Job job, boolean stopping) {}

    /** Pending: cancelled at once. Assigned or running: marked to stop; it ends cancelled when its robot stops it or its lease ends. */
    public Cancelled cancel(String jobId, Actor actor) {
        String folder = queries.find(jobId, Permission.JOB_CANCEL, actor).folderId();
        JobReports.CancelOutcome outcome = audit.atomically(() -> {
            JobReports.CancelOutcome o = reports.cancel(jobId);
            if (o == JobReports.CancelOutcome.CANCELLED || o == JobReports.CancelOutcome.STOPPING) {
                audit.record(actor, "job.cancel", "job", jobId, Map.of("outcome",
                        o == JobReports.CancelOutcome.STOPPING ? "stopping" : "cancelled"), folder);
            }
            return o;
        });
        if (outcome == JobReports.CancelOutcome.NOT_FOUND) {
            throw JobQueries.notFound(jobId);
        }
        Job job = store.find(jobId).orElseThrow(() -> JobQueries.notFound(jobId));
        if (outcome == JobReports.CancelOutcome.ALREADY_FINISHED) {
            throw new ConflictException("Job " + jobId + " already ended " + job.state().wireName()
                    + "; there is nothing to cancel.", Map.of("state", job.state().wireName()));
        }
        boolean stopping = outcome == JobReports.CancelOutcome.STOPPING;
        if (stopping) {
            signals.jobsToStop();
        }
        return new Cancelled(job, stopping);
    }

    /** A failed, cancelled or timed-out job runs again: pending now, with one more attempt allowed. */
    public Job retry(String jobId, Actor actor) {
        String folder = queries.find(jobId, Permission.JOB_RETRY, actor).folderId();
        JobRetries.Outcome outcome = audit.atomically(() -> {
            JobRetries.Outcome o = retries.retry(jobId);
            if (o.retried()) {
                audit.record(actor, "job.retry", "job", jobId, Map.of("from", o.before().orElseThrow().wireName()), folder);
            }
            return o;
        });
        JobState before = outcome.before().orElseThrow(() -> JobQueries.notFound(jobId));
        if (!outcome.retried()) {
            throw new ConflictException(before == JobState.SUCCEEDED
                    ? "Job " + jobId + " succeeded; a succeeded job is not retried. Submit a new job to run the workflow again."
                    : "Job " + jobId + " is " + before.wireName() + "; only a finished job (failed, cancelled, timed_out) can be retried.",
                    Map.of("state", before.wireName()));
        }
        signals.jobsAvailable();
        return store.find(jobId).orElseThrow(() -> JobQueries.notFound(jobId));
    }

    /** Which dead letters to retry: these ids, or the oldest {@code limit} failed jobs (of one workflow). */
    public record BulkRetry(Optional<List<String>> ids, Optional<String> workflowId, Optional<Integer> limit) {}

    /** The ids retried, and those of the asked-for ids that were not (unknown, not failed, not allowed) with why. */
    public record BulkRetried(List<String> retried, Map<String, String> skipped) {}

    /**
     * Retries failed jobs of folders where the caller holds {@code job.retry}: by filter, only
     * those are taken; by ids, the others are skipped (a job the caller cannot read as "no such job").
     */
    public BulkRetried retryDeadLetters(BulkRetry request, Actor actor) {
        List<String> ids;
        if (request.ids().isPresent()) {
            if (request.workflowId().isPresent() || request.limit().isPresent()) {
                throw new InvalidInputException("ids", "give ids, or a filter (workflow_id, limit), not both");
            }
            ids = List.copyOf(new LinkedHashSet<>(request.ids().get()));
            if (ids.isEmpty() || ids.size() > MAX_BULK) {
                throw new InvalidInputException("ids", "must hold 1 to " + MAX_BULK + " job ids, got " + ids.size());
            }
        } else {
            int limit = request.limit().orElse(DEFAULT_BULK_LIMIT);
            if (limit < 1 || limit > MAX_BULK) {
                throw new InvalidInputException("limit", "must be from 1 to " + MAX_BULK + ", got " + limit);
            }
            ids = retries.deadLetters(request.workflowId(), actor.grants().foldersWith(Permission.JOB_RETRY), limit);
        }
        Map<String, Job> jobs = new HashMap<>();
        store.findAll(ids).forEach(j -> jobs.put(j.id(), j));
        Map<String, String> refused = new HashMap<>();
        List<String> allowed = new ArrayList<>();
        for (String id : ids) {
            Job j = jobs.get(id);
            if (j == null || !(actor.may(Permission.JOB_READ, j.folderId()) || actor.may(Permission.JOB_RETRY, j.folderId()))) {
                refused.put(id, "no such job");
            } else if (!actor.may(Permission.JOB_RETRY, j.folderId())) {
                refused.put(id, "not allowed: needs job.retry in its folder (" + j.folderId() + ")");
            } else {
                allowed.add(id);
            }
        }
        List<String> retried = audit.atomically(() -> {
            List<String> done = retries.retryFailed(allowed);
            Map<String, List<String>> byFolder = new LinkedHashMap<>();
            done.forEach(id -> byFolder.computeIfAbsent(jobs.get(id).folderId(), f -> new ArrayList<>()).add(id));
            byFolder.forEach((folder, part) -> audit.record(actor, "job.retry_bulk", "job", part.getFirst(),
                    Map.of("count", part.size(), "by", request.ids().isPresent() ? "ids" : "filter"), folder));
            return done;
        });
        Map<String, String> skipped = new LinkedHashMap<>();
        if (request.ids().isPresent()) {
            Set<String> done = Set.copyOf(retried);
            ids.stream().filter(id -> !done.contains(id)).forEach(id -> skipped.put(id, refused.containsKey(id) ? refused.get(id)
                    : "is " + jobs.get(id).state().wireName() + ", not failed"));
        }
        if (!retried.isEmpty()) {
            signals.jobsAvailable();
        }
        return new BulkRetried(retried, skipped);
    }
}
