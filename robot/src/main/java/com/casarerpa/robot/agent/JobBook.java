package com.casarerpa.robot.agent;

import com.casarerpa.engine.LogLevel;
import com.casarerpa.protocol.ws.Parts;
import com.casarerpa.protocol.ws.RobotMessage;
import com.casarerpa.protocol.ws.ServerMessage;
import com.casarerpa.robot.agent.HeldJob.Phase;
import com.casarerpa.robot.agent.HeldJob.Report;
import com.casarerpa.robot.agent.HeldJob.Stop;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The jobs this robot holds and everything the protocol says about them: taking {@code job_assign}
 * (or releasing it), stopping on {@code job_cancel} or a lost lease, streaming logs and progress,
 * and keeping each report until it is acked, sending it again on the next connection. One
 * monitor guards it all; the engine's threads and the WebSocket client's thread both enter it
 * briefly.
 */
final class JobBook {
    private static final Logger log = LoggerFactory.getLogger(JobBook.class);
    private static final long LOG_FLUSH_NANOS = Duration.ofSeconds(1).toNanos();
    private static final long PROGRESS_GAP_NANOS = Duration.ofMillis(500).toNanos();

    private final int maxJobs;
    private final Clock clock;
    private final Consumer<HeldJob> starter;
    private final Map<String, HeldJob> jobs = new LinkedHashMap<>();
    private Session session;
    private boolean draining;
    private int cancelGraceSeconds = 30;

    /**
     * @param starter runs a job's workflow on a thread of its own, ending in {@link #finished}
     */
    JobBook(int maxJobs, Clock clock, Consumer<HeldJob> starter) {
        this.maxJobs = maxJobs;
        this.clock = clock;
        this.starter = starter;
    }

    // ---- connection ------------------------------------------------------------------------

    /** {@code register.jobs}: every job held, with whether it still runs. */
    synchronized List<Parts.HeldJob> heldForRegister() {
        return jobs.values().stream()
                .map(j -> new Parts.HeldJob(j.jobId, j.leaseToken, j.phase == Phase.RUNNING ? "running" : "finished")).toList();
    }

    /**
     * A connection is registered: forget what {@code lost} names, keep what {@code resumed} names,
     * then send every unacked report again, in order.
     */
    synchronized void attach(Session s, ServerMessage.Registered registered) {
        loseAll(registered.lost(), "at resume");
        cancelGraceSeconds = s.timings.cancelGraceSeconds();
        session = s;
        for (HeldJob job : jobs.values()) {
            job.unacked.forEach(r -> r.sentAs = null);
            pump(job);
        }
        notifyAll();
    }

    /** The connection broke: everything sent on it and not acked goes again on the next one. */
    synchronized void detach(Session s) {
        if (session == s) {
            session = null;
            jobs.values().forEach(j -> j.unacked.forEach(r -> r.sentAs = null));
        }
    }

    synchronized void setDraining() {
        draining = true;
    }

    // ---- server messages ---------------------------------------------------------------------

    synchronized void onAssign(Session s, ServerMessage.JobAssign m) {
        String jobId = m.jobId();
        String lease = m.leaseToken();
        if (jobId == null || lease == null) {
            log.error("ignoring a job_assign without job_id or lease_token (id {})", m.id());
            return;
        }
        HeldJob known = jobs.get(jobId);
        if (known != null && known.leaseToken.equals(lease)) {
            log.debug("duplicate job_assign of {} ignored", jobId);
            return;
        }
        if (draining || running() >= maxJobs) {
            String reason = draining ? "shutting_down" : "no_free_slot";
            log.info("releasing job {}: {}", jobId, reason);
            s.request(new RobotMessage.JobRelease(null, jobId, lease, reason, null), null);
            return;
        }
        HeldJob job = HeldJob.assigned(m, clock.instant());
        jobs.put(jobId, job);
        withJob(job, () -> log.info("job {} (attempt {}) of workflow '{}' assigned", jobId, job.attempt, job.workflowName));
        if (job.workflow == null || !job.workflow.isObject()) {
            finish(job, new RobotMessage.JobFailed(null, jobId, lease,
                    new Parts.RunError("invalid_workflow", "job_assign carried no workflow object", null, null, null), false, null));
            return;
        }
        s.request(new RobotMessage.JobStarted(null, jobId, lease, Wire.time(job.receivedAt)),
                new Session.Awaited("job_started", job, null));
        starter.accept(job);
    }

    synchronized void onCancel(Session s, ServerMessage.JobCancel m) {
        String jobId = m.jobId();
        String lease = m.leaseToken();
        String reason = "timed_out".equals(m.reason()) ? "timed_out" : "cancelled";
        HeldJob job = jobId == null ? null : jobs.get(jobId);
        if (job == null || !job.leaseToken.equals(lease)) {
            s.request(new RobotMessage.JobCancelled(null, m.id(), jobId, lease, reason, false, null), null);
            return;
        }
        if (job.phase == Phase.FINISHED) {
            return; // its final report is on its way, and wins
        }
        job.cancelMessageId = m.id();
        if (job.stop == null || job.stop == Stop.SHUTDOWN) {
            job.stop = reason.equals("timed_out") ? Stop.TIMED_OUT : Stop.CANCELLED;
            withJob(job, () -> log.info("stopping job {}: {} ({})", jobId, reason, m.message()));
            addLog(job, LogLevel.WARNING, "Stopping: " + (m.message() == null ? reason : m.message()), job.nodeId, job.nodeType);
            job.cancellation.cancel(reason);
        }
    }

    /** An {@code ack} or {@code error} for something a job sent. */
    synchronized void onAnswer(Session.Awaited what, ServerMessage answer) {
        HeldJob job = what.job();
        Report report = what.report();
        if (answer instanceof ServerMessage.Ack ack) {
            if (report != null) {
                job.unacked.remove(report);
                if (report.isFinal) {
                    forget(job);
                    withJob(job, () -> log.info("job {} reported: {}", job.jobId, ack.jobState()));
                }
            }
            return;
        }
        if (!(answer instanceof ServerMessage.Error error)) {
            return;
        }
        String code = error.code();
        String message = error.message();
        switch (code == null ? "" : code) {
            case "stale_lease", "not_found" -> {
                withJob(job, () -> log.warn("job {}: the server refused {} ({}: {}); stopping it", job.jobId, what.type(), code,
                        message));
                lose(job.jobId, job.leaseToken, code, "refused");
            }
            case "unavailable", "rate_limited", "internal_error", "not_registered" -> {
                if (report == null) {
                    return;
                }
                report.failures++;
                if (code.equals("internal_error") && report.failures >= 5) {
                    drop(report, code + ": " + message);
                    return;
                }
                long retryMs = error.retryAfterMs();
                long backoffMs = Math.max(retryMs, Math.min(30_000, 1000L << Math.min(report.failures - 1, 5)));
                report.sentAs = null;
                report.notBeforeNanos = System.nanoTime() + backoffMs * 1_000_000;
                log.warn("job {}: {} not applied ({}: {}); sending it again in {} ms", job.jobId, report.type(), code, message,
                        backoffMs);
            }
            default -> {
                if (report != null) {
                    drop(report, code + ": " + message);
                } else {
                    log.error("job {}: the server refused {} ({}: {})", job.jobId, what.type(), code, message);
                }
            }
        }
    }

    /** The {@code lost} list of a heartbeat ack. */
    synchronized void onHeartbeatAck(ServerMessage.Ack ack) {
        loseAll(ack.lost(), "at heartbeat");
    }

    /** {@code heartbeat.jobs}: every job held. */
    synchronized List<Parts.JobLease> heldForHeartbeat() {
        return jobs.values().stream().map(j -> new Parts.JobLease(j.jobId, j.leaseToken)).toList();
    }

    // ---- what a run reports ------------------------------------------------------------------

    synchronized void addLog(HeldJob job, LogLevel level, String message, String nodeId, String nodeType) {
        if (jobs.get(job.jobId) != job) {
            return;
        }
        long now = System.nanoTime();
        job.logs.add(new LogBuffer.Entry(clock.instant(), level, message, nodeId, nodeType), now);
        if (job.logs.size() >= LogBuffer.BATCH_ENTRIES && session != null) {
            flushLogs(job, now, false);
        }
    }

    synchronized void nodeStarted(HeldJob job, String nodeId, String nodeType, int executedNodes) {
        job.nodeId = nodeId;
        job.nodeType = nodeType;
        job.executedNodes = executedNodes;
        if (jobs.get(job.jobId) != job || job.phase != Phase.RUNNING) {
            return;
        }
        job.pendingProgress = job.progress(nodeId, nodeType, executedNodes);
        sendProgress(job, System.nanoTime());
    }

    /** The run is over: its logs, then its final report (kept until acked). Nothing for a lost job. */
    synchronized void finished(HeldJob job, RobotMessage finalReport) {
        if (jobs.get(job.jobId) != job) {
            return;
        }
        finish(job, finalReport);
    }

    private void finish(HeldJob job, RobotMessage finalReport) {
        job.phase = Phase.FINISHED;
        job.pendingProgress = null;
        long now = System.nanoTime();
        while (!job.logs.isEmpty()) {
            flushLogs(job, now, true);
        }
        job.unacked.add(new Report(job, finalReport, true));
        pump(job);
        notifyAll();
    }

    // ---- timers -----------------------------------------------------------------------------

    /** Called a few times a second: due log batches and progress, retries, the timeout backstop. */
    synchronized void tick() {
        long now = System.nanoTime();
        for (HeldJob job : List.copyOf(jobs.values())) {
            if (job.phase == Phase.RUNNING && job.stop == null && job.timeoutSeconds != null
                    && now - job.receivedNanos >= Duration.ofSeconds(job.timeoutSeconds + (long) cancelGraceSeconds).toNanos()) {
                job.stop = Stop.TIMED_OUT;
                withJob(job, () -> log.warn("job {} ran past timeout_seconds={} and the cancel grace; stopping it", job.jobId,
                        job.timeoutSeconds));
                job.cancellation.cancel("timed_out");
            }
            if (session != null) {
                if (job.phase == Phase.RUNNING && job.logs.due(now, LOG_FLUSH_NANOS)) {
                    flushLogs(job, now, false);
                }
                sendProgress(job, now);
                pump(job);
            }
        }
    }

    // ---- shutdown ---------------------------------------------------------------------------

    synchronized int running() {
        return (int) jobs.values().stream().filter(j -> j.phase == Phase.RUNNING).count();
    }

    synchronized boolean isEmpty() {
        return jobs.isEmpty();
    }

    /** Stops every running job (shutdown grace over, or a fatal error). */
    synchronized void stopAll(Stop why) {
        for (HeldJob job : jobs.values()) {
            if (job.phase == Phase.RUNNING) {
                if (job.stop == null) {
                    job.stop = why;
                }
                job.cancellation.cancel(why.wire);
            }
        }
    }

    /** Waits until {@code condition} holds or {@code timeout} passes; returns whether it holds. */
    synchronized boolean await(java.util.function.BooleanSupplier condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            wait(Math.max(1, Math.min(left / 1_000_000, 200)));
        }
        return true;
    }

    synchronized List<HeldJob> snapshot() {
        return new ArrayList<>(jobs.values());
    }

    // ---- internals --------------------------------------------------------------------------

    private void flushLogs(HeldJob job, long now, boolean evenWhenDisconnected) {
        if (job.logs.isEmpty() || (session == null && !evenWhenDisconnected)) {
            return;
        }
        List<Parts.LogEntry> entries = new ArrayList<>();
        int n = job.logs.takeBatch(entries, job.nextSeq, now);
        job.nextSeq += n;
        job.unacked.add(new Report(job, new RobotMessage.LogBatch(null, job.jobId, job.leaseToken, entries), false));
        pump(job);
    }

    private void sendProgress(HeldJob job, long now) {
        if (job.pendingProgress != null && session != null && now - job.lastProgressNanos >= PROGRESS_GAP_NANOS) {
            session.send(job.pendingProgress);
            job.pendingProgress = null;
            job.lastProgressNanos = now;
        }
    }

    /** Sends the job's unacked reports that are not on their way, in order, stopping at one that must wait. */
    private void pump(HeldJob job) {
        if (session == null) {
            return;
        }
        long now = System.nanoTime();
        for (Report r : job.unacked) {
            if (r.sentAs != null) {
                continue;
            }
            if (r.notBeforeNanos > now) {
                return;
            }
            r.sentAs = session.request(r.body, new Session.Awaited(r.type(), job, r));
        }
    }

    private void loseAll(List<Parts.LostLease> lost, String when) {
        if (lost != null) {
            lost.forEach(l -> lose(l.jobId(), l.leaseToken(), l.reason(), when));
        }
    }

    private void lose(String jobId, String lease, String reason, String when) {
        HeldJob job = jobId == null ? null : jobs.get(jobId);
        if (job == null || !job.leaseToken.equals(lease)) {
            return;
        }
        forget(job);
        if ("reported".equals(reason)) {
            withJob(job, () -> log.info("job {}: its final report reached the server before the connection broke", jobId));
            return;
        }
        if (job.phase == Phase.RUNNING) {
            job.stop = Stop.LOST;
            job.cancellation.cancel("lease lost: " + reason);
        }
        withJob(job, () -> log.warn("job {}: lease lost {} ({}); stopped, nothing reported", jobId, when, reason));
    }

    private void drop(Report report, String why) {
        HeldJob job = report.job;
        job.unacked.remove(report);
        withJob(job, () -> log.error("job {}: the server refused {} ({}); dropping it", job.jobId, report.type(), why));
        if (report.isFinal) {
            forget(job);
        }
    }

    private void forget(HeldJob job) {
        jobs.remove(job.jobId, job);
        notifyAll();
    }

    static void withJob(HeldJob job, Runnable logging) {
        try (MDC.MDCCloseable ignored = MDC.putCloseable("job_id", job.jobId)) {
            logging.run();
        }
    }
}
