package com.casarerpa.orchestrator.service;

import com.casarerpa.orchestrator.domain.Job;
import com.casarerpa.orchestrator.domain.JobLogEntry;
import com.casarerpa.orchestrator.domain.JobState;
import com.casarerpa.orchestrator.domain.JobFilter;
import com.casarerpa.orchestrator.store.JobHistory;
import com.casarerpa.orchestrator.store.JobListing;
import com.casarerpa.orchestrator.store.JobStore;
import com.casarerpa.orchestrator.paging.Page;
import com.casarerpa.orchestrator.paging.PageRequest;
import java.util.Optional;

/**
 * Reading jobs: one with its attempts and waiting reason, a filtered listing newest first, and a
 * job's logs. Failures: {@link NotFoundException} for an unknown job, {@link InvalidInputException}
 * ({@code cursor}) for a cursor of another listing.
 */
public final class JobQueries {
    private final JobStore store;
    private final JobListing listing;
    private final JobHistory history;
    private final PendingReasons reasons;

    public JobQueries(JobStore store, JobListing listing, JobHistory history, PendingReasons reasons) {
        this.store = store;
        this.listing = listing;
        this.history = history;
        this.reasons = reasons;
    }

    public JobDetails get(String jobId) {
        Job job = find(jobId);
        Optional<String> waiting = job.state() == JobState.PENDING ? Optional.of(reasons.why(job)) : Optional.empty();
        return new JobDetails(job, history.attempts(jobId), waiting);
    }

    public Page<Job> list(JobFilter filter, PageRequest page) {
        page.after().flatMap(JobListing::problemWithCursor).ifPresent(p -> {
            throw new InvalidInputException("cursor", p);
        });
        return listing.list(filter, page);
    }

    /** The job's log lines in the order logged, of every attempt or of one. */
    public Page<JobLogEntry> logs(String jobId, Optional<Integer> attempt, PageRequest page) {
        page.after().flatMap(JobHistory::problemWithLogCursor).ifPresent(p -> {
            throw new InvalidInputException("cursor", p);
        });
        find(jobId);
        return history.logs(jobId, attempt, page);
    }

    private Job find(String jobId) {
        return store.find(jobId).orElseThrow(() -> notFound(jobId));
    }

    static NotFoundException notFound(String jobId) {
        return new NotFoundException("No job with id \"" + jobId + "\".");
    }
}
