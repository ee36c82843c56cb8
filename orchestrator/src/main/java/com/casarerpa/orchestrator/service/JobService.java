package com.casarerpa.orchestrator.service;

import com.casarerpa.orchestrator.domain.AuditTrail;
import com.casarerpa.orchestrator.domain.JobIds;
import com.casarerpa.orchestrator.store.FailureGroupQueries;
import com.casarerpa.orchestrator.store.FailureSignatures;
import com.casarerpa.orchestrator.store.JobBatchStore;
import com.casarerpa.orchestrator.store.JobHistory;
import com.casarerpa.orchestrator.store.JobListing;
import com.casarerpa.orchestrator.store.JobReports;
import com.casarerpa.orchestrator.store.JobRetries;
import com.casarerpa.orchestrator.store.JobStore;
import com.casarerpa.orchestrator.store.StuckJobQueries;
import com.casarerpa.orchestrator.store.WorkflowStore;
import java.security.SecureRandom;
import java.time.Clock;
import org.jdbi.v3.core.Jdbi;

/**
 * The job use cases shared by REST, the CLI and the scheduler: submitting, reading, and the
 * operator's commands (cancel, retry), assembled the same way wherever they are used, and how
 * jobs are shown ({@link JobViews}); what the jobs dashboard reads and does besides: search
 * ({@link JobSearch}), CSV export, failure groups, stuck jobs and bulk actions ({@link JobBatches}).
 */
public record JobService(JobSubmissions submissions, JobQueries queries, JobCommands commands, JobViews views, JobSearch search,
        JobExport export, FailureGroups failures, StuckJobs stuck, JobBatches batches) {

    /**
     * @param store   the job store (also behind the workflows' {@link JobReferences})
     * @param reports the queue's reports (their cancel is the operator's too)
     * @param reasons why pending jobs wait (see {@link PendingReasons})
     * @param signals told after a commit made jobs claimable
     */
    public static JobService on(Jdbi jdbi, JobStore store, JobReports reports, WorkflowService workflows, AuditTrail audit,
            Clock clock, int defaultMaxRetries, PendingReasons reasons, JobSignals signals) {
        FolderAccess folders = FolderAccess.on(jdbi);
        JobListing listing = new JobListing(jdbi);
        FailureSignatures signatures = new FailureSignatures(jdbi);
        SensitiveDeclarations sensitive = new SensitiveDeclarations(new WorkflowStore(jdbi));
        JobSearch search = new JobSearch(folders, listing, signatures, sensitive);
        JobQueries queries = new JobQueries(store, folders, listing, new JobHistory(jdbi), reasons, search);
        JobCommands commands = new JobCommands(store, queries, reports, new JobRetries(jdbi, reports.events()), audit, signals);
        return new JobService(
                new JobSubmissions(workflows, folders, store, clock, new JobIds(clock, new SecureRandom()), defaultMaxRetries,
                        signals),
                queries,
                commands,
                new JobViews(sensitive, folders),
                search,
                new JobExport(listing, folders),
                new FailureGroups(new FailureGroupQueries(jdbi), signatures, folders),
                new StuckJobs(new StuckJobQueries(jdbi), folders),
                new JobBatches(new JobBatchStore(jdbi), listing, search, commands, audit,
                        task -> Thread.ofVirtual().name("casare-job-batch").start(task)));
    }
}
