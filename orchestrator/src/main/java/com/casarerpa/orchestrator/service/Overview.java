package com.casarerpa.orchestrator.service;

import com.casarerpa.orchestrator.domain.Actor;
import com.casarerpa.orchestrator.domain.Folder;
import com.casarerpa.orchestrator.domain.FolderTree;
import com.casarerpa.orchestrator.domain.HeldJob;
import com.casarerpa.orchestrator.domain.JobState;
import com.casarerpa.orchestrator.domain.Permission;
import com.casarerpa.orchestrator.domain.Robot;
import com.casarerpa.orchestrator.store.OverviewQueries;
import com.casarerpa.protocol.rest.OverviewBodies;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The dashboard's overview ({@code GET /api/v1/overview}) and the instances list
 * ({@code GET /api/v1/instances}). Every figure is of what the caller may read: jobs of folders
 * where it holds {@code job.read}, robots it may see ({@code robot.read}, {@link RobotFolders}),
 * schedules of folders where it holds {@code schedule.read}; a {@code folder} narrows all three to
 * that folder (as the listings do: not its subfolders; robots: those serving it). Instances are
 * an installation's facts: the alive ones are shown to callers holding {@code orchestrator.read}
 * (at the root), none to others.
 */
public final class Overview {
    private static final int ERROR_CHARS = 200;

    private final OverviewQueries queries;
    private final FolderAccess folders;
    private final Robots robots;
    private final RobotFolders robotFolders;
    private final RobotActivity activity;
    private final InstanceList instances;

    public Overview(OverviewQueries queries, FolderAccess folders, Robots robots, RobotFolders robotFolders, RobotActivity activity,
            InstanceList instances) {
        this.queries = queries;
        this.folders = folders;
        this.robots = robots;
        this.robotFolders = robotFolders;
        this.activity = activity;
        this.instances = instances;
    }

    /**
     * @param folder a folder id or path narrowing every figure to it
     * @throws InvalidInputException ({@code folder}) for a folder that does not exist for the caller
     */
    public OverviewBodies.Overview read(Optional<String> folder, Actor actor) {
        Optional<Folder> only = folder.map(f -> folders.resolve(actor, f, "folder"));
        OverviewQueries.Figures f = queries.read(folders.listed(actor, Permission.JOB_READ, folder),
                folders.listed(actor, Permission.SCHEDULE_READ, folder));
        List<OverviewBodies.Instance> alive = actor.may(Permission.ORCHESTRATOR_READ, Folder.ROOT_ID)
                ? instances.list().stream().filter(i -> i.status().equals("alive")).toList() : List.of();
        return new OverviewBodies.Overview(f.now(), robotCounts(only, actor), queue(f), minutes(f), latency(f.latency()),
                f.failures().stream().map(Overview::failure).toList(), f.nextFires().stream().map(Overview::nextFire).toList(), alive);
    }

    /**
     * Each robot the caller sees, once: offline; else in maintenance; else busy when it holds a
     * job or says it is busy; else online (idle).
     */
    private OverviewBodies.RobotCounts robotCounts(Optional<Folder> only, Actor actor) {
        FolderTree tree = robotFolders.tree();
        Map<String, List<HeldJob>> held = activity.heldJobs();
        int online = 0;
        int busy = 0;
        int offline = 0;
        int maintenance = 0;
        for (Robot r : robotFolders.visible(robots.list(), actor, tree)) {
            if (only.isPresent() && !tree.serves(r.folders(), only.get().id())) {
                continue;
            }
            if (r.status() == Robot.Status.OFFLINE) {
                offline++;
            } else if (r.maintenance()) {
                maintenance++;
            } else if (r.status() == Robot.Status.BUSY || held.containsKey(r.id())) {
                busy++;
            } else {
                online++;
            }
        }
        return new OverviewBodies.RobotCounts(online, busy, offline, maintenance, online + busy + offline + maintenance);
    }

    private static OverviewBodies.Queue queue(OverviewQueries.Figures f) {
        Optional<Instant> oldest = f.queue().oldestCreatedAt();
        return new OverviewBodies.Queue(f.queue().pending(), oldest.orElse(null),
                oldest.map(o -> Math.max(0, Duration.between(o, f.now()).toSeconds())).orElse(null));
    }

    /** One entry per minute of the last hour, oldest first, zeros included. */
    private static List<OverviewBodies.Minute> minutes(OverviewQueries.Figures f) {
        Instant last = f.now().truncatedTo(ChronoUnit.MINUTES);
        Map<Instant, Map<JobState, Long>> counts = new java.util.HashMap<>();
        f.minutes().forEach(m -> counts.computeIfAbsent(m.minute(), k -> new EnumMap<>(JobState.class)).merge(m.state(), m.count(), Long::sum));
        List<OverviewBodies.Minute> out = new ArrayList<>();
        for (int i = OverviewQueries.MINUTES - 1; i >= 0; i--) {
            Instant minute = last.minus(Duration.ofMinutes(i));
            Map<JobState, Long> c = counts.getOrDefault(minute, Map.of());
            out.add(new OverviewBodies.Minute(minute, c.getOrDefault(JobState.SUCCEEDED, 0L), c.getOrDefault(JobState.FAILED, 0L),
                    c.getOrDefault(JobState.CANCELLED, 0L), c.getOrDefault(JobState.TIMED_OUT, 0L)));
        }
        return out;
    }

    private static OverviewBodies.Latency latency(OverviewQueries.Latency l) {
        return new OverviewBodies.Latency(rounded(l.p50()), rounded(l.p95()), rounded(l.p99()), l.count());
    }

    private static Double rounded(Optional<Double> ms) {
        return ms.map(v -> Math.round(v * 10) / 10.0).orElse(null);
    }

    private static OverviewBodies.Failure failure(OverviewQueries.Failure f) {
        return new OverviewBodies.Failure(f.jobId(), f.workflowId(), f.workflowName(), f.state().wireName(), errorSummary(f),
                f.finishedAt());
    }

    /** {@code Type: first line of the message}, at most {@value #ERROR_CHARS} characters; null when the job has no error. */
    static String errorSummary(OverviewQueries.Failure f) {
        String message = f.error().map(m -> m.strip().lines().findFirst().orElse("")).orElse("");
        String text = f.errorType().map(t -> message.isEmpty() ? t : t + ": " + message).orElse(message);
        if (text.isEmpty()) {
            return null;
        }
        return text.length() <= ERROR_CHARS ? text : text.substring(0, ERROR_CHARS - 1) + "…";
    }

    private static OverviewBodies.NextFire nextFire(OverviewQueries.NextFire n) {
        return new OverviewBodies.NextFire(n.scheduleId(), n.name(), n.workflowId(), n.workflowName(),
                TriggerViews.local(n.at(), ZoneId.of(n.timezone())), n.timezone());
    }
}
