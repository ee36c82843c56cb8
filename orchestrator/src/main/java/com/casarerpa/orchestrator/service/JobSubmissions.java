package com.casarerpa.orchestrator.service;

import com.casarerpa.orchestrator.domain.Actor;
import com.casarerpa.orchestrator.domain.BatchSubmitted;
import com.casarerpa.orchestrator.domain.JobIds;
import com.casarerpa.orchestrator.domain.Permission;
import com.casarerpa.orchestrator.domain.Submitted;
import com.casarerpa.orchestrator.domain.Workflow;
import com.casarerpa.orchestrator.store.DatabaseAccessException;
import com.casarerpa.orchestrator.store.JobStore;
import com.casarerpa.orchestrator.store.StaleWorkflowException;
import com.casarerpa.orchestrator.store.WorkflowStamp;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Submitting jobs: one or a batch of up to {@value #MAX_BATCH} in one transaction, all checked
 * before any is stored. Each job pins a workflow version, the latest unless one is asked for.
 *
 * <p>Idempotency keys belong to the caller (its API key): a job's key is unique per caller and
 * workflow, a batch's per caller. The same key with the same request returns what the first
 * request stored ({@code created = false}); with another request it is a
 * {@link ConflictException} {@code idempotency_conflict}, and nothing is stored.
 *
 * <p>Access: a job is submitted into its workflow's folder, where the caller needs {@code job.run};
 * a workflow the caller cannot read ({@code workflow.read}) is not found. Each job keeps the
 * folder its workflow had when it was submitted.
 *
 * <p>Failures: {@link InvalidInputException} naming the field ({@code jobs[3].priority} in a
 * batch), {@link NotFoundException} for an unknown workflow or version, {@link ForbiddenException}
 * for a folder where the caller may not run jobs; nothing is stored then.
 */
public final class JobSubmissions {
    public static final int MAX_BATCH = 1000;
    /** The field that carries a batch's idempotency key (a header: a batch body is its jobs). */
    public static final String BATCH_KEY = "Idempotency-Key";

    private final WorkflowService workflows;
    private final FolderAccess folders;
    private final JobStore store;
    private final Clock clock;
    private final JobIds ids;
    private final int defaultMaxRetries;
    private final JobSignals signals;
    /** Single submits' workflows by {@link #refKey}: checked by each submit's transaction, so never answered stale. */
    private final Cache<String, Workflow> cached = Caffeine.newBuilder().maximumSize(10_000)
            .expireAfterWrite(Duration.ofMinutes(10)).build();

    /** Submit events go to the audit trail in each submit's own transaction ({@link JobStore.AuditEntry}). */
    public JobSubmissions(WorkflowService workflows, FolderAccess folders, JobStore store, Clock clock, JobIds ids,
            int defaultMaxRetries, JobSignals signals) {
        this.signals = signals;
        this.workflows = workflows;
        this.folders = folders;
        this.store = store;
        this.clock = clock;
        this.ids = ids;
        this.defaultMaxRetries = defaultMaxRetries;
    }

    /**
     * The job, and whether this call created it (false: the first job of a repeated idempotency key).
     *
     * <p>The workflow comes from {@link #cached} when it is there, and the job's transaction checks
     * that it is still so ({@link WorkflowStamp}); when it is not (or the cached one answered an
     * error), the entry goes and the submit is made again with the workflow read from the database.
     */
    public Submitted submit(JobRequest request, Actor actor) {
        String key = refKey(request);
        Workflow cachedWorkflow = key == null ? null : cached.getIfPresent(key);
        if (cachedWorkflow != null) {
            try {
                return submit(request, actor, new HashMap<>(Map.of(key, cachedWorkflow)), Optional.of(new WorkflowStamp(
                        cachedWorkflow.latestVersion(), cachedWorkflow.folderId(), cachedWorkflow.name())));
            } catch (StaleWorkflowException | NotFoundException | ForbiddenException e) {
                cached.invalidate(key);
            } catch (DatabaseAccessException e) {
                // A workflow deleted since it was cached fails the insert (nothing stored); anything else fails again below.
                cached.invalidate(key);
            }
        }
        Map<String, Workflow> resolved = new HashMap<>();
        Submitted s = submit(request, actor, resolved, Optional.empty());
        if (key != null && resolved.get(key) != null) {
            cached.put(key, resolved.get(key));
        }
        return s;
    }

    private Submitted submit(JobRequest request, Actor actor, Map<String, Workflow> resolved, Optional<WorkflowStamp> stamp) {
        Prepared prepared = newJob(request, "", actor, resolved);
        JobStore.NewJob job = prepared.job();
        Map<String, Object> details = new HashMap<>(Map.of("workflow_id", job.workflowId(),
                "workflow_version", job.workflowVersion(), "priority", job.priority()));
        job.idempotency().ifPresent(k -> details.put("idempotency_key", k.key()));
        Submitted s = store.submit(job, Optional.of(new JobStore.AuditEntry(clock.instant(), actor, "job.submit", job.id(),
                details, prepared.folderId())), stamp);
        if (!s.sameRequest()) {
            throw ConflictException.idempotency("idempotency_key", job.idempotency().orElseThrow().key());
        }
        if (s.created()) {
            signals.jobsAvailable();
        }
        return s;
    }

    /**
     * Stores every job or none; the answer keeps the order of {@code requests}.
     *
     * @param key the batch's idempotency key ({@value #BATCH_KEY}); the jobs of a batch carry none
     */
    public BatchSubmitted submitBatch(List<JobRequest> requests, Optional<String> key, Actor actor) {
        if (requests.isEmpty() || requests.size() > MAX_BATCH) {
            throw new InvalidInputException("jobs", "must hold 1 to " + MAX_BATCH + " jobs, got " + requests.size());
        }
        Optional<JobStore.Idempotency> batchKey = key.map(k -> new JobStore.Idempotency(WorkflowService.by(actor),
                JobRequestChecks.idempotencyKey(BATCH_KEY, k), RequestFingerprints.of(requests)));
        Map<String, Workflow> resolved = new HashMap<>();
        List<JobStore.NewJob> jobs = new ArrayList<>();
        Map<String, List<JobStore.NewJob>> byFolder = new LinkedHashMap<>();
        for (int i = 0; i < requests.size(); i++) {
            String prefix = "jobs[" + i + "].";
            if (requests.get(i).idempotencyKey().isPresent()) {
                throw new InvalidInputException(prefix + "idempotency_key", "the jobs of a batch carry no idempotency keys;"
                        + " give the batch one (the " + BATCH_KEY + " header), or submit the job on its own (POST /api/v1/jobs)");
            }
            Prepared p = newJob(requests.get(i), prefix, actor, resolved);
            jobs.add(p.job());
            byFolder.computeIfAbsent(p.folderId(), f -> new ArrayList<>()).add(p.job());
        }
        // One event per folder, so each folder's trail shows its part of the batch.
        List<JobStore.AuditEntry> events = new ArrayList<>();
        byFolder.forEach((folder, part) -> {
            Map<String, Object> details = new HashMap<>(Map.of("count", part.size(), "first_id", part.getFirst().id(),
                    "last_id", part.getLast().id(), "batch_count", jobs.size()));
            key.ifPresent(k -> details.put("idempotency_key", k));
            events.add(new JobStore.AuditEntry(clock.instant(), actor, "job.submit_batch", part.getFirst().id(), details, folder));
        });
        BatchSubmitted stored = store.submitAll(jobs, batchKey, events);
        if (!stored.sameRequest()) {
            throw ConflictException.idempotency(BATCH_KEY, key.orElseThrow());
        }
        if (stored.created()) {
            signals.jobsAvailable();
        }
        return stored;
    }

    /** How {@link #workflow} and {@link #cached} know the workflow a request names; null when it names none. */
    private static String refKey(JobRequest request) {
        if (request.workflowId().isPresent()) {
            return "id:" + request.workflowId().get().strip();
        }
        return request.workflowName().map(n -> "name:" + n.strip()).orElse(null);
    }

    /** A job to store, and the folder it goes to (its workflow's). */
    private record Prepared(JobStore.NewJob job, String folderId) {}

    private Prepared newJob(JobRequest request, String prefix, Actor actor, Map<String, Workflow> resolved) {
        JobRequestChecks.Checked c = JobRequestChecks.check(request, prefix, defaultMaxRetries);
        Workflow w = workflow(request, prefix, resolved, actor);
        int version = request.version().orElse(w.latestVersion());
        if (version > w.latestVersion()) {
            throw new NotFoundException("Workflow " + w.id() + " (\"" + w.name() + "\") has no version " + version
                    + "; its versions are 1 to " + w.latestVersion() + ".");
        }
        Optional<JobStore.Idempotency> key = c.idempotencyKey().map(k -> new JobStore.Idempotency(WorkflowService.by(actor), k,
                RequestFingerprints.of(request)));
        return new Prepared(new JobStore.NewJob(ids.next(), w.id(), version, c.priority(), c.variablesJson(),
                c.requiredCapabilities(), c.tags(), c.environment(), key, c.maxRetries(), c.timeoutSeconds(), "api",
                WorkflowService.by(actor)), w.folderId());
    }

    /**
     * The workflow named by id or by name, exactly (an id is not taken for a name, nor the
     * reverse), when the caller may run it.
     */
    private Workflow workflow(JobRequest request, String prefix, Map<String, Workflow> resolved, Actor actor) {
        boolean byId = request.workflowId().isPresent();
        String ref = byId ? request.workflowId().get().strip() : request.workflowName().get().strip();
        Workflow w = resolved.computeIfAbsent(refKey(request), k -> {
            try {
                return workflows.get(ref);
            } catch (NotFoundException e) {
                return null;
            }
        });
        Supplier<NotFoundException> notFound = () -> new NotFoundException("No workflow with " + (byId ? "id" : "name") + " \""
                + ref + "\" (" + prefix + (byId ? "workflow_id" : "workflow_name") + ").");
        if (w == null || !(byId ? w.id() : w.name()).equals(ref)) {
            throw notFound.get();
        }
        folders.require(actor, w.folderId(), Permission.WORKFLOW_READ, Permission.JOB_RUN, notFound);
        return w;
    }
}
