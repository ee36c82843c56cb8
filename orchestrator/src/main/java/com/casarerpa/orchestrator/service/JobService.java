package com.casarerpa.orchestrator.service;

import com.casarerpa.orchestrator.domain.AuditTrail;
import com.casarerpa.orchestrator.domain.JobIds;
import com.casarerpa.orchestrator.store.JobHistory;
import com.casarerpa.orchestrator.store.JobListing;
import com.casarerpa.orchestrator.store.JobReports;
import com.casarerpa.orchestrator.store.JobRetries;
import com.casarerpa.orchestrator.store.JobStore;
import com.casarerpa.orchestrator.store.WorkflowStore;
import java.security.SecureRandom;
import java.time.Clock;
import org.jdbi.v3.core.Jdbi;

/**
 * The job use cases shared by REST, the CLI and the scheduler: submitting, reading, and the
 * operator's commands (cancel, retry), assembled the same way wherever they are used, and how
 * jobs are shown ({@link JobViews}).
 */
public record JobService(JobSubmissions submissions, JobQueries queries, JobCommands commands, JobViews views) {

    /**
     * @param store   the job store (also behind the workflows' {@link JobReferences})
     * @param reports the queue's reports (their cancel is the operator's too)
     * @param reasons why pending jobs wait (see {@link PendingReasons})
     * @param signals told after a commit made jobs claimable
     */
    public static JobService on(Jdbi jdbi, JobStore store, JobReports reports, WorkflowService workflows, AuditTrail audit,
            Clock clock, int defaultMaxRetries, PendingReasons reasons, JobSignals signals) {
        FolderAccess folders = FolderAccess.on(jdbi);
        JobQueries queries = new JobQueries(store, folders, new JobListing(jdbi), new JobHistory(jdbi), reasons);
        return new JobService(
                new JobSubmissions(workflows, folders, store, clock, new JobIds(clock, new SecureRandom()), defaultMaxRetries,
                        signals),
                queries,
                new JobCommands(store, queries, reports, new JobRetries(jdbi, reports.events()), audit, signals),
                new JobViews(new SensitiveDeclarations(new WorkflowStore(jdbi)), folders));
    }
}
