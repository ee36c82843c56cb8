package com.casarerpa.orchestrator.ws;

import com.casarerpa.orchestrator.domain.JobState;
import com.casarerpa.orchestrator.service.DispatchSignal;
import com.casarerpa.orchestrator.service.RobotJobs;
import com.casarerpa.orchestrator.service.Reporter;
import com.casarerpa.protocol.ws.Parts;
import com.casarerpa.protocol.ws.Protocol;
import com.casarerpa.protocol.ws.RobotMessage;
import com.casarerpa.protocol.ws.ServerMessage;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The robot's reports about one attempt ({@code job_started} … {@code lease_extend}), read from
 * their messages and answered; what they do, and why one is refused, is decided by
 * {@link RobotJobs} (the same rules as the REST pull protocol). Each report names the attempt by
 * job id and lease token, and every field of its record is checked before the lease is looked
 * up, so a malformed message changes nothing. {@code job_started} and {@code job_completed} are answered
 * after their group commit.
 */
final class JobMessages {
    private static final List<String> LEVELS = List.of("debug", "info", "warning", "error");

    private final RobotJobs jobs;
    private final DispatchSignal dispatch;
    private final ChannelSettings settings;
    private final Clock clock;

    JobMessages(RobotJobs jobs, DispatchSignal dispatch, ChannelSettings settings, Clock clock) {
        this.jobs = jobs;
        this.dispatch = dispatch;
        this.settings = settings;
        this.clock = clock;
    }

    ServerMessage.Ack handle(RobotConnection c, RobotMessage.JobReport m) {
        String jobId = Check.requiredText("job_id", m.jobId(), 64);
        String token = Check.requiredText("lease_token", m.leaseToken(), 64);
        return switch (m) {
            case RobotMessage.JobProgress p -> progress(c, jobId, token, p);
            case RobotMessage.LogBatch b -> logs(c, jobId, token, b);
            case RobotMessage.JobFailed f -> failed(c, jobId, token, f);
            case RobotMessage.JobCancelled x -> cancelled(c, jobId, token, x);
            case RobotMessage.JobRelease r -> released(c, jobId, token, r);
            case RobotMessage.LeaseExtend e -> extended(c, jobId, token, e);
            default -> throw new IllegalArgumentException(Protocol.type(m) + " is answered after its group commit");
        };
    }

    /** The reports that end an attempt: their commit frees the robot's slot ({@link RobotConnection#reportEnding()}). */
    static boolean endsAttempt(String type) {
        return type.equals("job_completed") || type.equals("job_failed") || type.equals("job_cancelled")
                || type.equals("job_release");
    }

    /** The two reports every job gets, answered when their group commits ({@link #grouped}). */
    static boolean isGrouped(String type) {
        return type.equals("job_started") || type.equals("job_completed");
    }

    /**
     * {@code job_started} or {@code job_completed}: the fields are checked now (a bad one throws
     * at once); the change joins the next group commit and the answer completes after it. A
     * completed job's result is stored as the robot sent it.
     */
    CompletableFuture<ServerMessage.Ack> grouped(RobotConnection c, Reporter by, Incoming in) {
        RobotMessage.JobReport m = in.decode(RobotMessage.JobReport.class);
        String jobId = Check.requiredText("job_id", m.jobId(), 64);
        String token = Check.requiredText("lease_token", m.leaseToken(), 64);
        if (m instanceof RobotMessage.JobStarted started) {
            Check.text("started_at", started.startedAt(), 64);
            return jobs.started(by, jobId, token).thenApply(r -> answer(m, r));
        }
        Parts.RunResult result = Check.required("result", ((RobotMessage.JobCompleted) m).result());
        Check.requiredInteger("result.executed_nodes", result.executedNodes());
        Check.requiredInteger("result.duration_ms", result.durationMs());
        return jobs.completed(by, jobId, token, in.result())
                .thenApply(r -> r.duplicate() ? answer(m, r) : finished(c, jobId, answer(m, r)));
    }

    private ServerMessage.Ack progress(RobotConnection c, String jobId, String token, RobotMessage.JobProgress m) {
        Optional<Integer> percent = Check.number("percent", m.percent()).map(p -> (int) Math.floor(p));
        Check.text("node_id", m.nodeId(), 200);
        Check.text("node_type", m.nodeType(), 200);
        Check.integer("executed_nodes", m.executedNodes());
        Check.text("message", m.message(), 1000);
        jobs.progress(c.robotId(), jobId, token, percent);
        return ServerMessage.Ack.of(m.id());
    }

    private ServerMessage.Ack logs(RobotConnection c, String jobId, String token, RobotMessage.LogBatch m) {
        List<Parts.LogEntry> entries = Check.objects("entries", m.entries(), RobotJobs.MAX_LOG_BATCH)
                .orElseThrow(() -> ProtocolError.invalid("entries", "is required"));
        List<RobotJobs.LogLine> lines = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            Parts.LogEntry e = entries.get(i);
            lines.add(new RobotJobs.LogLine(Check.requiredInteger(Check.item("entries", i, "seq"), e.seq()),
                    Check.time(Check.item("entries", i, "timestamp"), e.timestamp()),
                    Check.oneOf(Check.item("entries", i, "level"), e.level(), LEVELS),
                    Check.requiredText(Check.item("entries", i, "message"), e.message(), 10_000),
                    Check.text(Check.item("entries", i, "node_id"), e.nodeId(), 200),
                    Check.text(Check.item("entries", i, "node_type"), e.nodeType(), 200)));
        }
        RobotJobs.LogsAppended appended = jobs.appendLogs(c.robotId(), jobId, token, lines);
        return ServerMessage.Ack.logs(m.id(), appended.accepted(), appended.duplicates());
    }

    private ServerMessage.Ack failed(RobotConnection c, String jobId, String token, RobotMessage.JobFailed m) {
        Parts.RunError error = Check.required("error", m.error());
        String errorType = Check.requiredText("error.type", error.type(), 200);
        String message = Check.requiredText("error.message", error.message(), 10_000);
        Check.text("error.node_id", error.nodeId(), 200);
        Check.text("error.node_type", error.nodeType(), 200);
        Check.text("error.details", error.details(), 50_000);
        boolean retryable = m.retryable() == null || m.retryable();
        RobotJobs.Reported r = jobs.failed(c.robotId(), jobId, token, errorType, message, retryable);
        ServerMessage.Ack ack = answer(m, r);
        if (r.retryAt().isPresent()) {
            ack = ack.withRetryAt(Replies.time(r.retryAt().get()));
        }
        return r.duplicate() ? ack : finished(c, jobId, ack);
    }

    private ServerMessage.Ack cancelled(RobotConnection c, String jobId, String token, RobotMessage.JobCancelled m) {
        String reason = Check.oneOf("reason", m.reason(), List.of("cancelled", "timed_out"));
        RobotJobs.Reported r = jobs.stopped(c.robotId(), jobId, token, reason);
        return r.duplicate() ? answer(m, r) : finished(c, jobId, answer(m, r));
    }

    private ServerMessage.Ack released(RobotConnection c, String jobId, String token, RobotMessage.JobRelease m) {
        Check.oneOf("reason", m.reason(), List.of("no_free_slot", "shutting_down", "other"));
        Check.text("message", m.message(), 1000);
        jobs.released(c.robotId(), jobId, token);
        c.pauseUntil(clock.instant().plus(settings.releasePause()));
        return finished(c, jobId, ServerMessage.Ack.jobState(m.id(), JobState.PENDING.wireName(), null));
    }

    private ServerMessage.Ack extended(RobotConnection c, String jobId, String token, RobotMessage.LeaseExtend m) {
        Optional<Long> seconds = Check.integer("extension_seconds", m.extensionSeconds());
        return ServerMessage.Ack.extended(m.id(), jobs.extend(c.robotId(), jobId, token, seconds).map(Replies::time).orElse(null));
    }

    private static ServerMessage.Ack answer(RobotMessage m, RobotJobs.Reported r) {
        return ServerMessage.Ack.jobState(m.id(), r.state().wireName(), r.duplicate());
    }

    private ServerMessage.Ack finished(RobotConnection c, String jobId, ServerMessage.Ack ack) {
        c.cancelsSent.remove(jobId);
        // A job that ended frees a slot and adds no work; one going back to pending (failed with
        // retries left, released) is new work.
        if (JobState.PENDING.wireName().equals(ack.jobState())) {
            dispatch.wake();
        } else {
            dispatch.slotFreed();
        }
        return ack;
    }
}
