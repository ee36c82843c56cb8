package com.casarerpa.orchestrator.store;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import com.casarerpa.orchestrator.domain.JobState;
import com.casarerpa.orchestrator.events.ChangeEvents;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * The fast path of the two reports every job gets, {@code job_started} and {@code job_completed}:
 * one guarded statement each (the job row and its attempt row together; on PostgreSQL one
 * statement through a CTE), and the reports of all connections that arrive together committed in
 * one transaction ({@link GroupCommit}: the answer completes after the commit; a group that fails
 * is written again report by report, so one bad report fails alone; {@link #close} drains).
 *
 * <p>A report applies only while its lease is live and held by the robot that sends it; when its
 * guard matches no row, it changes nothing and its {@link Outcome} carries the lease as it stood
 * then, for the caller to say why (a repeat, a conflict or a stale lease).
 */
public final class GroupedReports implements AutoCloseable {
    /** At most this many reports in one transaction. */
    static final int MAX_GROUP = 256;

    /** What the robot reports about the attempt its lease token names. */
    public enum Kind { STARTED, COMPLETED }

    /**
     * One report; {@code resultJson} only for {@link Kind#COMPLETED}. {@code fleetKey}: the robot
     * speaks through a fleet key, which acts as the robot only while no key is bound to it; the
     * statement checks that too, so a bound key created since the robot registered stops the
     * report in the same statement, without a read of its own.
     */
    public record Report(Kind kind, String jobId, String token, String robotId, String resultJson, boolean fleetKey) {
        /** A report of a robot that speaks through its own key, or an admin's. */
        public Report(Kind kind, String jobId, String token, String robotId, String resultJson) {
            this(kind, jobId, token, robotId, resultJson, false);
        }
    }

    /**
     * What became of a report. When it did not apply: its lease as it stood right after, in the
     * same transaction (empty when the token never leased the job), and whether the job exists,
     * so the answer (a repeat, a conflict, a stale or foreign lease) is the one a report handled
     * alone at that moment would get.
     */
    public record Outcome(boolean applied, Optional<RobotLeases.LeaseState> lease, boolean jobExists) {
        static final Outcome APPLIED = new Outcome(true, Optional.empty(), true);
    }

    private final Dialect dialect;
    private final ChangeEvents events;
    private final GroupCommit<Report, Outcome> groups;

    public GroupedReports(Jdbi jdbi, Dialect dialect) {
        this(jdbi, dialect, ChangeEvents.none());
    }

    /** @param events where each report that moved its job is published, after its group commits */
    public GroupedReports(Jdbi jdbi, Dialect dialect, ChangeEvents events) {
        this.dialect = dialect;
        this.events = events;
        this.groups = new GroupCommit<>(jdbi, "job reports", MAX_GROUP, this::write);
    }

    /**
     * Queues the report for the next group; the answer completes once that group committed (or
     * failed: then with what writing the report alone threw, e.g.
     * {@link DatabaseUnavailableException}, and nothing of it changed). Reports complete in the
     * order they were queued, each group after the previous one committed.
     */
    public CompletableFuture<Outcome> submit(Report report) {
        return groups.submit(report);
    }

    /** Refuses new reports and waits until every report accepted before is committed ({@link GroupCommit#close}). */
    @Override
    public void close() {
        groups.close();
    }

    /** Groups written so far (a group that failed and was written report by report counts once). */
    long groups() {
        return groups.groups();
    }

    /** Reports waiting for the next group. */
    int queued() {
        return groups.queued();
    }

    /** For tests: no group starts until the returned handle is closed (reports queue up meanwhile). */
    AutoCloseable holdWrites() {
        return groups.holdWrites();
    }

    /**
     * Writes the reports in one transaction with the effect of writing them one by one in queue
     * order, in few statements: the group is cut into layers where each job appears at most once
     * (a job's second report goes to the next layer, and so on), and each layer is one batch per
     * kind. Reports of different jobs do not touch each other's rows, so their order inside a
     * layer does not matter; for each report that did not apply, its lease is read at the end of
     * its layer, which no other report of the layer changed.
     */
    private List<Outcome> write(Handle h, List<Report> group) {
        Outcome[] outcomes = new Outcome[group.size()];
        List<List<Integer>> layers = new ArrayList<>();
        Map<String, Integer> nextLayer = new HashMap<>();
        for (int i = 0; i < group.size(); i++) {
            int layer = nextLayer.merge(group.get(i).jobId(), 1, Integer::sum) - 1;
            if (layer == layers.size()) {
                layers.add(new ArrayList<>());
            }
            layers.get(layer).add(i);
        }
        for (List<Integer> layer : layers) {
            List<Integer> refused = new ArrayList<>();
            for (Kind kind : Kind.values()) {
                List<Integer> of = layer.stream().filter(i -> group.get(i).kind() == kind).toList();
                if (of.isEmpty()) {
                    continue;
                }
                List<Report> reports = of.stream().map(i -> group.get(i)).toList();
                boolean[] done = ReportBatches.apply(h, dialect, kind, reports);
                List<String> moved = new ArrayList<>();
                for (int k = 0; k < of.size(); k++) {
                    if (done[k]) {
                        outcomes[of.get(k)] = Outcome.APPLIED;
                        moved.add(reports.get(k).jobId());
                    } else {
                        refused.add(of.get(k));
                    }
                }
                published(h, kind, moved);
            }
            refused.forEach(i -> outcomes[i] = refused(h, group.get(i)));
        }
        return List.of(outcomes);
    }

    /**
     * Publishes the moves of the applied reports: a start moved an assigned job; a completion
     * moved a running job when it had started ({@code started_at}, which it keeps), else an
     * assigned one, read in one statement for the layer.
     */
    private void published(Handle h, Kind kind, List<String> jobIds) {
        if (jobIds.isEmpty()) {
            return;
        }
        if (kind == Kind.STARTED) {
            JobTransitions.moved(h, events, JobTransitions.START, JobState.ASSIGNED, jobIds);
            return;
        }
        Map<Boolean, List<String>> byStarted = new HashMap<>(Map.of(true, new ArrayList<>(), false, new ArrayList<>()));
        Map<String, String> folders = new HashMap<>();
        h.createQuery("SELECT id, started_at, folder_id FROM jobs WHERE id IN (<ids>)").bindList("ids", jobIds)
                .map((rs, ctx) -> {
                    folders.put(rs.getString(1), rs.getString(3));
                    return Map.entry(rs.getString(1), rs.getObject(2) != null);
                })
                .forEach(e -> byStarted.get(e.getValue()).add(e.getKey()));
        byStarted.forEach((started, ids) -> JobTransitions.moved(h, events, JobTransitions.COMPLETE,
                JobTransitions.leasedState(started), ids, folders));
    }

    private static Outcome refused(Handle h, Report r) {
        Optional<RobotLeases.LeaseState> lease = RobotLeases.read(h, Map.of(r.jobId(), r.token())).stream().findFirst();
        boolean exists = lease.isPresent()
                || h.createQuery("SELECT COUNT(*) FROM jobs WHERE id = :id").bind("id", r.jobId()).mapTo(Integer.class).one() == 1;
        return new Outcome(false, lease, exists);
    }
}
