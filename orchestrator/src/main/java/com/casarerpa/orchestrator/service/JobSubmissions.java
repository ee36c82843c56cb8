package com.casarerpa.orchestrator.service;

import com.casarerpa.orchestrator.domain.Actor;
import com.casarerpa.orchestrator.domain.Job;
import com.casarerpa.orchestrator.domain.JobIds;
import com.casarerpa.orchestrator.domain.Workflow;
import com.casarerpa.orchestrator.store.JobStore;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Submitting jobs: one (with an optional idempotency key: a repeated key of the same workflow
 * returns the first job) or a batch of up to {@value #MAX_BATCH} in one transaction, all checked
 * before any is stored. Each job pins a workflow version, the latest unless one is asked for.
 *
 * <p>Failures: {@link InvalidInputException} naming the field ({@code jobs[3].priority} in a
 * batch), {@link NotFoundException} for an unknown workflow or version; nothing is stored then.
 */
public final class JobSubmissions {
    public static final int MAX_BATCH = 1000;

    private final WorkflowService workflows;
    private final JobStore store;
    private final Clock clock;
    private final JobIds ids;
    private final int defaultMaxRetries;
    private final JobSignals signals;

    /** Submit events go to the audit trail in each submit's own transaction ({@link JobStore.AuditEntry}). */
    public JobSubmissions(WorkflowService workflows, JobStore store, Clock clock, JobIds ids, int defaultMaxRetries,
            JobSignals signals) {
        this.signals = signals;
        this.workflows = workflows;
        this.store = store;
        this.clock = clock;
        this.ids = ids;
        this.defaultMaxRetries = defaultMaxRetries;
    }

    /** The job, and whether this call created it (false: the first job of a repeated idempotency key). */
    public JobStore.Submitted submit(JobRequest request, Actor actor) {
        JobStore.NewJob job = newJob(request, "", actor, new HashMap<>());
        Map<String, Object> details = new HashMap<>(Map.of("workflow_id", job.workflowId(),
                "workflow_version", job.workflowVersion(), "priority", job.priority()));
        job.idempotencyKey().ifPresent(k -> details.put("idempotency_key", k));
        JobStore.Submitted s = store.submit(job, Optional.of(new JobStore.AuditEntry(clock.instant(), actor, "job.submit", details)));
        if (s.created()) {
            signals.jobsAvailable();
        }
        return s;
    }

    /** Stores every job or none; the answer keeps the order of {@code requests}. */
    public List<Job> submitBatch(List<JobRequest> requests, Actor actor) {
        if (requests.isEmpty() || requests.size() > MAX_BATCH) {
            throw new InvalidInputException("jobs", "must hold 1 to " + MAX_BATCH + " jobs, got " + requests.size());
        }
        Map<String, Workflow> resolved = new HashMap<>();
        List<JobStore.NewJob> jobs = new ArrayList<>();
        for (int i = 0; i < requests.size(); i++) {
            String prefix = "jobs[" + i + "].";
            if (requests.get(i).idempotencyKey().isPresent()) {
                throw new InvalidInputException(prefix + "idempotency_key", "a batch cannot carry idempotency keys;"
                        + " submit a job with a key on its own (POST /api/v1/jobs)");
            }
            jobs.add(newJob(requests.get(i), prefix, actor, resolved));
        }
        // Ids are made in order: the first and last of the request are the lowest and highest.
        List<Job> stored = new ArrayList<>(store.submitAll(jobs, Optional.of(new JobStore.AuditEntry(clock.instant(), actor,
                "job.submit_batch", Map.of("count", jobs.size(), "first_id", jobs.getFirst().id(), "last_id", jobs.getLast().id())))));
        signals.jobsAvailable();
        // Sorting by id restores the order of the request.
        stored.sort(Comparator.comparing(Job::id));
        return stored;
    }

    private JobStore.NewJob newJob(JobRequest request, String prefix, Actor actor, Map<String, Workflow> resolved) {
        JobRequestChecks.Checked c = JobRequestChecks.check(request, prefix, defaultMaxRetries);
        Workflow w = workflow(request, prefix, resolved);
        int version = request.version().orElse(w.latestVersion());
        if (version > w.latestVersion()) {
            throw new NotFoundException("Workflow " + w.id() + " (\"" + w.name() + "\") has no version " + version
                    + "; its versions are 1 to " + w.latestVersion() + ".");
        }
        return new JobStore.NewJob(ids.next(), w.id(), version, c.priority(), c.variablesJson(), c.requiredCapabilities(),
                c.tags(), c.environment(), c.idempotencyKey(), c.maxRetries(), c.timeoutSeconds(), "api",
                WorkflowService.by(actor));
    }

    /** The workflow named by id or by name, exactly (an id is not taken for a name, nor the reverse). */
    private Workflow workflow(JobRequest request, String prefix, Map<String, Workflow> resolved) {
        boolean byId = request.workflowId().isPresent();
        String ref = byId ? request.workflowId().get().strip() : request.workflowName().get().strip();
        Workflow w = resolved.computeIfAbsent((byId ? "id:" : "name:") + ref, k -> {
            try {
                return workflows.get(ref);
            } catch (NotFoundException e) {
                return null;
            }
        });
        if (w == null || !(byId ? w.id() : w.name()).equals(ref)) {
            throw new NotFoundException("No workflow with " + (byId ? "id" : "name") + " \"" + ref + "\" ("
                    + prefix + (byId ? "workflow_id" : "workflow_name") + ").");
        }
        return w;
    }
}
