package com.casarerpa.orchestrator.store;

import com.casarerpa.orchestrator.domain.Actor;
import com.casarerpa.orchestrator.domain.Job;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * Jobs as rows: submitting (with idempotency), reading, and their requirements. The moves of a
 * job between states live in {@link JobClaims} (pending to leased) and {@link JobReports}
 * (everything a robot or an operator reports).
 */
public final class JobStore {
    private final Jdbi jdbi;

    public JobStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** A job to insert. {@code variablesJson} is a JSON object as text. */
    public record NewJob(String id, String workflowId, int workflowVersion, int priority, String variablesJson,
            List<String> requiredCapabilities, List<String> tags, Optional<String> environment,
            Optional<String> idempotencyKey, int maxRetries, Optional<Integer> timeoutSeconds, String source,
            String createdBy) {}

    /** The job, and whether this call created it (false: an earlier submit with the same idempotency key). */
    public record Submitted(Job job, boolean created) {}

    /**
     * The audit event of a submit, written in the job's own transaction (target: the job, or the
     * first job of a batch), so a stored job always has its record and a refused one none.
     */
    public record AuditEntry(Instant at, Actor actor, String action, Map<String, Object> details) {}

    /**
     * Inserts a job, pending from now. A job with the same workflow and idempotency key is not
     * inserted twice: the first one is returned, {@code created = false}.
     */
    public Submitted submit(NewJob job) {
        return submit(job, Optional.empty());
    }

    /** As {@link #submit(NewJob)}, with the audit event written in the same transaction when the job is created. */
    public Submitted submit(NewJob job, Optional<AuditEntry> audit) {
        try {
            return new Submitted(Jdbi3.call("jobs", () -> jdbi.inTransaction(h -> audited(h, insert(h, List.of(job)), audit, job.id())))
                    .getFirst(), true);
        } catch (UniqueViolationException e) {
            if (job.idempotencyKey().isPresent()) {
                Optional<Job> first = findByIdempotencyKey(job.workflowId(), job.idempotencyKey().get());
                if (first.isPresent()) {
                    return new Submitted(first.get(), false);
                }
            }
            throw e;
        }
    }

    /** Inserts many jobs in one transaction (none of them may carry an idempotency key). */
    public List<Job> submitAll(List<NewJob> jobs) {
        return submitAll(jobs, Optional.empty());
    }

    /** As {@link #submitAll(List)}, with one audit event for the batch in the same transaction. */
    public List<Job> submitAll(List<NewJob> jobs, Optional<AuditEntry> audit) {
        if (jobs.stream().anyMatch(j -> j.idempotencyKey().isPresent())) {
            throw new IllegalArgumentException("a batch cannot carry idempotency keys; submit those jobs one by one");
        }
        return Jdbi3.call("jobs", () -> jdbi.inTransaction(h -> audited(h, insert(h, jobs), audit, jobs.getFirst().id())));
    }

    private static List<Job> audited(Handle h, List<Job> stored, Optional<AuditEntry> audit, String targetId) {
        audit.ifPresent(a -> AuditStore.insert(h, a.at(), a.actor(), a.action(), "job", targetId, a.details()));
        return stored;
    }

    /**
     * Inserts jobs inside a transaction the caller holds, so they commit (or not) with the
     * caller's other rows: schedule fires store their jobs, their fire records and the next fire
     * times at once. No idempotency handling: a repeated key fails the caller's transaction.
     */
    public void insertWithin(Handle h, List<NewJob> jobs) {
        write(h, jobs);
    }

    /**
     * Inserts the jobs and reads them back in the same transaction (the database fills in the
     * times); their requirements are read only when there are any.
     */
    private static List<Job> insert(Handle h, List<NewJob> jobs) {
        boolean anyRequirement = write(h, jobs);
        List<String> ids = jobs.stream().map(NewJob::id).toList();
        if (anyRequirement) {
            return read(h, ids);
        }
        return h.createQuery("SELECT " + JobRows.COLUMNS + " FROM jobs WHERE id IN (<ids>)")
                .bindList("ids", ids)
                .map((rs, ctx) -> JobRows.map(rs, List.of()))
                .list();
    }

    /** Writes the jobs and their requirements; true when any job has requirements. */
    private static boolean write(Handle h, List<NewJob> jobs) {
        PreparedBatch batch = h.prepareBatch("INSERT INTO jobs (id, workflow_id, workflow_version, state, priority,"
                + " variables, tags, environment, idempotency_key, max_retries, attempt, timeout_seconds, run_after,"
                + " source, created_by, created_at, updated_at) VALUES (:id, :workflow, :version, 'pending', :priority,"
                + " :variables, :tags, :environment, :idempotency, :maxRetries, 0, :timeout, CURRENT_TIMESTAMP,"
                + " :source, :createdBy, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)");
        PreparedBatch requirements = h.prepareBatch("INSERT INTO job_requirements (job_id, capability) VALUES (:job, :capability)");
        boolean anyRequirement = false;
        for (NewJob j : jobs) {
            batch.bind("id", j.id())
                    .bind("workflow", j.workflowId())
                    .bind("version", j.workflowVersion())
                    .bind("priority", j.priority())
                    .bind("variables", j.variablesJson())
                    .bind("tags", JobRows.json(j.tags()))
                    .bind("environment", j.environment().orElse(null))
                    .bind("idempotency", j.idempotencyKey().orElse(null))
                    .bind("maxRetries", j.maxRetries())
                    .bind("timeout", j.timeoutSeconds().orElse(null))
                    .bind("source", j.source())
                    .bind("createdBy", j.createdBy())
                    .add();
            for (String capability : j.requiredCapabilities().stream().distinct().toList()) {
                requirements.bind("job", j.id()).bind("capability", capability).add();
                anyRequirement = true;
            }
        }
        batch.execute();
        if (anyRequirement) {
            requirements.execute();
        }
        return anyRequirement;
    }

    public Optional<Job> find(String id) {
        List<Job> found = findAll(List.of(id));
        return found.isEmpty() ? Optional.empty() : Optional.of(found.getFirst());
    }

    /** The jobs with these ids (in no particular order), with their requirements. */
    public List<Job> findAll(Collection<String> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        return Jdbi3.call("jobs", () -> jdbi.withHandle(h -> read(h, ids)));
    }

    static List<Job> read(Handle h, Collection<String> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        Map<String, List<String>> requirements = new HashMap<>();
        h.createQuery("SELECT job_id, capability FROM job_requirements WHERE job_id IN (<ids>) ORDER BY capability")
                .bindList("ids", List.copyOf(ids))
                .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getString(2)))
                .forEach(e -> requirements.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue()));
        return h.createQuery("SELECT " + JobRows.COLUMNS + " FROM jobs WHERE id IN (<ids>)")
                .bindList("ids", List.copyOf(ids))
                .map((rs, ctx) -> JobRows.map(rs, List.copyOf(requirements.getOrDefault(rs.getString("id"), List.of()))))
                .list();
    }

    private Optional<Job> findByIdempotencyKey(String workflowId, String key) {
        Optional<String> id = Jdbi3.call("jobs", () -> jdbi.withHandle(h -> h.createQuery(
                        "SELECT id FROM jobs WHERE workflow_id = :workflow AND idempotency_key = :key")
                .bind("workflow", workflowId)
                .bind("key", key)
                .mapTo(String.class)
                .findOne()));
        return id.flatMap(this::find);
    }

    /** How many jobs run a workflow: all of them, and those not finished (pending, assigned, running). */
    public record WorkflowJobCounts(long total, long unfinished) {}

    public WorkflowJobCounts countForWorkflow(String workflowId) {
        return Jdbi3.call("jobs", () -> jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*),"
                        + " COALESCE(SUM(CASE WHEN state IN ('pending', 'assigned', 'running') THEN 1 ELSE 0 END), 0)"
                        + " FROM jobs WHERE workflow_id = :workflow")
                .bind("workflow", workflowId)
                .map((rs, ctx) -> new WorkflowJobCounts(rs.getLong(1), rs.getLong(2)))
                .one()));
    }

    /**
     * Deletes every job of a workflow, finished or not, with its requirements, attempts and logs;
     * returns how many. A robot holding one of them is refused its next report (the lease is gone).
     */
    public int deleteForWorkflow(String workflowId) {
        return Jdbi3.call("jobs", () -> jdbi.withHandle(h -> h.createUpdate("DELETE FROM jobs WHERE workflow_id = :workflow")
                .bind("workflow", workflowId)
                .execute()));
    }

    /** Counts of jobs per state (every state present, zero when none). */
    public Map<String, Long> countByState() {
        return Jdbi3.call("jobs", () -> jdbi.withHandle(h -> {
            Map<String, Long> counts = new HashMap<>();
            h.createQuery("SELECT state, COUNT(*) FROM jobs GROUP BY state")
                    .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getLong(2)))
                    .forEach(e -> counts.put(e.getKey(), e.getValue()));
            return counts;
        }));
    }
}
