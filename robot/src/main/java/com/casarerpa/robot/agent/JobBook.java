package com.casarerpa.robot.agent;

import com.casarerpa.common.json.Json;
import com.casarerpa.engine.LogLevel;
import com.casarerpa.robot.agent.HeldJob.Phase;
import com.casarerpa.robot.agent.HeldJob.Report;
import com.casarerpa.robot.agent.HeldJob.Stop;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
    synchronized ArrayNode heldForRegister() {
        ArrayNode held = Json.mapper().createArrayNode();
        jobs.values().forEach(j -> held.addObject().put("job_id", j.jobId).put("lease_token", j.leaseToken)
                .put("state", j.phase == Phase.RUNNING ? "running" : "finished"));
        return held;
    }

    /**
     * A connection is registered: forget what {@code lost} names, keep what {@code resumed} names,
     * then send every unacked report again, in order.
     */
    synchronized void attach(Session s, JsonNode registered) {
        for (JsonNode lost : registered.path("lost")) {
            lose(Wire.text(lost, "job_id"), Wire.text(lost, "lease_token"), Wire.text(lost, "reason"), "at resume");
        }
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

    synchronized void onAssign(Session s, JsonNode m) {
        String jobId = Wire.text(m, "job_id");
        String lease = Wire.text(m, "lease_token");
        if (jobId == null || lease == null) {
            log.error("ignoring a job_assign without job_id or lease_token (id {})", Wire.text(m, "id"));
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
            s.request(Wire.jobMessage("job_release", jobId, lease).put("reason", reason), null);
            return;
        }
        HeldJob job = HeldJob.assigned(m, clock.instant());
        jobs.put(jobId, job);
        withJob(job, () -> log.info("job {} (attempt {}) of workflow '{}' assigned", jobId, job.attempt, job.workflowName));
        if (job.workflow == null || !job.workflow.isObject()) {
            ObjectNode failed = job.message("job_failed").put("retryable", false);
            failed.putObject("error").put("type", "invalid_workflow").put("message", "job_assign carried no workflow object");
            finish(job, failed);
            return;
        }
        s.request(job.message("job_started").put("started_at", Wire.time(job.receivedAt)),
                new Session.Awaited("job_started", job, null));
        starter.accept(job);
    }

    synchronized void onCancel(Session s, JsonNode m) {
        String jobId = Wire.text(m, "job_id");
        String lease = Wire.text(m, "lease_token");
        String reason = "timed_out".equals(Wire.text(m, "reason")) ? "timed_out" : "cancelled";
        HeldJob job = jobId == null ? null : jobs.get(jobId);
        if (job == null || !job.leaseToken.equals(lease)) {
            ObjectNode answer = Wire.jobMessage("job_cancelled", jobId, lease).put("reason", reason).put("was_running", false);
            if (m.hasNonNull("id")) {
                answer.put("reply_to", m.get("id").asText());
            }
            s.request(answer, null);
            return;
        }
        if (job.phase == Phase.FINISHED) {
            return; // its final report is on its way, and wins
        }
        job.cancelMessageId = Wire.text(m, "id");
        if (job.stop == null || job.stop == Stop.SHUTDOWN) {
            job.stop = reason.equals("timed_out") ? Stop.TIMED_OUT : Stop.CANCELLED;
            withJob(job, () -> log.info("stopping job {}: {} ({})", jobId, reason, Wire.text(m, "message")));
            addLog(job, LogLevel.WARNING, "Stopping: " + (Wire.text(m, "message") == null ? reason : Wire.text(m, "message")),
                    job.nodeId, job.nodeType);
            job.cancellation.cancel(reason);
        }
    }

    /** An {@code ack} or {@code error} for something a job sent. */
    synchronized void onAnswer(Session.Awaited what, JsonNode answer) {
        HeldJob job = what.job();
        boolean ok = "ack".equals(Wire.text(answer, "type"));
        Report report = what.report();
        if (ok) {
            if (report != null) {
                job.unacked.remove(report);
                if (report.isFinal) {
                    forget(job);
                    withJob(job, () -> log.info("job {} reported: {}", job.jobId, Wire.text(answer, "job_state")));
                }
            }
            return;
        }
        String code = Wire.text(answer, "code");
        String message = Wire.text(answer, "message");
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
                long retryMs = answer.path("details").path("retry_after_ms").asLong(0);
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
    synchronized void onHeartbeatAck(JsonNode ack) {
        for (JsonNode lost : ack.path("lost")) {
            lose(Wire.text(lost, "job_id"), Wire.text(lost, "lease_token"), Wire.text(lost, "reason"), "at heartbeat");
        }
    }

    /** {@code heartbeat.jobs}: every job held. */
    synchronized ArrayNode heldForHeartbeat() {
        ArrayNode held = Json.mapper().createArrayNode();
        jobs.values().forEach(j -> held.addObject().put("job_id", j.jobId).put("lease_token", j.leaseToken));
        return held;
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
    synchronized void finished(HeldJob job, ObjectNode finalReport) {
        if (jobs.get(job.jobId) != job) {
            return;
        }
        finish(job, finalReport);
    }

    private void finish(HeldJob job, ObjectNode finalReport) {
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
        ObjectNode batch = job.message("log_batch");
        int n = job.logs.takeBatch(batch.putArray("entries"), job.nextSeq, now);
        job.nextSeq += n;
        job.unacked.add(new Report(job, batch, false));
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
