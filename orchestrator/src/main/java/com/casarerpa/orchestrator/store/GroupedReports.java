package com.casarerpa.orchestrator.store;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;

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
 * one bad report fails alone and the others are neither lost nor failed.
 */
public final class GroupedReports {
    /** At most this many reports in one transaction. */
    static final int MAX_GROUP = 256;

    /** What the robot reports about the attempt its lease token names. */
    public enum Kind { STARTED, COMPLETED }

    /** One report; {@code resultJson} only for {@link Kind#COMPLETED}. */
    public record Report(Kind kind, String jobId, String token, String robotId, String resultJson) {}

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
    private final ConcurrentLinkedQueue<Pending> queue = new ConcurrentLinkedQueue<>();
    /** True while a writer thread runs; at most one does. */
    private final AtomicBoolean writer = new AtomicBoolean();
    private volatile boolean held;
    private final java.util.concurrent.atomic.AtomicLong groups = new java.util.concurrent.atomic.AtomicLong();

    public GroupedReports(Jdbi jdbi, Dialect dialect) {
        this.jdbi = jdbi;
        this.dialect = dialect;
    }

    /**
     * Queues the report for the next group; the answer completes once that group committed (or
     * failed: then with what writing the report alone threw, e.g.
     * {@link DatabaseUnavailableException}, and nothing of it changed). Reports complete in the
     * order they were queued, each group after the previous one committed.
     */
    public CompletableFuture<Outcome> submit(Report report) {
        Pending mine = new Pending(report, new CompletableFuture<>());
        queue.add(mine);
        if (!held && writer.compareAndSet(false, true)) {
            Thread.ofVirtual().name("casare-report-writer").start(this::write);
        }
        return mine.done();
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
            if (!queue.isEmpty() && writer.compareAndSet(false, true)) {
                Thread.ofVirtual().name("casare-report-writer").start(this::write);
            }
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
        } catch (Error e) {
            group.forEach(p -> p.done().completeExceptionally(e));
            throw e;
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
                boolean[] done = dialect == Dialect.POSTGRESQL ? postgres(h, kind, reports) : h2(h, kind, reports);
                for (int k = 0; k < of.size(); k++) {
                    if (done[k]) {
                        outcomes[of.get(k)] = Outcome.APPLIED;
                    } else {
                        refused.add(of.get(k));
                    }
                }
            }
            refused.forEach(i -> outcomes[i] = refused(h, group.get(i).report()));
        }
        return outcomes;
    }

    private static Outcome refused(Handle h, Report r) {
        Optional<RobotLeases.LeaseState> lease = RobotLeases.read(h, Map.of(r.jobId(), r.token())).stream().findFirst();
        boolean exists = lease.isPresent()
                || h.createQuery("SELECT COUNT(*) FROM jobs WHERE id = :id").bind("id", r.jobId()).mapTo(Integer.class).one() == 1;
        return new Outcome(false, lease, exists);
    }

    private static final String STARTED_JOB = "UPDATE jobs SET state = 'running', started_at = COALESCE(started_at, CURRENT_TIMESTAMP),"
            + " updated_at = CURRENT_TIMESTAMP WHERE id = :id AND lease_token = :token AND robot_id = :robot AND state = 'assigned'";
    private static final String STARTED_ATTEMPT = "UPDATE job_attempts SET started_at = CURRENT_TIMESTAMP";
    private static final String COMPLETED_JOB = "UPDATE jobs SET state = 'succeeded', result = :result, progress = 100,"
            + " lease_expires_at = NULL, finished_at = CURRENT_TIMESTAMP, updated_at = CURRENT_TIMESTAMP"
            + " WHERE id = :id AND lease_token = :token AND robot_id = :robot AND state IN ('assigned', 'running')";
    private static final String COMPLETED_ATTEMPT = "UPDATE job_attempts SET ended_at = CURRENT_TIMESTAMP, outcome = 'succeeded',"
            + " error_type = NULL, error_message = NULL";

    /**
     * One statement per report, all of a kind sent as one batch: the job's guarded update in a
     * CTE, the attempt's update only when the job's took effect. The count is the attempt's (the
     * attempt row of a live lease always exists: the claim inserts it in the same transaction).
     */
    private static boolean[] postgres(Handle h, Kind kind, List<Report> reports) {
        String job = kind == Kind.STARTED ? STARTED_JOB : COMPLETED_JOB;
        String attempt = kind == Kind.STARTED ? STARTED_ATTEMPT : COMPLETED_ATTEMPT;
        PreparedBatch batch = h.prepareBatch("WITH j AS (" + job + " RETURNING id) " + attempt
                + " WHERE job_id = (SELECT id FROM j) AND lease_token = :token");
        reports.forEach(r -> bind(batch, r).add());
        return changed(batch.execute());
    }

    /** H2 has no data-changing CTE: the jobs as one batch, then the attempts of those that changed. */
    private static boolean[] h2(Handle h, Kind kind, List<Report> reports) {
        PreparedBatch jobs = h.prepareBatch(kind == Kind.STARTED ? STARTED_JOB : COMPLETED_JOB);
        reports.forEach(r -> bind(jobs, r).add());
        boolean[] applied = changed(jobs.execute());
        PreparedBatch attempts = h.prepareBatch((kind == Kind.STARTED ? STARTED_ATTEMPT : COMPLETED_ATTEMPT)
                + " WHERE job_id = :id AND lease_token = :token");
        boolean any = false;
        for (int i = 0; i < reports.size(); i++) {
            if (applied[i]) {
                attempts.bind("id", reports.get(i).jobId()).bind("token", reports.get(i).token()).add();
                any = true;
            }
        }
        if (any) {
            attempts.execute();
        }
        return applied;
    }

    private static PreparedBatch bind(PreparedBatch batch, Report r) {
        batch.bind("id", r.jobId()).bind("token", r.token()).bind("robot", r.robotId());
        if (r.kind() == Kind.COMPLETED) {
            batch.bind("result", r.resultJson());
        }
        return batch;
    }

    private static boolean[] changed(int[] counts) {
        boolean[] out = new boolean[counts.length];
        for (int i = 0; i < counts.length; i++) {
            out[i] = counts[i] > 0;
        }
        return out;
    }
}
