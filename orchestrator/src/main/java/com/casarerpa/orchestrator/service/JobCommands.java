package com.casarerpa.orchestrator.service;

import com.casarerpa.orchestrator.domain.Actor;
import com.casarerpa.orchestrator.domain.AuditTrail;
import com.casarerpa.orchestrator.domain.Job;
import com.casarerpa.orchestrator.domain.JobState;
import com.casarerpa.orchestrator.store.JobReports;
import com.casarerpa.orchestrator.store.JobRetries;
import com.casarerpa.orchestrator.store.JobStore;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * An operator's commands on jobs: cancel, retry one finished job, retry dead letters in bulk.
 * Each is recorded in the {@link AuditTrail}. Failures: {@link NotFoundException} for an unknown
 * job, {@link ConflictException} when the job's state does not allow the command (the details
 * carry {@code state}), {@link InvalidInputException} for a bulk request out of bounds.
 */
public final class JobCommands {
    public static final int MAX_BULK = 1000;
    public static final int DEFAULT_BULK_LIMIT = 100;

    private final JobStore store;
    private final JobReports reports;
    private final JobRetries retries;
    private final AuditTrail audit;

    private final JobSignals signals;

    public JobCommands(JobStore store, JobReports reports, JobRetries retries, AuditTrail audit, JobSignals signals) {
        this.signals = signals;
        this.store = store;
        this.reports = reports;
        this.retries = retries;
        this.audit = audit;
    }

    /** The job after a cancel; {@code stopping} when it runs on a robot that must stop it first. */
    public record Cancelled(Job job, boolean stopping) {}

    /** Pending: cancelled at once. Assigned or running: marked to stop; it ends cancelled when its robot stops it or its lease ends. */
    public Cancelled cancel(String jobId, Actor actor) {
        JobReports.CancelOutcome outcome = audit.atomically(() -> {
            JobReports.CancelOutcome o = reports.cancel(jobId);
            if (o == JobReports.CancelOutcome.CANCELLED || o == JobReports.CancelOutcome.STOPPING) {
                audit.record(actor, "job.cancel", "job", jobId, Map.of("outcome",
                        o == JobReports.CancelOutcome.STOPPING ? "stopping" : "cancelled"));
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
        JobRetries.Outcome outcome = audit.atomically(() -> {
            JobRetries.Outcome o = retries.retry(jobId);
            if (o.retried()) {
                audit.record(actor, "job.retry", "job", jobId, Map.of("from", o.before().orElseThrow().wireName()));
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

    /** The ids retried, and those of the asked-for ids that were not (unknown, or not failed) with why. */
    public record BulkRetried(List<String> retried, Map<String, String> skipped) {}

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
            ids = retries.deadLetters(request.workflowId(), limit);
        }
        List<String> retried = audit.atomically(() -> {
            List<String> done = retries.retryFailed(ids);
            if (!done.isEmpty()) {
                audit.record(actor, "job.retry_bulk", "job", done.getFirst(), Map.of("count", done.size(),
                        "by", request.ids().isPresent() ? "ids" : "filter"));
            }
            return done;
        });
        Map<String, String> skipped = new LinkedHashMap<>();
        if (request.ids().isPresent()) {
            Set<String> done = Set.copyOf(retried);
            List<String> rest = ids.stream().filter(id -> !done.contains(id)).toList();
            Map<String, JobState> states = new HashMap<>();
            store.findAll(rest).forEach(j -> states.put(j.id(), j.state()));
            rest.forEach(id -> skipped.put(id, states.containsKey(id) ? "is " + states.get(id).wireName() + ", not failed"
                    : "no such job"));
        }
        if (!retried.isEmpty()) {
            signals.jobsAvailable();
        }
        return new BulkRetried(retried, skipped);
    }
}
