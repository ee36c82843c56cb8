package com.casarerpa.orchestrator.service;

import com.casarerpa.orchestrator.domain.Actor;
import com.casarerpa.orchestrator.domain.FolderTree;
import com.casarerpa.orchestrator.domain.JobFilter;
import com.casarerpa.orchestrator.domain.Permission;
import com.casarerpa.orchestrator.store.StuckJobQueries;
import com.casarerpa.protocol.rest.JobInsightBodies;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Running jobs that have shown no sign of life (start, progress, lease extension, log line) for
 * {@code quiet_seconds}, quietest first, in the folders where the caller reads jobs. A robot that
 * stops heartbeating loses its jobs when their leases end (the reaper takes them back), so what
 * stays here is mostly a job whose robot is alive but whose run has hung; {@code robot_silent}
 * tells the other case apart while its lease lasts.
 */
public final class StuckJobs {
    public static final int DEFAULT_QUIET_SECONDS = 300;
    public static final int MAX_QUIET_SECONDS = 7 * 24 * 3600;
    public static final int DEFAULT_LIMIT = 100;

    private final StuckJobQueries queries;
    private final FolderAccess folders;

    public StuckJobs(StuckJobQueries queries, FolderAccess folders) {
        this.queries = queries;
        this.folders = folders;
    }

    /** @throws InvalidInputException ({@code quiet_seconds}, {@code folder}) out of bounds, or an unknown folder */
    public List<JobInsightBodies.StuckJob> list(int quietSeconds, Optional<String> folder, int limit, Actor actor) {
        if (quietSeconds < 1 || quietSeconds > MAX_QUIET_SECONDS) {
            throw new InvalidInputException("quiet_seconds", "must be from 1 to " + MAX_QUIET_SECONDS + ", got " + quietSeconds);
        }
        JobFilter filter = JobFilter.all().within(folders.listed(actor, Permission.JOB_READ, folder));
        FolderTree tree = folders.tree();
        return queries.quiet(filter, quietSeconds, limit).stream().map(r -> {
            Instant quietSince = r.now().minusSeconds(quietSeconds);
            boolean silent = r.robotLastHeartbeat().map(h -> !h.isAfter(quietSince)).orElse(true);
            return new JobInsightBodies.StuckJob(r.id(), r.workflowId(), r.workflowName(), r.robotId(),
                    FolderAccess.ref(tree, r.folderId()), r.startedAt(), r.progress().orElse(null), r.lastProgressAt(),
                    Duration.between(r.lastProgressAt(), r.now()).toSeconds(), r.robotLastHeartbeat().orElse(null),
                    r.robotStatus().orElse(null), silent);
        }).toList();
    }
}
