package com.casarerpa.orchestrator.store;

import com.casarerpa.orchestrator.domain.JobState;
import com.casarerpa.orchestrator.domain.JobTransition;
import com.casarerpa.orchestrator.events.ChangeEvents;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * An operator's retry of finished jobs: a failed, cancelled or timed-out job goes back to
 * pending, runnable at once, with at least one more attempt allowed ({@code max_retries} is raised
 * to the attempts already made when they are spent). Its attempt history, last error and
 * creation time stay; its result, progress and lease are cleared. A succeeded job is never
 * retried. Dead letters are the failed jobs: they can be retried in bulk.
 */
public final class JobRetries {
    private final Jdbi jdbi;
    private final ChangeEvents events;

    /** Retries that publish no change events (commands, tests). */
    public JobRetries(Jdbi jdbi) {
        this(jdbi, ChangeEvents.none());
    }

    public JobRetries(Jdbi jdbi, ChangeEvents events) {
        this.jdbi = jdbi;
        this.events = events;
    }

    /** What a retry did: {@code before} is the job's state when asked (empty when there is no such job). */
    public record Outcome(boolean retried, Optional<JobState> before) {}

    public Outcome retry(String jobId) {
        return Jdbi3.call("job retry", () -> jdbi.inTransaction(h -> {
            Optional<JobState> state = h.createQuery("SELECT state FROM jobs WHERE id = :id FOR UPDATE")
                    .bind("id", jobId).mapTo(String.class).findOne().flatMap(JobState::fromWire);
            boolean retried = state.filter(JobTransitions.RETRY::appliesTo).isPresent()
                    && requeue(h, List.of(jobId), JobTransitions.RETRY) == 1;
            if (retried) {
                JobTransitions.moved(h, events, JobTransitions.RETRY, state.get(), jobId);
            }
            return new Outcome(retried, state);
        }));
    }

    /** Retries those of {@code ids} that are failed; returns the ids retried. */
    public List<String> retryFailed(Collection<String> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        return Jdbi3.call("job retry", () -> jdbi.inTransaction(h -> {
            List<String> failed = h.createQuery("SELECT id FROM jobs WHERE id IN (<ids>) AND "
                            + JobTransitions.stateIn("", JobTransitions.RETRY_DEAD_LETTERS.from()) + " FOR UPDATE")
                    .bindList("ids", List.copyOf(ids)).mapTo(String.class).list();
            if (!failed.isEmpty()) {
                requeue(h, failed, JobTransitions.RETRY_DEAD_LETTERS);
                JobTransitions.moved(h, events, JobTransitions.RETRY_DEAD_LETTERS, JobState.FAILED, failed);
            }
            return failed;
        }));
    }

    /**
     * The oldest {@code limit} failed jobs, of one workflow or all, in {@code folders} (empty: in
     * any): the dead letters a bulk retry takes.
     */
    public List<String> deadLetters(Optional<String> workflowId, Optional<Set<String>> folders, int limit) {
        if (folders.isPresent() && folders.get().isEmpty()) {
            return List.of();
        }
        return Jdbi3.call("dead letters", () -> jdbi.withHandle(h -> {
            var q = h.createQuery("SELECT id FROM jobs WHERE " + JobTransitions.stateIn("", JobTransitions.RETRY_DEAD_LETTERS.from())
                    + (workflowId.isPresent() ? " AND workflow_id = :workflow" : "")
                    + (folders.isPresent() ? " AND folder_id IN (<folders>)" : "") + " ORDER BY created_at, id LIMIT :limit");
            workflowId.ifPresent(w -> q.bind("workflow", w));
            folders.ifPresent(f -> q.bindList("folders", f.stream().sorted().toList()));
            return q.bind("limit", limit).mapTo(String.class).list();
        }));
    }

    private static int requeue(Handle h, List<String> ids, JobTransition retry) {
        return h.createUpdate(JobTransitions.retry(retry)).bindList("ids", ids).execute();
    }
}
