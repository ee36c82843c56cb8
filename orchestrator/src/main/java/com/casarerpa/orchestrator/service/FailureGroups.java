package com.casarerpa.orchestrator.service;

import com.casarerpa.orchestrator.domain.Actor;
import com.casarerpa.orchestrator.domain.ErrorSignature;
import com.casarerpa.orchestrator.domain.JobFilter;
import com.casarerpa.orchestrator.domain.Permission;
import com.casarerpa.orchestrator.store.FailureGroupQueries;
import com.casarerpa.orchestrator.store.FailureSignatures;
import com.casarerpa.protocol.rest.JobInsightBodies;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Failures grouped by {@link ErrorSignature}: the failed and timed-out jobs that ended in a
 * window, in the folders where the caller reads jobs, largest group first. Failures from before
 * the signatures existed are signed at the first read ({@link FailureSignatures#signUnsigned}).
 */
public final class FailureGroups {
    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 500;

    private final FailureGroupQueries queries;
    private final FailureSignatures signatures;
    private final FolderAccess folders;

    public FailureGroups(FailureGroupQueries queries, FailureSignatures signatures, FolderAccess folders) {
        this.queries = queries;
        this.signatures = signatures;
        this.folders = folders;
    }

    /** What to group, checked and resolved for the caller: the jobs of its filter that ended in {@code [since, until)}. */
    public record Query(JobFilter filter, Optional<Instant> since, Optional<Instant> until) {}

    /**
     * @param since  failures that ended at or after (empty: all)
     * @param until  failures that ended before (empty: up to now)
     * @param folder one folder (an id or a path)
     * @throws InvalidInputException ({@code until}, {@code folder}) for an empty window or an unknown folder
     */
    public Query query(Optional<Instant> since, Optional<Instant> until, Optional<String> workflowId, Optional<String> folder,
            Actor actor) {
        if (since.isPresent() && until.isPresent() && !until.get().isAfter(since.get())) {
            throw new InvalidInputException("until", "must be after since");
        }
        JobFilter filter = new JobFilter(Set.of(), workflowId, Optional.empty(), Optional.empty(), Optional.empty())
                .within(folders.listed(actor, Permission.JOB_READ, folder));
        return new Query(filter, since, until);
    }

    /** The {@code limit} largest groups. */
    public List<JobInsightBodies.FailureGroup> list(Query query, int limit) {
        signatures.signUnsigned();
        return queries.groups(query.filter(), query.since(), query.until(), limit).stream().map(FailureGroups::view).toList();
    }

    /** Every group, largest first, handed to {@code each} a chunk at a time ({@link FailureGroupQueries#eachGroup}). */
    public void each(Query query, Consumer<List<JobInsightBodies.FailureGroup>> each) {
        signatures.signUnsigned();
        queries.eachGroup(query.filter(), query.since(), query.until(),
                groups -> each.accept(groups.stream().map(FailureGroups::view).toList()));
    }

    private static JobInsightBodies.FailureGroup view(FailureGroupQueries.Group g) {
        return new JobInsightBodies.FailureGroup(g.signature(), g.sampleType().orElse("error"),
                ErrorSignature.normalise(g.sampleMessage().orElse("")), g.count(), g.firstAt(), g.lastAt(), g.sampleJobId(),
                g.workflows().entrySet().stream().map(w -> new JobInsightBodies.WorkflowRef(w.getKey(), w.getValue())).toList());
    }
}
