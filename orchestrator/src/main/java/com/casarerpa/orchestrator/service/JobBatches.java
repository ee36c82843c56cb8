package com.casarerpa.orchestrator.service;

import com.casarerpa.orchestrator.domain.Actor;
import com.casarerpa.orchestrator.domain.AuditTrail;
import com.casarerpa.orchestrator.domain.JobBatch;
import com.casarerpa.orchestrator.domain.JobFilter;
import com.casarerpa.orchestrator.domain.JobState;
import com.casarerpa.orchestrator.domain.Permission;
import com.casarerpa.orchestrator.paging.Page;
import com.casarerpa.orchestrator.paging.PageRequest;
import com.casarerpa.orchestrator.store.JobBatchStore;
import com.casarerpa.orchestrator.store.JobListing;
import com.casarerpa.protocol.rest.JobInsightBodies;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executor;

/**
 * Bulk retry or cancel of every job a filter matches ({@code POST /api/v1/jobs/bulk}), in the
 * states the action applies to. A dry run counts the jobs the caller may act on (in folders where
 * it holds the action's permission) and touches nothing. A real run fixes, when it starts, the
 * ids of the jobs the filter matches among those the caller reads (at most {@value #MAX_JOBS}),
 * and acts on each through the one-job command ({@link JobCommands}: its permission check, audit
 * event and change event), on a virtual thread of this instance ({@link BatchRun}), writing
 * progress to {@code job_bulk_actions} after each chunk. A job in a folder where the caller may not
 * act, or whose state changed meanwhile, is skipped and counted: so its {@code done} is the dry
 * run's count when nothing changed in between.
 *
 * <p>A batch whose instance stopped is not resumed: when its progress has not moved for
 * {@value #LEASE_SECONDS} s, the next read of batches marks it failed; the jobs it did stay done.
 * A batch is seen by whoever started it and by admins.
 */
public final class JobBatches {
    public static final int MAX_JOBS = 100_000;
    public static final int SAMPLE = 10;
    public static final int LEASE_SECONDS = 120;

    private final JobBatchStore store;
    private final JobListing listing;
    private final JobSearch search;
    private final AuditTrail audit;
    private final BatchRun run;
    private final Executor runner;

    /** @param runner where batches run (a virtual thread each) */
    public JobBatches(JobBatchStore store, JobListing listing, JobSearch search, JobCommands commands, AuditTrail audit,
            Executor runner) {
        this.store = store;
        this.listing = listing;
        this.search = search;
        this.audit = audit;
        this.run = new BatchRun(store, commands, audit);
        this.runner = runner;
    }

    /** A bulk action as asked: the filter with its {@code folder}, and the filter as given (JSON text) to keep with the batch. */
    public record Request(JobBatch.Action action, JobFilter filter, Optional<String> folder, String filterJson) {}

    /** How many jobs a run would act on now (those in folders where the caller holds the action's permission), and the newest few. */
    public JobInsightBodies.BulkDryRun dryRun(Request request, Actor actor) {
        JobFilter filter = resolve(request, request.action().permission(), actor);
        return new JobInsightBodies.BulkDryRun(request.action().wireName(), listing.count(filter),
                listing.ids(filter, PageRequest.first(SAMPLE)).items());
    }

    /**
     * Fixes the jobs and starts the batch.
     *
     * @throws InvalidInputException ({@code filter}) when it matches more than {@value #MAX_JOBS} jobs
     */
    public JobBatch start(Request request, Actor actor) {
        List<String> ids = idsOf(resolve(request, Permission.JOB_READ, actor));
        String id = JobBatchStore.ID_PREFIX + UUID.randomUUID().toString().replace("-", "");
        JobBatch batch = audit.atomically(() -> {
            JobBatch b = store.start(id, request.action(), request.filterJson(), ids.size(), creator(actor), actor.describe());
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("action", request.action().wireName());
            details.put("total", ids.size());
            audit.record(actor, "job.bulk_start", "job_batch", id, details);
            return b;
        });
        runner.execute(() -> run.run(batch, ids, actor));
        return batch;
    }

    /** @throws NotFoundException for an unknown batch, or one of someone else (unless the caller is an admin) */
    public JobBatch get(String id, Actor actor) {
        store.expire(LEASE_SECONDS);
        return store.find(id).filter(b -> mayRead(b, actor)).orElseThrow(() -> notFound(id));
    }

    /** The caller's batches newest first (an admin's: everyone's). */
    public Page<JobBatch> list(PageRequest page, Actor actor) {
        page.after().flatMap(JobBatchStore::problemWithCursor).ifPresent(p -> {
            throw new InvalidInputException("cursor", p);
        });
        store.expire(LEASE_SECONDS);
        return store.list(actor.isAdmin() ? Optional.empty() : Optional.of(creator(actor)), page);
    }

    /**
     * Stops a running batch before its next chunk; the jobs it did stay done.
     *
     * @throws ConflictException when it is not running (details: {@code state})
     */
    public JobBatch cancel(String id, Actor actor) {
        JobBatch b = get(id, actor);
        boolean cancelled = audit.atomically(() -> {
            boolean c = store.cancel(id);
            if (c) {
                audit.record(actor, "job.bulk_cancel", "job_batch", id, Map.of("done", b.done()));
            }
            return c;
        });
        JobBatch now = store.find(id).orElseThrow(() -> notFound(id));
        if (!cancelled) {
            throw new ConflictException("Batch " + id + " already ended " + now.state().wireName() + "; there is nothing to cancel.",
                    Map.of("state", now.state().wireName()));
        }
        return now;
    }

    /** The request's filter in the folders where the caller holds {@code within}, in the states its action applies to. */
    private JobFilter resolve(Request request, Permission within, Actor actor) {
        JobBatch.Action action = request.action();
        if (!actor.grants().allowsSomewhere(action.permission())) {
            throw new ForbiddenException("A bulk " + action.wireName() + " needs the " + action.permission().wireName()
                    + " permission, which " + actor.kind() + " " + actor.id() + " holds in no folder.",
                    Map.of("required_permission", action.permission().wireName()));
        }
        Set<JobState> states = EnumSet.copyOf(action.appliesTo());
        if (!request.filter().states().isEmpty()) {
            states.retainAll(request.filter().states());
            if (states.isEmpty()) {
                throw new InvalidInputException("filter.state", "a bulk " + action.wireName() + " acts on jobs that are "
                        + action.appliesTo().stream().map(JobState::wireName).sorted().toList() + "; none of the states asked is");
            }
        }
        return search.resolve(request.filter().withStates(states), request.folder(), within, actor, "filter.");
    }

    /** The ids the filter matches now, walked by keyset. */
    private List<String> idsOf(JobFilter filter) {
        List<String> ids = new java.util.ArrayList<>();
        PageRequest page = PageRequest.first(PageRequest.MAX_LIMIT);
        while (true) {
            Page<String> p = listing.ids(filter, page);
            ids.addAll(p.items());
            if (ids.size() > MAX_JOBS) {
                throw new InvalidInputException("filter", "matches more than " + MAX_JOBS + " jobs; narrow it (since, until,"
                        + " workflow_id, folder) and run the action once per part");
            }
            if (p.nextCursor() == null) {
                return ids;
            }
            page = new PageRequest(PageRequest.MAX_LIMIT, Optional.of(com.casarerpa.orchestrator.paging.PageCursor.decode(p.nextCursor())));
        }
    }

    private static boolean mayRead(JobBatch b, Actor actor) {
        return actor.isAdmin() || b.creator().equals(creator(actor));
    }

    static String creator(Actor actor) {
        return actor.kind() + ":" + actor.id();
    }

    private static NotFoundException notFound(String id) {
        return new NotFoundException("No job batch with id \"" + id + "\".");
    }
}
