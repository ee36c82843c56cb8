package com.casarerpa.orchestrator.store;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import com.casarerpa.orchestrator.domain.JobState;
import com.casarerpa.orchestrator.events.ChangeEvents;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fast path of the two reports every job gets, {@code job_started} and {@code job_completed}:
 * one guarded statement each (the job row and its attempt row together; on PostgreSQL one
 * statement through a CTE), and the reports of all connections that arrive together committed in
 * one transaction (group commit).
 *
 * <p>{@link #submit} answers with a future that completes when the report's group committed, so
 * an acknowledgement sent on it always follows the commit. One writer (a virtual thread,
 * started by the first report that finds none and ending when the queue is empty) writes every
 * report queued so far in one transaction and wakes their callers; no timer: while one group
 * commits, the next one gathers, so the groups grow with the load and a lone report waits for
 * nobody.
 *
 * <p>A report applies only while its lease is live and held by the robot that sends it; when its
 * guard matches no row, it changes nothing and its {@link Outcome} carries the lease as it stood
 * then, for the caller to say why (a repeat, a conflict or a stale lease). When the group's
 * transaction fails, every report of the group is written again in a transaction of its own, so
 * one bad report fails alone and the others are neither lost nor failed. A group that fails in
 * any other way (an {@link Error}) fails alone too: the writer logs it and goes on.
 *
 * <p>{@link #close} drains: reports already accepted are committed before it returns (the
 * instance closes its pool after it), and later ones are refused as the instance stopping.
 */
public final class GroupedReports implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(GroupedReports.class);
    /** How long {@link #close()} waits for the reports accepted before it to commit. */
    static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(15);

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

    private record Pending(Report report, CompletableFuture<Outcome> done) {}

    private final Jdbi jdbi;
    private final Dialect dialect;
    private final ChangeEvents events;
    private final ConcurrentLinkedQueue<Pending> queue = new ConcurrentLinkedQueue<>();
    /** True while a writer thread runs; at most one does. */
    private final AtomicBoolean writer = new AtomicBoolean();
    private volatile boolean held;
    /** Accepted and not answered yet: what {@link #close} waits for. */
    private final Set<CompletableFuture<Outcome>> unanswered = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;
    private final java.util.concurrent.atomic.AtomicLong groups = new java.util.concurrent.atomic.AtomicLong();

    public GroupedReports(Jdbi jdbi, Dialect dialect) {
        this(jdbi, dialect, ChangeEvents.none());
    }

    /** @param events where each report that moved its job is published, after its group commits */
    public GroupedReports(Jdbi jdbi, Dialect dialect, ChangeEvents events) {
        this.jdbi = jdbi;
        this.dialect = dialect;
        this.events = events;
    }

    /**
     * Queues the report for the next group; the answer completes once that group committed (or
     * failed: then with what writing the report alone threw, e.g.
     * {@link DatabaseUnavailableException}, and nothing of it changed). Reports complete in the
     * order they were queued, each group after the previous one committed.
     */
    public CompletableFuture<Outcome> submit(Report report) {
        Pending mine = new Pending(report, new CompletableFuture<>());
        // Counted before the closed check: close() sets the flag, then waits for what is counted.
        unanswered.add(mine.done());
        mine.done().whenComplete((o, e) -> unanswered.remove(mine.done()));
        if (closed) {
            mine.done().completeExceptionally(new DatabaseUnavailableException(DatabaseUnavailableException.Reason.OTHER,
                    "this instance is stopping; send the report again (to another instance)", null));
            return mine.done();
        }
        queue.add(mine);
        startWriter();
        return mine.done();
    }

    private void startWriter() {
        if (!held && !queue.isEmpty() && writer.compareAndSet(false, true)) {
            Thread.ofVirtual().name("casare-report-writer").start(this::write);
        }
    }

    /**
     * Refuses new reports and waits up to {@link #DRAIN_TIMEOUT} until every report accepted
     * before is committed (or failed), so the pool may close after it. Holds are lifted.
     */
    @Override
    public void close() {
        closed = true;
        held = false;
        startWriter();
        CompletableFuture<?>[] waiting = unanswered.toArray(CompletableFuture[]::new);
        try {
            CompletableFuture.allOf(waiting).get(DRAIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            // Each caller learns of its own failure; all that matters here is that none is left.
        } catch (TimeoutException e) {
            log.warn("{} robot report(s) not committed within {} s of stopping; their robots will report them again",
                    unanswered.size(), DRAIN_TIMEOUT.toSeconds());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The writer: groups until the queue is empty, then it ends (the next report starts another). */
    private void write() {
        while (true) {
            try {
                while (!queue.isEmpty()) {
                    writeGroup();
                }
            } finally {
                writer.set(false);
            }
            // A report queued after the last look but before the flag fell finds no writer: take it on.
            if (queue.isEmpty() || held || !writer.compareAndSet(false, true)) {
                return;
            }
        }
    }

    /** Groups written so far (a group that failed and was written report by report counts once). */
    long groups() {
        return groups.get();
    }

    /** Reports waiting for the next group. */
    int queued() {
        return queue.size();
    }

    /** For tests: no group starts until the returned handle is closed (reports queue up meanwhile). */
    AutoCloseable holdWrites() {
        held = true;
        return () -> {
            held = false;
            startWriter();
        };
    }

    private void writeGroup() {
        List<Pending> group = new ArrayList<>();
        for (Pending p = queue.poll(); p != null; p = group.size() < MAX_GROUP ? queue.poll() : null) {
            group.add(p);
        }
        if (group.isEmpty()) {
            return;
        }
        groups.incrementAndGet();
        try {
            writeGroup(group);
        } catch (Throwable t) {
            // Not a database refusal (those are handled per report): fail this group, keep writing.
            log.error("a group of {} robot report(s) failed: {}", group.size(), t.toString(), t);
            group.forEach(p -> p.done().completeExceptionally(t));
        }
    }

    private void writeGroup(List<Pending> group) {
        try {
            Outcome[] outcomes = Jdbi3.call("job reports", () -> jdbi.inTransaction(h -> write(h, group)));
            for (int i = 0; i < group.size(); i++) {
                group.get(i).done().complete(outcomes[i]);
            }
        } catch (RuntimeException e) {
            if (group.size() == 1 || e instanceof DatabaseUnavailableException) {
                group.forEach(p -> p.done().completeExceptionally(e));
                return;
            }
            // One of them failed the whole group: each on its own, so only that one fails.
            for (Pending p : group) {
                try {
                    p.done().complete(Jdbi3.call("job reports", () -> jdbi.inTransaction(h -> write(h, List.of(p))))[0]);
                } catch (RuntimeException alone) {
                    p.done().completeExceptionally(alone);
                }
            }
        }
    }

    /**
     * Writes the reports in one transaction with the effect of writing them one by one in queue
     * order, in few statements: the group is cut into layers where each job appears at most once
     * (a job's second report goes to the next layer, and so on), and each layer is one batch per
     * kind. Reports of different jobs do not touch each other's rows, so their order inside a
     * layer does not matter; for each report that did not apply, its lease is read at the end of
     * its layer, which no other report of the layer changed.
     */
    private Outcome[] write(Handle h, List<Pending> group) {
        Outcome[] outcomes = new Outcome[group.size()];
        List<List<Integer>> layers = new ArrayList<>();
        Map<String, Integer> nextLayer = new HashMap<>();
        for (int i = 0; i < group.size(); i++) {
            int layer = nextLayer.merge(group.get(i).report().jobId(), 1, Integer::sum) - 1;
            if (layer == layers.size()) {
                layers.add(new ArrayList<>());
            }
            layers.get(layer).add(i);
        }
        for (List<Integer> layer : layers) {
            List<Integer> refused = new ArrayList<>();
            for (Kind kind : Kind.values()) {
                List<Integer> of = layer.stream().filter(i -> group.get(i).report().kind() == kind).toList();
                if (of.isEmpty()) {
                    continue;
                }
                List<Report> reports = of.stream().map(i -> group.get(i).report()).toList();
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
            refused.forEach(i -> outcomes[i] = refused(h, group.get(i).report()));
        }
        return outcomes;
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
