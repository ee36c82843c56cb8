package com.casarerpa.orchestrator.service;

import com.casarerpa.orchestrator.domain.Actor;
import com.casarerpa.orchestrator.domain.AuditTrail;
import com.casarerpa.orchestrator.domain.JobBatch;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The run of one batch: each job through the one-job command, a chunk of {@value #CHUNK} at a
 * time, progress written after each chunk. It stops early when the batch no longer runs
 * (cancelled, or given up as stopped); anything it did not expect ends the batch failed. Either
 * way its end is one audit event ({@code job.bulk_finish}) with the counts.
 */
final class BatchRun {
    private static final Logger log = LoggerFactory.getLogger(BatchRun.class);
    static final int CHUNK = 500;

    private final com.casarerpa.orchestrator.store.JobBatchStore store;
    private final JobCommands commands;
    private final AuditTrail audit;

    BatchRun(com.casarerpa.orchestrator.store.JobBatchStore store, JobCommands commands, AuditTrail audit) {
        this.store = store;
        this.commands = commands;
        this.audit = audit;
    }

    void run(JobBatch batch, List<String> ids, Actor actor) {
        int done = 0;
        int skipped = 0;
        int failed = 0;
        JobBatch.State end = JobBatch.State.SUCCEEDED;
        Optional<String> error = Optional.empty();
        try {
            for (int from = 0; from < ids.size(); from += CHUNK) {
                for (String id : ids.subList(from, Math.min(ids.size(), from + CHUNK))) {
                    try {
                        act(batch.action(), id, actor);
                        done++;
                    } catch (NotFoundException | ForbiddenException | ConflictException e) {
                        skipped++;
                    } catch (RuntimeException e) {
                        if (failed++ == 0) {
                            log.warn("job batch {}: {} of job {} failed: {}", batch.id(), batch.action().wireName(), id, e.toString());
                        }
                    }
                }
                if (!store.progress(batch.id(), done, skipped, failed)) {
                    end = store.find(batch.id()).map(JobBatch::state).orElse(JobBatch.State.CANCELLED);
                    break;
                }
            }
            if (end == JobBatch.State.SUCCEEDED && !store.finish(batch.id(), end, Optional.empty())) {
                end = store.find(batch.id()).map(JobBatch::state).orElse(JobBatch.State.CANCELLED);
            }
        } catch (RuntimeException | Error e) {
            log.error("job batch {} stopped: {}", batch.id(), e.toString(), e);
            end = JobBatch.State.FAILED;
            error = Optional.of("stopped after " + (done + skipped + failed) + " of " + ids.size() + " jobs: " + e.getMessage());
            try {
                store.finish(batch.id(), end, error);
            } catch (RuntimeException again) {
                log.warn("job batch {}: its end could not be written ({}); reads will mark it failed after its lease",
                        batch.id(), again.toString());
                return;
            }
        }
        finished(batch, actor, end, done, skipped, failed);
    }

    private void act(JobBatch.Action action, String jobId, Actor actor) {
        switch (action) {
            case RETRY -> commands.retry(jobId, actor);
            case CANCEL -> commands.cancel(jobId, actor);
        }
    }

    private void finished(JobBatch batch, Actor actor, JobBatch.State end, int done, int skipped, int failed) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("action", batch.action().wireName());
        details.put("state", end.wireName());
        details.put("total", batch.total());
        details.put("done", done);
        details.put("skipped", skipped);
        details.put("failed", failed);
        try {
            audit.atomically(() -> audit.record(actor, "job.bulk_finish", "job_batch", batch.id(), details));
        } catch (RuntimeException e) {
            log.warn("job batch {}: its end was not audited: {}", batch.id(), e.toString());
        }
    }
}
