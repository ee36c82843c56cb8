package com.casarerpa.orchestrator.store;

import com.casarerpa.orchestrator.domain.Actor;
import com.casarerpa.orchestrator.domain.BatchSubmitted;
import com.casarerpa.orchestrator.domain.Job;
import com.casarerpa.orchestrator.domain.JobState;
import com.casarerpa.orchestrator.domain.Submitted;
import com.casarerpa.orchestrator.events.Change;
import com.casarerpa.orchestrator.events.ChangeEvents;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.jdbi.v3.core.statement.Query;

/**
 * Jobs as rows: submitting (with idempotency), reading, and their requirements. The moves of a
 * job between states live in {@link JobClaims} (pending to leased) and {@link JobReports}
 * (everything a robot or an operator reports).
 */
public final class JobStore {
    /** Ids are made in order, so sorting a batch's jobs by id restores the order they were sent in. */
    private static final Comparator<Job> IN_ORDER = Comparator.comparing(Job::id);

    private final Jdbi jdbi;
    private final ChangeEvents events;

    public JobStore(Jdbi jdbi) {
        this(jdbi, ChangeEvents.none());
    }

    /** @param events where each new job is published ({@code from} empty, {@code to} pending) after its commit */
    public JobStore(Jdbi jdbi, ChangeEvents events) {
        this.jdbi = jdbi;
        this.events = events;
    }

    /** A job to insert. {@code variablesJson} is a JSON object as text. */
    public record NewJob(String id, String workflowId, int workflowVersion, int priority, String variablesJson,
            List<String> requiredCapabilities, List<String> tags, Optional<String> environment,
            Optional<Idempotency> idempotency, int maxRetries, Optional<Integer> timeoutSeconds, String source,
            String createdBy) {}

    /**
     * An idempotency key as stored: whose it is ({@code scope}: {@code api_key:<id>},
     * {@code webhook:<id>}), the key, and the fingerprint of the request that used it. A job's
     * key is unique per scope and workflow; a batch's per scope.
     */
    public record Idempotency(String scope, String key, String requestHash) {}

    /**
     * An audit event of a submit, written in the job's own transaction (target: the job, or the
     * first job of a batch in the folder), so a stored job always has its record and a refused one none.
     *
     * @param folderId the folder of the jobs it records
     */
    public record AuditEntry(Instant at, Actor actor, String action, String targetId, Map<String, Object> details,
            String folderId) {}

    /**
     * Inserts a job, pending from now. A job with the same idempotency key (scope and workflow) is
     * not inserted twice: the first one is returned, {@code created = false}.
     */
    public Submitted submit(NewJob job) {
        return submit(job, Optional.empty());
    }

    /** As {@link #submit(NewJob)}, with the audit event written in the same transaction when the job is created. */
    public Submitted submit(NewJob job, Optional<AuditEntry> audit) {
        return submit(job, audit, Optional.empty());
    }

    /**
     * As {@link #submit(NewJob, Optional)}, for a job made from a cached workflow: the transaction
     * checks that the workflow is still as {@code stamp} says (read with the job's own row, no
     * round trip of its own) and stores nothing when it is not.
     *
     * @throws StaleWorkflowException when the workflow changed since it was cached
     */
    public Submitted submit(NewJob job, Optional<AuditEntry> audit, Optional<WorkflowStamp> stamp) {
        try {
            String[] rootFolder = new String[1];
            Job stored = Jdbi3.call("jobs", () -> jdbi.inTransaction(h -> audited(h, insert(h, List.of(job), stamp, rootFolder),
                    audit.stream().toList()))).getFirst();
            return new Submitted(stored, true, true, Optional.ofNullable(rootFolder[0]));
        } catch (UniqueViolationException e) {
            Idempotency key = job.idempotency().orElseThrow(() -> e);
            Earlier first = Jdbi3.call("jobs", () -> jdbi.withHandle(h -> h.createQuery("SELECT id, request_hash FROM jobs"
                            + " WHERE idempotency_scope = :scope AND workflow_id = :workflow AND idempotency_key = :key")
                    .bind("scope", key.scope()).bind("workflow", job.workflowId()).bind("key", key.key())
                    .map((rs, ctx) -> new Earlier(List.of(rs.getString(1)), rs.getString(2)))
                    .findOne())).orElseThrow(() -> e);
            return new Submitted(find(first.jobIds().getFirst()).orElseThrow(() -> e), false, first.sameAs(key));
        }
    }

    /** Inserts many jobs in one transaction (none of them may carry an idempotency key). */
    public List<Job> submitAll(List<NewJob> jobs) {
        return submitAll(jobs, Optional.empty(), List.of()).jobs();
    }

    /**
     * As {@link #submitAll(List)}, with the batch's audit events (one per folder) in the same transaction, and
     * the batch's own idempotency key: a batch stored under the same key before is not stored
     * again; its jobs (those not deleted since) are returned, {@code created = false}.
     */
    public BatchSubmitted submitAll(List<NewJob> jobs, Optional<Idempotency> batchKey, List<AuditEntry> audit) {
        if (jobs.stream().anyMatch(j -> j.idempotency().isPresent())) {
            throw new IllegalArgumentException("a batch cannot carry idempotency keys; submit those jobs one by one");
        }
        try {
            return new BatchSubmitted(Jdbi3.call("jobs", () -> jdbi.inTransaction(h -> {
                // The key first: a repeat fails here, before a thousand rows are written.
                batchKey.ifPresent(k -> h.createUpdate("INSERT INTO job_batches (scope, idempotency_key, request_hash, job_ids,"
                                + " created_at) VALUES (:scope, :key, :hash, :ids, CURRENT_TIMESTAMP)")
                        .bind("scope", k.scope()).bind("key", k.key()).bind("hash", k.requestHash())
                        .bind("ids", JobRows.json(jobs.stream().map(NewJob::id).toList())).execute());
                return audited(h, insert(h, jobs, Optional.empty(), null), audit);
            })).stream().sorted(IN_ORDER).toList(), true, true);
        } catch (UniqueViolationException e) {
            Idempotency key = batchKey.orElseThrow(() -> e);
            Earlier first = Jdbi3.call("jobs", () -> jdbi.withHandle(h -> h.createQuery("SELECT job_ids, request_hash"
                            + " FROM job_batches WHERE scope = :scope AND idempotency_key = :key")
                    .bind("scope", key.scope()).bind("key", key.key())
                    .map((rs, ctx) -> new Earlier(JobRows.strings(rs.getString(1)), rs.getString(2)))
                    .findOne())).orElseThrow(() -> e);
            return new BatchSubmitted(findAll(first.jobIds()).stream().sorted(IN_ORDER).toList(), false, first.sameAs(key));
        }
    }

    /** What an earlier request stored under a key: its jobs, and its fingerprint (null when stored before fingerprints). */
    private record Earlier(List<String> jobIds, String requestHash) {
        /** An earlier request without a fingerprint counts as the same. */
        boolean sameAs(Idempotency key) {
            return requestHash == null || requestHash.equals(key.requestHash());
        }
    }

    private static List<Job> audited(Handle h, List<Job> stored, List<AuditEntry> audit) {
        audit.forEach(a -> AuditStore.insert(h, a.at(), a.actor(), a.action(), "job", a.targetId(), a.details(), a.folderId()));
        return stored;
    }

    /**
     * Inserts jobs inside a transaction the caller holds, so they commit (or not) with the
     * caller's other rows: schedule fires store their jobs, their fire records and the next fire
     * times at once. No idempotency handling: a repeated key fails the caller's transaction.
     */
    public void insertWithin(Handle h, List<NewJob> jobs) {
        // Their folder is not read back: the live feed finds it when it needs it.
        events.afterCommit(h, jobs.stream().map(j -> Change.job(j.id(), Optional.empty(), JobState.PENDING.wireName())).toList());
        write(h, jobs);
    }

    /**
     * Inserts the jobs and reads them back in the same transaction (the database fills in the
     * times); their requirements are read only when there are any.
     */
    /**
     * @param rootFolder when not null, receives the name of the job's folder (its path) when that
     *                   is the root, read by the same statement (a single job without requirements)
     */
    private List<Job> insert(Handle h, List<NewJob> jobs, Optional<WorkflowStamp> stamp, String[] rootFolder) {
        boolean anyRequirement = write(h, jobs);
        List<String> ids = jobs.stream().map(NewJob::id).toList();
        // The stamp of a single job is checked by the statement that reads it back (or, with requirements, by one of its own).
        if (stamp.isPresent() && anyRequirement
                && stamp.get().bind(h.createQuery(WorkflowStamp.STILL_SO), jobs.getFirst().workflowId()).mapTo(Integer.class)
                        .findOne().isEmpty()) {
            throw new StaleWorkflowException(jobs.getFirst().workflowId());
        }
        List<Job> stored;
        if (anyRequirement) {
            stored = read(h, ids);
        } else {
            Query query = h.createQuery("SELECT " + JobRows.COLUMNS + stamp.map(st -> ", (" + WorkflowStamp.STILL_SO
                    + ") AS stamp_holds").orElse("") + (rootFolder == null ? "" : ", (SELECT f.name FROM folders f"
                    + " WHERE f.id = jobs.folder_id AND f.parent_id IS NULL) AS root_folder") + " FROM jobs WHERE id IN (<ids>)")
                    .bindList("ids", ids);
            stamp.ifPresent(st -> st.bind(query, jobs.getFirst().workflowId()));
            stored = query.map((rs, ctx) -> {
                if (stamp.isPresent() && rs.getObject("stamp_holds") == null) {
                    throw new StaleWorkflowException(rs.getString("workflow_id"));
                }
                if (rootFolder != null) {
                    rootFolder[0] = rs.getString("root_folder");
                }
                return JobRows.map(rs, List.of());
            }).list();
        }
        // Each new job after the commit, in the order submitted (the read above has none), with the folder the insert gave it.
        java.util.Map<String, String> folders = stored.stream().collect(java.util.stream.Collectors.toMap(Job::id, Job::folderId));
        events.afterCommit(h, ids.stream().filter(folders::containsKey)
                .map(id -> Change.job(id, Optional.empty(), JobState.PENDING.wireName(), folders.get(id))).toList());
        return stored;
    }

    /**
     * Writes the jobs, their requirements and their tags (job_tags, which the tag filter reads);
     * true when any job has requirements. The callers publish each new job after the commit (a
     * replayed idempotency key inserts nothing, so publishes nothing).
     */
    private boolean write(Handle h, List<NewJob> jobs) {
        // A job is in its workflow's folder: read by the insert itself (a primary-key lookup), so
        // no path that makes jobs (submit, batch, schedule fire, webhook) can forget it or pay a round trip.
        PreparedBatch batch = h.prepareBatch("INSERT INTO jobs (id, workflow_id, workflow_version, state, priority,"
                + " variables, tags, environment, idempotency_scope, idempotency_key, request_hash, max_retries, attempt,"
                + " timeout_seconds, run_after, source, created_by, created_at, updated_at, folder_id) VALUES (:id, :workflow,"
                + " :version, 'pending', :priority, :variables, :tags, :environment, :scope, :idempotency, :hash, :maxRetries, 0,"
                + " :timeout, CURRENT_TIMESTAMP, :source, :createdBy, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP,"
                + " (SELECT w.folder_id FROM workflows w WHERE w.id = :workflow))");
        PreparedBatch requirements = h.prepareBatch("INSERT INTO job_requirements (job_id, capability) VALUES (:job, :capability)");
        PreparedBatch tags = h.prepareBatch("INSERT INTO job_tags (job_id, tag) VALUES (:job, :tag)");
        boolean anyRequirement = false;
        boolean anyTag = false;
        for (NewJob j : jobs) {
            batch.bind("id", j.id())
                    .bind("workflow", j.workflowId())
                    .bind("version", j.workflowVersion())
                    .bind("priority", j.priority())
                    .bind("variables", j.variablesJson())
                    .bind("tags", JobRows.json(j.tags()))
                    .bind("environment", j.environment().orElse(null))
                    .bind("scope", j.idempotency().map(Idempotency::scope).orElse(null))
                    .bind("idempotency", j.idempotency().map(Idempotency::key).orElse(null))
                    .bind("hash", j.idempotency().map(Idempotency::requestHash).orElse(null))
                    .bind("maxRetries", j.maxRetries())
                    .bind("timeout", j.timeoutSeconds().orElse(null))
                    .bind("source", j.source())
                    .bind("createdBy", j.createdBy())
                    .add();
            for (String capability : j.requiredCapabilities().stream().distinct().toList()) {
                requirements.bind("job", j.id()).bind("capability", capability).add();
                anyRequirement = true;
            }
            for (String tag : j.tags().stream().distinct().toList()) {
                tags.bind("job", j.id()).bind("tag", tag).add();
                anyTag = true;
            }
        }
        batch.execute();
        if (anyRequirement) {
            requirements.execute();
        }
        if (anyTag) {
            tags.execute();
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
