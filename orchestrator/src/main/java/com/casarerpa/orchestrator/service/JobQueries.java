package com.casarerpa.orchestrator.service;

import com.casarerpa.orchestrator.domain.Actor;
import com.casarerpa.orchestrator.domain.Job;
import com.casarerpa.orchestrator.domain.JobLogEntry;
import com.casarerpa.orchestrator.domain.JobState;
import com.casarerpa.orchestrator.domain.JobFilter;
import com.casarerpa.orchestrator.domain.Permission;
import com.casarerpa.orchestrator.store.JobHistory;
import com.casarerpa.orchestrator.store.JobListing;
import com.casarerpa.orchestrator.store.JobStore;
import com.casarerpa.orchestrator.paging.Page;
import com.casarerpa.orchestrator.paging.PageRequest;
import java.util.Optional;

/**
 * Reading jobs: one with its attempts and waiting reason, a filtered listing newest first, and a
 * job's logs; only jobs in folders where the caller holds {@code job.read} (others are not found,
 * as unknown ones). Failures: {@link NotFoundException} for an unknown job,
 * {@link InvalidInputException} ({@code cursor}, {@code folder}) for a cursor of another listing
 * or an unknown folder.
 */
public final class JobQueries {
    private final JobStore store;
    private final FolderAccess folders;
    private final JobListing listing;
    private final JobHistory history;
    private final PendingReasons reasons;
    private final JobSearch search;

    /** @param search how a listing's filter is resolved for its caller (folders, free text) */
    public JobQueries(JobStore store, FolderAccess folders, JobListing listing, JobHistory history, PendingReasons reasons,
            JobSearch search) {
        this.store = store;
        this.folders = folders;
        this.listing = listing;
        this.history = history;
        this.reasons = reasons;
        this.search = search;
    }

    public JobDetails get(String jobId, Actor actor) {
        Job job = find(jobId, Permission.JOB_READ, actor);
        Optional<String> waiting = job.state() == JobState.PENDING ? Optional.of(reasons.why(job)) : Optional.empty();
        return new JobDetails(job, history.attempts(jobId), waiting);
    }

    /**
     * @param filter as asked ({@link JobSearch#resolve} makes it the caller's)
     * @param folder only the jobs of this folder (an id or a path)
     */
    public Page<Job> list(JobFilter filter, Optional<String> folder, PageRequest page, Actor actor) {
        page.after().flatMap(JobListing::problemWithCursor).ifPresent(p -> {
            throw new InvalidInputException("cursor", p);
        });
        return listing.list(search.resolve(filter, folder, Permission.JOB_READ, actor, ""), page);
    }

    /** The job's log lines in the order logged, of every attempt or of one, after line {@code afterId} when set. */
    public Page<JobLogEntry> logs(String jobId, Optional<Integer> attempt, Optional<Long> afterId, PageRequest page, Actor actor) {
        page.after().flatMap(JobHistory::problemWithLogCursor).ifPresent(p -> {
            throw new InvalidInputException("cursor", p);
        });
        find(jobId, Permission.JOB_READ, actor);
        return history.logs(jobId, attempt, afterId, page);
    }

    /**
     * The job, when {@code actor} may do what needs {@code needed} in its folder.
     *
     * @throws NotFoundException  for an unknown job, or one in a folder where the caller cannot read jobs
     * @throws ForbiddenException when it reads the job but lacks {@code needed} there
     */
    public Job find(String jobId, Permission needed, Actor actor) {
        Job job = store.find(jobId).orElseThrow(() -> notFound(jobId));
        folders.require(actor, job.folderId(), Permission.JOB_READ, needed, () -> notFound(jobId));
        return job;
    }

    static NotFoundException notFound(String jobId) {
        return new NotFoundException("No job with id \"" + jobId + "\".");
    }
}
